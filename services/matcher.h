// Matcher: answers FindPartners in four steps.
//  1. Candidates: FAISS searches, with the request's filters applied inside
//     the search, from the asker's needs to others' offers, from its offers
//     to others' needs (the reverse direction), and from its description;
//     plus its network (recorded collaborations and theirs).
//  2. Relevance per partner: the text fit (calibrated semantic and lexical
//     coverage) of its best need/offer pair, raised by its other fitting
//     items; partners whose pair falls below the request's min_relevance
//     are never suggested. For partners who also fit the reverse direction,
//     the two directions are combined (harmonic mean by default) so that
//     mutual fits rank first.
//  3. Ranking by relevance scaled by the priors (geography, sector, kind fit,
//     experience, network; see index/match_scoring.h), one suggestion per
//     partner, optionally diversified (MMR) and capped per kind. With no
//     relevant partner, the closest candidates come back as near misses.
//  4. Plain-language reasons (services/match_explanation.h).
// With DIRECTION_OFFERS_TO_NEEDS the roles swap. Partners the asker declined
// are never suggested.
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
