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
//     experience, network; see index/match_scoring.h), or, once the tenant
//     has an active ranking model (TrainRanker), by that model; one
//     suggestion per partner, optionally diversified (MMR) and capped per
//     kind. With no
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

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "index/match_scoring.h"
#include "pollinator/v1/matching.pb.h"
#include "services/candidate_filter.h"
#include "services/catalog.h"

namespace pollinator {

// The tenant's history as a training query sees it.
struct MatchHistory {
  // The recorded interactions up to the query's time; null for all of the
  // tenant's.
  const InteractionGraph* graph = nullptr;
  // Also match the asker's expired needs and offers: outcomes were recorded
  // for needs that have since expired.
  bool include_expired_query_items = false;
};

// A partner that passes the relevance floor, as the tenant now ranks it.
struct RankedCandidate {
  std::string partner_id;
  v1::ScoreBreakdown features;
  // The active ranking's score (the model's, or the hand-set one).
  double score = 0.0;
};

// What a suggestion shows of a profile.
v1::ProfileSummary ProfileSummaryOf(const v1::Profile& profile);

class Matcher {
 public:
  // Returns the current day; injectable so tests can move time.
  using Today = std::function<v1::Date()>;

  // `catalog` must outlive the matcher; `weights` must be valid.
  Matcher(const Catalog& catalog, const ScoringWeights& weights, Today today = CurrentUtcDate);

  absl::StatusOr<v1::FindPartnersResponse> FindPartners(const v1::FindPartnersRequest& request) const;
  // FindPartners with what `scope` adds or leaves out (challenges).
  absl::StatusOr<v1::FindPartnersResponse> FindPartners(const v1::FindPartnersRequest& request,
                                                        const MatchScope& scope) const;

  // For training and validating ranking models: the first top_k partners
  // that FindPartners would rank for `request` (a profile query, before
  // diversity and max_per_kind), with
  // their features, as `history` sees the tenant. `state` is the request's
  // tenant; the caller holds its lock, shared (inside Catalog::ReadTenant).
  absl::StatusOr<std::vector<RankedCandidate>> RankedCandidates(const TenantState& state,
                                                                const v1::FindPartnersRequest& request,
                                                                const MatchHistory& history) const;

  static v1::Date CurrentUtcDate();
  // The day matching takes as today (what expiry and deadlines compare with).
  v1::Date MatchingDay() const { return today_(); }

 private:
  // Checks everything in `request` that needs no tenant data; returns top_k.
  static absl::StatusOr<int> Validate(const v1::FindPartnersRequest& request);

  const Catalog& catalog_;
  const ScoringWeights weights_;
  const Today today_;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_MATCHER_H_
