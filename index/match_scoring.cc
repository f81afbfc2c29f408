#include "index/match_scoring.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace pollinator {
namespace {

using v1::Component;
using v1::GeographicScope;
using v1::ProfileKind;

constexpr double kEarthRadiusKm = 6371.0;

// NACE rev. 2 sections by their first and last division.
char NaceSection(int division) {
  struct Range {
    int first, last;
    char section;
  };
  static constexpr Range kSections[] = {
      {1, 3, 'A'},   {5, 9, 'B'},   {10, 33, 'C'}, {35, 35, 'D'}, {36, 39, 'E'}, {41, 43, 'F'},
      {45, 47, 'G'}, {49, 53, 'H'}, {55, 56, 'I'}, {58, 63, 'J'}, {64, 66, 'K'}, {68, 68, 'L'},
      {69, 75, 'M'}, {77, 82, 'N'}, {84, 84, 'O'}, {85, 85, 'P'}, {86, 88, 'Q'}, {90, 93, 'R'},
      {94, 96, 'S'}, {97, 98, 'T'}, {99, 99, 'U'}};
  for (const Range& r : kSections) {
    if (division >= r.first && division <= r.last) return r.section;
  }
  return '?';
}

// Section pairs where cross-sector collaboration is common and productive.
bool IsInnovativeCrossSectorPair(char a, char b) {
  if (a > b) std::swap(a, b);
  static constexpr char kPairs[][2] = {
      {'J', 'Q'},  // ICT x health
      {'J', 'K'},  // ICT x finance
      {'C', 'J'},  // manufacturing x ICT (industry 4.0)
      {'C', 'M'},  // manufacturing x R&D and engineering services
      {'J', 'M'},  // ICT x professional/scientific services
      {'C', 'D'},  // manufacturing x energy
      {'A', 'J'},  // agriculture x ICT
      {'C', 'Q'},  // manufacturing x health (medtech)
      {'D', 'J'},  // energy x ICT
      {'H', 'J'},  // logistics x ICT
      {'F', 'D'},  // construction x energy
  };
  for (const auto& pair : kPairs) {
    char x = pair[0], y = pair[1];
    if (x > y) std::swap(x, y);
    if (x == a && y == b) return true;
  }
  return false;
}

double SectorPairScore(int a, int b) {
  if (a == b) return 1.0;
  const char section_a = NaceSection(a);
  const char section_b = NaceSection(b);
  if (section_a == section_b) return 0.7;
  if (IsInnovativeCrossSectorPair(section_a, section_b)) return 0.5;
  return 0.25;
}

bool SameText(absl::string_view a, absl::string_view b) {
  return !a.empty() && absl::EqualsIgnoreCase(a, b);
}

// Score from administrative units when coordinates are missing.
double AdministrativeProximity(const v1::Location& a, const v1::Location& b) {
  const bool same_country = SameText(a.country(), b.country());
  if (same_country && SameText(a.city(), b.city())) return 1.0;
  if (same_country && SameText(a.region(), b.region())) return 0.85;
  if (same_country) return 0.6;
  return 0.15;
}

// Each weight by name, for validation, parsing and messages.
std::vector<std::pair<absl::string_view, double*>> NamedWeights(ScoringWeights& w) {
  return {{"semantic", &w.semantic},     {"lexical", &w.lexical},   {"prior_share", &w.prior_share},
          {"geography", &w.geography},   {"sector", &w.sector},     {"kind_fit", &w.kind_fit},
          {"experience", &w.experience}, {"network", &w.network}};
}

absl::Status CheckSum(absl::string_view group, double sum) {
  if (std::abs(sum - 1.0) > 1e-6) {
    return absl::InvalidArgumentError(absl::StrCat("scoring weights: ", group, " sum to ", sum, ", must be 1"));
  }
  return absl::OkStatus();
}

constexpr double kExperienceSaturation = 30.0;
constexpr double kLinksForFull = 3.0;
// Even many shared partners count less than having worked together, and
// links to other suggestions (a guess at the coming consortium) less still.
constexpr double kSharedPartnersCeiling = 0.8;
constexpr double kLinkedSuggestionsCeiling = 0.5;

}  // namespace

absl::Status ScoringWeights::Validate() const {
  ScoringWeights copy = *this;
  for (const auto& [name, weight] : NamedWeights(copy)) {
    if (!(*weight >= 0.0 && *weight <= 1.0)) {
      return absl::InvalidArgumentError(absl::StrCat("scoring weights: ", name, " is ", *weight, ", outside [0, 1]"));
    }
  }
  if (absl::Status s = CheckSum("semantic and lexical", semantic + lexical); !s.ok()) return s;
  return CheckSum("geography, sector, kind_fit, experience and network",
                  geography + sector + kind_fit + experience + network);
}

double CalibratedSemantic(double cosine) {
  return std::clamp((cosine - kSemanticNoise) / (kSemanticFull - kSemanticNoise), 0.0, 1.0);
}

double Relevance(double semantic, double lexical, const ScoringWeights& weights) {
  return std::clamp(weights.semantic * semantic + weights.lexical * lexical, 0.0, 1.0);
}

double PriorScore(const v1::ScoreBreakdown& f, const ScoringWeights& w) {
  return std::clamp(w.geography * f.geography() + w.sector * f.sector() + w.kind_fit * f.kind_fit() +
                        w.experience * f.experience() + w.network * f.network(),
                    0.0, 1.0);
}

double GatedScore(double relevance, double prior, const ScoringWeights& weights) {
  return relevance * (1.0 - weights.prior_share + weights.prior_share * prior);
}

absl::StatusOr<ScoringWeights> ParseScoringWeights(absl::string_view text, const ScoringWeights& base) {
  ScoringWeights weights = base;
  const auto named = NamedWeights(weights);
  for (absl::string_view pair : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    std::pair<absl::string_view, absl::string_view> parts = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    const absl::string_view name = absl::StripAsciiWhitespace(parts.first);
    auto it = std::find_if(named.begin(), named.end(), [&](const auto& entry) { return entry.first == name; });
    if (it == named.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scoring weights: unknown weight \"", name,
          "\" (known: semantic, lexical, prior_share, geography, sector, kind_fit, experience, network)"));
    }
    if (!absl::SimpleAtod(absl::StripAsciiWhitespace(parts.second), it->second)) {
      return absl::InvalidArgumentError(
          absl::StrCat("scoring weights: ", name, "=\"", parts.second, "\" is not a number"));
    }
  }
  if (absl::Status s = weights.Validate(); !s.ok()) return s;
  return weights;
}

double ExperienceScore(int completed_projects) {
  if (completed_projects <= 0) return 0.0;
  return std::min(1.0, std::log1p(completed_projects) / std::log1p(kExperienceSaturation));
}

double NetworkScore(bool past_partner, int shared_partners, int linked_suggestions) {
  if (past_partner) return 1.0;
  return std::max(kSharedPartnersCeiling * std::min(1.0, shared_partners / kLinksForFull),
                  kLinkedSuggestionsCeiling * std::min(1.0, linked_suggestions / kLinksForFull));
}

std::optional<double> DistanceKm(const v1::Location& a, const v1::Location& b) {
  if (!a.has_lat() || !a.has_lon() || !b.has_lat() || !b.has_lon()) return std::nullopt;
  const double to_radians = M_PI / 180.0;
  const double dlat = (b.lat() - a.lat()) * to_radians;
  const double dlon = (b.lon() - a.lon()) * to_radians;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.lat() * to_radians) * std::cos(b.lat() * to_radians) *
                       std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2.0 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

double GeographyScore(const v1::Location& asker, const v1::Location& partner, GeographicScope scope) {
  double proximity = AdministrativeProximity(asker, partner);
  if (const std::optional<double> km = DistanceKm(asker, partner)) {
    // Distance over which the score falls to 1/e, by scope.
    const double scale_km = scope == v1::GEOGRAPHIC_SCOPE_LOCAL ? 50.0
                            : scope == v1::GEOGRAPHIC_SCOPE_INTERNATIONAL ? 2000.0
                                                                           : 300.0;
    proximity = std::max(proximity, std::exp(-*km / scale_km));
  }
  const bool same_country = SameText(asker.country(), partner.country());
  switch (scope) {
    case v1::GEOGRAPHIC_SCOPE_LOCAL:
      return proximity;
    case v1::GEOGRAPHIC_SCOPE_INTERNATIONAL:
      return 0.7 + 0.3 * proximity;
    default:  // National, and unspecified which means national.
      return same_country ? std::max(0.8, proximity) : std::min(proximity, 0.3);
  }
}

std::optional<int> NaceDivision(absl::string_view code) {
  while (!code.empty() && !absl::ascii_isdigit(code.front())) code.remove_prefix(1);
  if (code.size() < 2 || !absl::ascii_isdigit(code[1])) return std::nullopt;
  return (code[0] - '0') * 10 + (code[1] - '0');
}

double SectorScore(const google::protobuf::RepeatedPtrField<std::string>& asker,
                   const google::protobuf::RepeatedPtrField<std::string>& partner) {
  double best = -1.0;
  for (const std::string& a : asker) {
    const std::optional<int> da = NaceDivision(a);
    if (!da) continue;
    for (const std::string& b : partner) {
      if (const std::optional<int> db = NaceDivision(b)) best = std::max(best, SectorPairScore(*da, *db));
    }
  }
  return best < 0.0 ? 0.5 : best;
}

double KindFit(Component component, ProfileKind kind) {
  // Rows: component; columns: kind in enum order (SMB, startup, large
  // enterprise, university, research institute, public agency, investor,
  // incubator/accelerator, association/cluster, service provider).
  static constexpr double kFit[9][10] = {
      /* unspecified  */ {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5},
      /* talent       */ {0.3, 0.2, 0.5, 1.0, 0.7, 0.5, 0.1, 0.4, 0.5, 0.8},
      /* funding      */ {0.1, 0.1, 0.5, 0.2, 0.2, 0.8, 1.0, 0.6, 0.3, 0.3},
      /* technology   */ {0.5, 0.4, 0.7, 0.9, 1.0, 0.3, 0.1, 0.3, 0.3, 0.7},
      /* collaboration*/ {0.7, 0.7, 0.7, 0.8, 0.8, 0.5, 0.3, 0.7, 1.0, 0.4},
      /* support      */ {0.3, 0.2, 0.4, 0.5, 0.4, 0.8, 0.4, 1.0, 0.8, 0.9},
      /* regulatory/IP*/ {0.2, 0.1, 0.4, 0.5, 0.5, 0.7, 0.1, 0.4, 0.5, 1.0},
      /* market access*/ {0.6, 0.4, 1.0, 0.2, 0.2, 0.6, 0.3, 0.5, 0.8, 0.5},
      /* expertise    */ {0.6, 0.5, 0.6, 1.0, 1.0, 0.3, 0.2, 0.4, 0.5, 0.9},
  };
  const int row = static_cast<int>(component);
  const int column = static_cast<int>(kind) - 1;
  if (row < 0 || row >= 9 || column < 0 || column >= 10) return 0.5;
  return kFit[row][column];
}

}  // namespace pollinator
