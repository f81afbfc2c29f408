// AnalyzeEcosystem: an association's map of its ecosystem. Every open need
// and offer of the tenant is matched as FindPartners matches it (that item
// alone, reciprocity off), so "met" means the same calibrated relevance
// floor as a suggestion: a need is met when some partner reaches it, an
// offer is needed when some need is met by it. Counts go per component and
// region; unmet needs come with their closest candidate and why it falls
// short.
//
//   absl::StatusOr<v1::AnalyzeEcosystemResponse> map =
//       AnalyzeEcosystem(catalog, matcher, request, [&] { return context->IsCancelled(); });
//
// Costs one match per open need and offer. `request.tenant()` must already
// be the authorised tenant. Thread-safe.
#ifndef POLLINATOR_SERVICES_ANALYSES_ECOSYSTEM_ANALYSIS_H_
#define POLLINATOR_SERVICES_ANALYSES_ECOSYSTEM_ANALYSIS_H_

#include <functional>

#include "absl/status/statusor.h"
#include "pollinator/v1/ecosystem.pb.h"
#include "services/catalog.h"
#include "services/matcher.h"

namespace pollinator {

// INVALID_ARGUMENT naming the field; CANCELLED when `cancelled` turns true
// between items. An unknown or empty tenant gives an empty map.
absl::StatusOr<v1::AnalyzeEcosystemResponse> AnalyzeEcosystem(const Catalog& catalog, const Matcher& matcher,
                                                              const v1::AnalyzeEcosystemRequest& request,
                                                              const std::function<bool()>& cancelled);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_ANALYSES_ECOSYSTEM_ANALYSIS_H_
