// Matcher: answers FindPartners. For each need of the asker (or an ad-hoc
// text or vector) it searches the tenant's offers in FAISS with the request's
// filters applied inside the search, scores every candidate pair on
// semantics, geography, sector and kind fit, keeps each partner's best pair,
// and explains the result in plain language. With DIRECTION_OFFERS_TO_NEEDS
// the roles swap: the asker's offers are matched against others' needs.
//
//   Matcher matcher(*catalog, ScoringWeights());
//   absl::StatusOr<v1::FindPartnersResponse> response = matcher.FindPartners(request);
//
// Thread-safe; reads the catalog under the tenant's shared lock.
#ifndef POLLINATOR_SERVICES_MATCHER_H_
#define POLLINATOR_SERVICES_MATCHER_H_

#include <functional>

#include "absl/status/statusor.h"
#include "index/match_scoring.h"
#include "pollinator/v1/matching.pb.h"
#include "services/catalog.h"

namespace pollinator {

class Matcher {
 public:
  // Returns the current day; injectable so tests can move time.
  using Today = std::function<v1::Date()>;

  // `catalog` must outlive the matcher; `weights` must be valid.
  Matcher(const Catalog& catalog, const ScoringWeights& weights, Today today = CurrentUtcDate);

  absl::StatusOr<v1::FindPartnersResponse> FindPartners(const v1::FindPartnersRequest& request) const;

  static v1::Date CurrentUtcDate();

 private:
  const Catalog& catalog_;
  const ScoringWeights weights_;
  const Today today_;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_MATCHER_H_
