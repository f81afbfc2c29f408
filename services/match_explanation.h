// Match explanations: one to three plain-language reasons for a suggestion,
// built from the features that ranked it, and never claiming more than they
// show. The first reason says what the partner brings (an excerpt of the
// matched offer or need) and how well it fits: "matches" only from
// kStrongRelevance, "related to" from the floor, and for a near miss that it
// falls short. The others are the strongest contributions among mutual fit,
// shared specific words, network, experience, geography, sector and kind
// fit, and a note when diversity moved the suggestion up.
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

// Distance up to which a partner abroad is called nearby.
inline constexpr double kNearbyAbroadKm = 150.0;

struct MatchEvidence {
  bool needs_to_offers = true;
  // Null for ad-hoc text and vector queries.
  const v1::Profile* asker = nullptr;
  const v1::Profile* partner = nullptr;
  // The asker's matched item (or the ad-hoc text) and the partner's.
  v1::ItemRef query_item;
  v1::ItemRef partner_item;
  // The matched item is a profile's description (challenges: what an actor
  // does), not one of its needs or offers.
  bool query_is_description = false;
  bool partner_is_description = false;
  v1::ScoreBreakdown features;
  std::optional<double> distance_km;
  // The request's relevance floor.
  double min_relevance = kDefaultMinRelevance;
  // Shown because nothing reached the floor (FindPartnersResponse.near_misses).
  bool near_miss = false;
  // Diversity placed it above a suggestion with a higher score.
  bool moved_up = false;
  // The reverse pair of a mutual fit, set only when its own relevance
  // (mutual_relevance) reaches the floor; empty texts otherwise.
  v1::ItemRef mutual_query_item;
  v1::ItemRef mutual_partner_item;
  double mutual_relevance = 0.0;
  // Specific query words found in the partner's matched item, rarest first.
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
