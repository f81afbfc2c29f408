#include "services/match_explanation.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "index/labels.h"

namespace pollinator {
namespace {

constexpr size_t kReasonTextLength = 90;
constexpr size_t kMaxReasons = 3;

std::string Shorten(absl::string_view text) {
  if (text.size() <= kReasonTextLength) return std::string(text);
  size_t cut = kReasonTextLength;
  // Do not split a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(text.substr(0, cut), "…");
}

// "a university", "an SMB", "An association/cluster".
std::string WithArticle(const std::string& noun, bool capital) {
  // Sound, not spelling: "an SMB" ("es-em-bee"), "a university" ("you-").
  const bool an = noun == "SMB" || (!noun.empty() && absl::StrContains("aeiouAEIOU", noun[0]) &&
                                    !absl::StartsWith(noun, "uni"));
  return absl::StrCat(capital ? (an ? "An " : "A ") : (an ? "an " : "a "), noun);
}

std::string PairReason(const MatchEvidence& e) {
  const std::string partner_text = Shorten(e.partner_item.text());
  const std::string query_text = Shorten(e.query_item.text());
  // Say "matches" only when the texts are clearly alike; otherwise be honest.
  const bool strong = e.features.semantic() >= kStrongSemantic;
  if (e.needs_to_offers) {
    if (e.asker == nullptr) {
      return absl::StrCat("Offers \"", partner_text, "\", ", strong ? "close to" : "related to", " what you asked for");
    }
    return absl::StrCat("Offers \"", partner_text, "\", which ", strong ? "matches" : "is related to", " your need \"",
                        query_text, "\"");
  }
  if (e.asker == nullptr) {
    return absl::StrCat("Needs \"", partner_text, "\", ", strong ? "close to" : "related to", " what you offer");
  }
  return absl::StrCat("Needs \"", partner_text, "\", which your offer \"", query_text, "\" ",
                      strong ? "meets" : "may meet");
}

std::string GeographyReason(const v1::Location& asker, const v1::Location& partner,
                            const std::optional<double>& km) {
  const bool same_country = !asker.country().empty() && asker.country() == partner.country();
  const bool same_region = same_country && !asker.region().empty() && asker.region() == partner.region();
  const bool same_city = same_country && !asker.city().empty() && asker.city() == partner.city();
  const std::string distance = km ? absl::StrFormat("%.0f km away", *km) : "";
  if (same_city) return absl::StrCat("Same city (", partner.city(), ")", km ? ", " : "", distance);
  if (same_region) return absl::StrCat("Same region (", partner.region(), ")", km ? ", " : "", distance);
  if (same_country) return absl::StrCat("Same country (", partner.country(), ")", km ? ", " : "", distance);
  if (km) return absl::StrCat("Nearby across the border: ", distance, " (", partner.country(), ")");
  return "";
}

std::string SectorReason(const v1::Profile& asker, const v1::Profile& partner, double score) {
  for (const std::string& a : asker.sectors()) {
    for (const std::string& b : partner.sectors()) {
      const std::optional<int> da = NaceDivision(a), db = NaceDivision(b);
      if (!da || !db) continue;
      if (score >= 1.0 && *da == *db) return absl::StrFormat("Same sector (NACE %02d)", *da);
      if (score < 1.0) return absl::StrFormat("Related sector (NACE %02d and your %02d)", *db, *da);
    }
  }
  return "";
}

std::string KindReason(const MatchEvidence& e) {
  const v1::Component component = e.needs_to_offers && e.query_item.component() != v1::COMPONENT_UNSPECIFIED
                                      ? e.query_item.component()
                                      : e.partner_item.component();
  if (component == v1::COMPONENT_UNSPECIFIED) return "";
  if (e.needs_to_offers) {
    return absl::StrCat(WithArticle(ProfileKindLabel(e.partner->kind()), true), ": a typical provider of ",
                        ComponentLabel(component));
  }
  if (e.asker == nullptr) return "";
  return absl::StrCat("As ", WithArticle(ProfileKindLabel(e.asker->kind()), false), " you are a typical provider of ",
                      ComponentLabel(component));
}

std::string NetworkReason(const MatchEvidence& e) {
  if (e.past_partner) return "You have worked together before";
  if (e.shared_partners == 1) return "Worked with one of your past partners";
  if (e.shared_partners > 1) return absl::StrCat("Worked with ", e.shared_partners, " of your past partners");
  if (e.linked_suggestions == 1) return "Has worked with another of these suggestions";
  if (e.linked_suggestions > 1) return absl::StrCat("Has worked with ", e.linked_suggestions, " of these suggestions");
  return "";
}

std::string MutualReason(const MatchEvidence& e) {
  if (!e.features.has_reciprocal() || e.features.reciprocal() < kStrongSemantic ||
      e.mutual_partner_item.text().empty()) {
    return "";
  }
  const std::string text = Shorten(e.mutual_partner_item.text());
  return e.needs_to_offers ? absl::StrCat("Also needs what you offer: \"", text, "\"")
                           : absl::StrCat("Also offers what you need: \"", text, "\"");
}

}  // namespace

std::vector<std::string> ExplainMatch(const MatchEvidence& e, const ScoringWeights& weights) {
  std::vector<std::string> reasons = {PairReason(e)};
  const v1::ScoreBreakdown& f = e.features;
  // Secondary reasons with their contribution to the score.
  std::vector<std::pair<double, std::string>> secondary;
  auto add = [&secondary](double contribution, std::string text) {
    if (!text.empty()) secondary.emplace_back(contribution, std::move(text));
  };
  const double text_weight = weights.semantic + weights.lexical;
  if (f.has_reciprocal()) add(text_weight * f.reciprocal(), MutualReason(e));
  if (f.lexical() >= 0.5 && !e.shared_words.empty()) {
    add(weights.lexical * f.lexical(),
        absl::StrCat("Shares rare terms with ", e.asker == nullptr ? "your query" : "you", ": ",
                     absl::StrJoin(e.shared_words, ", ")));
  }
  // A collaboration is worth naming even when the network weight is small.
  if (f.network() > 0) add(std::max(weights.network * f.network(), 0.05), NetworkReason(e));
  if (f.experience() >= 0.6) {
    add(weights.experience * f.experience(),
        absl::StrCat("Experienced: ", e.partner->completed_projects(), " completed projects"));
  }
  if (e.asker != nullptr && f.geography() >= 0.6) {
    add(weights.geography * f.geography(), GeographyReason(e.asker->location(), e.partner->location(), e.distance_km));
  }
  if (e.asker != nullptr && f.sector() >= 0.7) add(weights.sector * f.sector(), SectorReason(*e.asker, *e.partner, f.sector()));
  if (f.kind_fit() >= 0.8) add(weights.kind_fit * f.kind_fit(), KindReason(e));
  std::stable_sort(secondary.begin(), secondary.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto& [contribution, text] : secondary) {
    if (reasons.size() == kMaxReasons) break;
    reasons.push_back(std::move(text));
  }
  return reasons;
}

}  // namespace pollinator
