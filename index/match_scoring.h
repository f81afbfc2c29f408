// How a candidate partner is scored: its relevance (text fit), the prior
// features (geography, sector relatedness, kind fit, experience, network)
// and the rule that combines them. Every feature is in [0, 1].
//
//   double geo = GeographyScore(me.location(), them.location(), need.scope());
//   double fit = KindFit(need.component(), them.kind());
//
// Pure functions; thread-safe.
#ifndef POLLINATOR_INDEX_MATCH_SCORING_H_
#define POLLINATOR_INDEX_MATCH_SCORING_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_field.h"
#include "pollinator/v1/matching.pb.h"
#include "pollinator/v1/profile.pb.h"

namespace pollinator {

// How the final score is put together: the one place the ranking's weights
// live.
//
// The rule: text fit gates everything. A pair's relevance is the text fit
// (semantic and lexical) of a need and an offer, absolute and calibrated to
// [0, 1]: the same pair gets the same relevance whatever else is in the pool
// or the filter. A partner whose best pair falls below the request's floor
// (min_relevance) is never suggested. Above it, with `relevance` the best
// pair's raised by the partner's other fitting items (and combined with the
// reverse direction for mutual fits), the score is
//
//   score = relevance * (1 - prior_share + prior_share * prior)
//
// where the prior is the weighted mean of geography, sector, kind fit,
// experience and network. Priors can reorder partners of similar relevance
// (at most by the factor 1 - prior_share), never make up for missing
// substance: a partner with twice the relevance of another always ranks
// above it when prior_share <= 0.5, and a partner with no relevance
// scores 0 however near, experienced or connected.
struct ScoringWeights {
  // Shares of relevance; they sum to 1.
  double semantic = 0.3;  // Embedding similarity of the pair, calibrated.
  double lexical = 0.7;   // Coverage of the query's specific words (exact, or synonyms at half).
  // How much the prior can change a score, in [0, 1].
  double prior_share = 0.3;
  // Shares of the prior; they sum to 1.
  double geography = 0.2;   // Proximity, scaled by the need's geographic scope.
  double sector = 0.1;      // Same or related NACE sector.
  double kind_fit = 0.2;    // How typical the partner's kind is for the need's component.
  double experience = 0.2;  // The partner's completed projects.
  double network = 0.3;     // Recorded collaborations: past partners and partners of partners.

  absl::Status Validate() const;
};

// Relevance below which no suggestion is made, unless the request sets
// min_relevance; and relevance from which a reason may say "matches".
inline constexpr double kDefaultMinRelevance = 0.2;
inline constexpr double kStrongRelevance = 0.45;

// Maps a cosine of two built-in embeddings to [0, 1]: unrelated texts of a
// tenant sit near kSemanticNoise (shared character n-grams), and texts that
// say the same thing reach kSemanticFull.
inline constexpr double kSemanticNoise = 0.08;
inline constexpr double kSemanticFull = 0.55;
double CalibratedSemantic(double cosine);

// The relevance of a pair from its calibrated semantic fit and its lexical
// coverage, both in [0, 1].
double Relevance(double semantic, double lexical, const ScoringWeights& weights);

// The weighted mean of the prior features of `features`, in [0, 1].
double PriorScore(const v1::ScoreBreakdown& features, const ScoringWeights& weights);

// relevance * (1 - prior_share + prior_share * prior).
double GatedScore(double relevance, double prior, const ScoringWeights& weights);

// Parses "semantic=0.4,lexical=0.6,prior_share=0.2,...": the named weights
// replace those of `base`, the others keep their values. The result must be
// valid.
absl::StatusOr<ScoringWeights> ParseScoringWeights(absl::string_view text, const ScoringWeights& base = {});

// The partner's experience in [0, 1]: log-scaled completed projects,
// saturating at 30.
double ExperienceScore(int completed_projects);

// Network feature in [0, 1]: 1 for a past partner; otherwise a share for
// each past partner of the asker who has worked with the candidate, or
// (weaker) for each of the other top suggestions it has worked with, since
// partners who know each other form consortia. Both saturate at three.
double NetworkScore(bool past_partner, int shared_partners, int linked_suggestions);

// Great-circle distance, or nullopt unless both locations have lat and lon.
std::optional<double> DistanceKm(const v1::Location& a, const v1::Location& b);

// 1 for the same city (or within a few km), decaying with distance. How fast
// it decays depends on the scope: a local need wants a neighbour, a national
// one the same country, an international one barely cares.
double GeographyScore(const v1::Location& asker, const v1::Location& partner,
                      v1::GeographicScope scope);

// 1 for a shared NACE division, 0.7 for the same section, 0.5 for a known
// innovative cross-sector pair (e.g. ICT with health or finance), 0.25
// otherwise, and a neutral 0.5 when either side has no sectors.
double SectorScore(const google::protobuf::RepeatedPtrField<std::string>& asker,
                   const google::protobuf::RepeatedPtrField<std::string>& partner);

// How typical `kind` is as the provider of `component` (e.g. investors for
// funding, research institutes for technology). 0.5 when unspecified.
double KindFit(v1::Component component, v1::ProfileKind kind);

// The two-digit NACE division of a code ("C26.1" -> 26, "62.01" -> 62), or
// nullopt if the code has none.
std::optional<int> NaceDivision(absl::string_view code);

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_MATCH_SCORING_H_
