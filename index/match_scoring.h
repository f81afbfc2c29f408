// The features that rank a candidate partner besides semantic similarity:
// geography, sector relatedness and kind fit, and the weights that combine
// them. Every feature is in [0, 1].
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
#include "pollinator/v1/profile.pb.h"

namespace pollinator {

// How the final score is put together: the one place the ranking's weights
// live. They must sum to 1 so that the score stays in [0, 1]. The defaults
// were tuned on the CORDIS quality benchmark (bench/README.md explains how).
struct ScoringWeights {
  // Embedding similarity of the best need/offer pairs, with shares for the
  // next best pairs and the description (see matcher.cc).
  double semantic = 0.22;
  // BM25 of the query text against the partner's texts: exact rare terms.
  double lexical = 0.18;
  // Proximity, scaled by the need's geographic scope.
  double geography = 0.08;
  // Same or related NACE sector. (CORDIS has no sectors, so the benchmark
  // cannot tune it; it keeps the share it had before tuning.)
  double sector = 0.08;
  // How typical the partner's kind is for the need's component.
  double kind_fit = 0.04;
  // The partner's completed projects: the strongest single prior in the
  // benchmark (popularity alone nearly matches BM25).
  double experience = 0.14;
  // Recorded collaborations: past partners and partners of partners.
  double network = 0.26;

  absl::Status Validate() const;
};

// Parses "semantic=0.4,lexical=0.3,...": the named weights replace those of
// `base`, the others keep their values. The result must be valid.
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
