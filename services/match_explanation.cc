#include "services/match_explanation.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "index/labels.h"
#include "services/guards/response_bounds.h"

namespace pollinator {
namespace {

constexpr size_t kReasonTextLength = 90;
constexpr size_t kMaxReasons = 3;

// "a university", "an SMB", "An association/cluster".
std::string WithArticle(const std::string& noun, bool capital) {
  // Sound, not spelling: "an SMB" ("es-em-bee"), "a university" ("you-").
  const bool an = noun == "SMB" || (!noun.empty() && absl::StrContains("aeiouAEIOU", noun[0]) &&
                                    !absl::StartsWith(noun, "uni"));
  return absl::StrCat(capital ? (an ? "An " : "A ") : (an ? "an " : "a "), noun);
}

std::string PairReason(const MatchEvidence& e) {
  const char* const verb = e.partner_is_description ? "Does \"" : e.needs_to_offers ? "Offers \"" : "Needs \"";
  const std::string brings = absl::StrCat(verb, Excerpt(e.partner_item.text(), kReasonTextLength), "\"");
  const double relevance = e.features.pair_relevance();
  if (e.near_miss) {
    return absl::StrCat("Closest candidate, but not a clear fit: ", absl::AsciiStrToLower(verb),
                        Excerpt(e.partner_item.text(), kReasonTextLength), "\"");
  }
  const bool strong = relevance >= kStrongRelevance;
  if (e.needs_to_offers) {
    if (e.asker == nullptr) return absl::StrCat(brings, strong ? ", which matches" : ", related to", " what you asked for");
    return absl::StrCat(brings, strong ? ", which matches your need" : ", related to your need");
  }
  if (e.asker == nullptr) return absl::StrCat(brings, strong ? ", which matches" : ", related to", " what you offer");
  const char* const yours = e.query_is_description ? "what you do" : "your offer";
  return absl::StrCat(brings, ", which ", yours, strong ? " meets" : " may meet");
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
  if (km && *km <= kNearbyAbroadKm) {
    return absl::StrCat("Nearby across the border: ", distance, " (", partner.country(), ")");
  }
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
  if (e.mutual_relevance < e.min_relevance || e.mutual_partner_item.text().empty()) {
    return "";
  }
  const std::string text = Excerpt(e.mutual_partner_item.text(), kReasonTextLength);
  const bool strong = e.mutual_relevance >= kStrongRelevance;
  if (e.needs_to_offers) {
    return absl::StrCat(strong ? "Also needs what you offer: \"" : "May also need what you offer: \"", text, "\"");
  }
  return absl::StrCat(strong ? "Also offers what you need: \"" : "May also offer what you need: \"", text, "\"");
}

std::string SharedWordsReason(const MatchEvidence& e) {
  if (e.shared_words.empty()) {
    if (!e.near_miss) return "";
    return absl::StrCat("Shares no specific words with ",
                        e.asker == nullptr ? "your query" : e.needs_to_offers ? "your need" : "your offer");
  }
  return absl::StrCat(e.near_miss ? "Shares only: " : "Shares specific terms with ",
                      e.near_miss ? "" : (e.asker == nullptr ? "your query: " : "you: "),
                      absl::StrJoin(e.shared_words, ", "));
}

}  // namespace

std::vector<std::string> ExplainMatch(const MatchEvidence& e, const ScoringWeights& weights) {
  std::vector<std::string> reasons = {PairReason(e)};
  if (e.near_miss) {
    // Only what bears on the fit: priors do not make up for substance.
    reasons.push_back(SharedWordsReason(e));
    return reasons;
  }
  const v1::ScoreBreakdown& f = e.features;
  // Secondary reasons with their contribution to the score.
  std::vector<std::pair<double, std::string>> secondary;
  auto add = [&secondary](double contribution, std::string text) {
    if (!text.empty()) secondary.emplace_back(contribution, std::move(text));
  };
  const double prior = weights.prior_share;
  add(e.mutual_relevance, MutualReason(e));
  if (f.lexical() >= 0.3) add(weights.lexical * f.lexical(), SharedWordsReason(e));
  // A collaboration is worth naming even when the network weight is small.
  if (f.network() > 0) add(std::max(prior * weights.network * f.network(), 0.05), NetworkReason(e));
  if (f.experience() >= 0.6) {
    add(prior * weights.experience * f.experience(),
        absl::StrCat("Experienced: ", e.partner->completed_projects(), " completed projects"));
  }
  if (e.asker != nullptr && f.geography() >= 0.6) {
    add(prior * weights.geography * f.geography(),
        GeographyReason(e.asker->location(), e.partner->location(), e.distance_km));
  }
  if (e.asker != nullptr && f.sector() >= 0.7) {
    add(prior * weights.sector * f.sector(), SectorReason(*e.asker, *e.partner, f.sector()));
  }
  if (f.kind_fit() >= 0.8) add(prior * weights.kind_fit * f.kind_fit(), KindReason(e));
  std::stable_sort(secondary.begin(), secondary.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  const size_t room = e.moved_up ? kMaxReasons - 1 : kMaxReasons;
  for (auto& [contribution, text] : secondary) {
    if (reasons.size() >= room) break;
    reasons.push_back(std::move(text));
  }
  if (e.moved_up) reasons.push_back("Listed above higher-scored suggestions for variety");
  return reasons;
}

}  // namespace pollinator
