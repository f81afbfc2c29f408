// Open-innovation challenges on top of the matcher. A challenge is a need
// with Need.challenge set; it matches until its deadline (inclusive).
//  - FindSolvers matches one challenge against the profiles it admits (its
//    solver kinds, SMBs and startups by default, and countries), judging
//    each by its offers and its description.
//  - FindChallenges matches a profile's offers and description against the
//    open challenges that admit it.
// Both rank with FindPartners' relevance floor, scores and reasons.
//
//   absl::StatusOr<v1::FindSolversResponse> solvers = FindSolvers(catalog, matcher, request);
//
// `request.tenant()` must already be the authorised tenant. Thread-safe.
#ifndef POLLINATOR_SERVICES_WORKFLOWS_CHALLENGES_H_
#define POLLINATOR_SERVICES_WORKFLOWS_CHALLENGES_H_

#include "absl/status/statusor.h"
#include "pollinator/v1/challenge.pb.h"
#include "services/catalog.h"
#include "services/matcher.h"

namespace pollinator {

// INVALID_ARGUMENT naming the field; NOT_FOUND for an unknown profile or
// need; FAILED_PRECONDITION for a need that is no challenge, or is closed.
absl::StatusOr<v1::FindSolversResponse> FindSolvers(const Catalog& catalog, const Matcher& matcher,
                                                    const v1::FindSolversRequest& request);

// INVALID_ARGUMENT naming the field; NOT_FOUND for an unknown profile;
// FAILED_PRECONDITION for a profile with neither offers nor description.
absl::StatusOr<v1::FindChallengesResponse> FindChallenges(const Catalog& catalog, const Matcher& matcher,
                                                          const v1::FindChallengesRequest& request);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_WORKFLOWS_CHALLENGES_H_
