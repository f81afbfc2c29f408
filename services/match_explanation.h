// Match explanations: one to three plain-language reasons for a suggestion,
// built from the features that ranked it. The first reason always names the
// matched need and offer; the others are the strongest contributions among
// mutual fit, shared rare terms, network, experience, geography, sector and
// kind fit.
//
//   std::vector<std::string> reasons = ExplainMatch(evidence, weights);
//
// Pure function; thread-safe.
#ifndef POLLINATOR_SERVICES_MATCH_EXPLANATION_H_
#define POLLINATOR_SERVICES_MATCH_EXPLANATION_H_

#include <optional>
#include <string>
#include <vector>

#include "index/match_scoring.h"
#include "pollinator/v1/matching.pb.h"

namespace pollinator {

// Semantic feature above which a reason may call a pair a match, and text fit
// above which a reverse pair counts as mutual.
inline constexpr double kStrongSemantic = 0.2;

struct MatchEvidence {
  bool needs_to_offers = true;
  // Null for ad-hoc text and vector queries.
  const v1::Profile* asker = nullptr;
  const v1::Profile* partner = nullptr;
  // The asker's matched item (or the ad-hoc text) and the partner's.
  v1::ItemRef query_item;
  v1::ItemRef partner_item;
  v1::ScoreBreakdown features;
  std::optional<double> distance_km;
  // The reverse pair of a mutual fit; empty texts when there is none.
  v1::ItemRef mutual_query_item;
  v1::ItemRef mutual_partner_item;
  // Rare query words found in the partner's texts, rarest first.
  std::vector<std::string> shared_words;
  bool past_partner = false;
  // Past partners of the asker who have worked with the partner.
  int shared_partners = 0;
  // Other top suggestions the partner has worked with.
  int linked_suggestions = 0;
};

std::vector<std::string> ExplainMatch(const MatchEvidence& evidence, const ScoringWeights& weights);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_MATCH_EXPLANATION_H_
