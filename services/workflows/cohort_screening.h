// ScreenCohort: an accelerator's cohort screening. Each member's relevant
// partners come from FindPartners (so the relevance floor, filters and
// reasons are the matcher's), and SolveCohortAssignment
// (cohort_assignment.h) picks the assignment with the highest total score
// under capacities, conflicts and must-includes.
//
//   absl::StatusOr<v1::ScreenCohortResponse> screening =
//       ScreenCohort(catalog, matcher, request, [&] { return context->IsCancelled(); });
//
// `request.tenant()` must already be the authorised tenant. Thread-safe.
#ifndef POLLINATOR_SERVICES_WORKFLOWS_COHORT_SCREENING_H_
#define POLLINATOR_SERVICES_WORKFLOWS_COHORT_SCREENING_H_

#include <functional>

#include "absl/status/statusor.h"
#include "pollinator/v1/cohort.pb.h"
#include "services/catalog.h"
#include "services/matcher.h"

namespace pollinator {

inline constexpr int kMaxCohortSize = 500;

// INVALID_ARGUMENT naming the field; NOT_FOUND or FAILED_PRECONDITION
// naming the member (cohort[3]) whose profile is missing or has no needs;
// CANCELLED when `cancelled` turns true between members.
absl::StatusOr<v1::ScreenCohortResponse> ScreenCohort(const Catalog& catalog, const Matcher& matcher,
                                                      const v1::ScreenCohortRequest& request,
                                                      const std::function<bool()>& cancelled);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_WORKFLOWS_COHORT_SCREENING_H_
