// Text view of FindPartners results (see match_view.h).
#include "tools/cli/match_view.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/cli/names.h"
#include "tools/cli/table.h"

namespace pollinator {
namespace {

constexpr size_t kMaxTextWidth = 100;
// Two texts share the mutual line.
constexpr size_t kMaxMutualTextWidth = 45;
constexpr absl::string_view kIndent = "    ";

// "city, country", or whichever of the two is set.
std::string Place(const v1::Location& location) {
  std::vector<std::string> parts;
  if (!location.city().empty()) parts.push_back(OneLine(location.city()));
  if (!location.country().empty()) parts.push_back(OneLine(location.country()));
  return absl::StrJoin(parts, ", ");
}

// "research institute · Stuttgart, DE · 12.4 km"
std::string PartnerLine(const v1::Suggestion& suggestion) {
  std::vector<std::string> parts = {
      ProfileKindLabel(suggestion.partner().kind())};
  std::string place = Place(suggestion.partner().location());
  if (!place.empty()) parts.push_back(std::move(place));
  if (suggestion.has_distance_km()) {
    parts.push_back(absl::StrFormat("%.1f km", suggestion.distance_km()));
  }
  return absl::StrJoin(parts, " · ");
}

void AppendItemText(absl::string_view label, const v1::ItemRef& item,
                    std::string* out) {
  if (item.text().empty()) return;
  absl::StrAppend(out, kIndent, label,
                  Truncate(OneLine(item.text()), kMaxTextWidth), "\n");
}

std::string Quoted(const v1::ItemRef& item) {
  return absl::StrCat("\"", Truncate(OneLine(item.text()), kMaxMutualTextWidth),
                      "\"");
}

// `mutual: your offer "..." meets their need "..."`, for a suggestion with
// both sides of the reverse pair.
void AppendMutualPair(const v1::Suggestion& suggestion, v1::Direction direction,
                      std::string* out) {
  if (suggestion.mutual_need().text().empty() ||
      suggestion.mutual_offer().text().empty()) {
    return;
  }
  // Asking by needs, the reverse pair is the asker's offer and the partner's
  // need; asking by offers, the partner's offer and the asker's need.
  const bool asked_by_offers = direction == v1::DIRECTION_OFFERS_TO_NEEDS;
  absl::StrAppend(out, kIndent,
                  "mutual: ", asked_by_offers ? "their offer " : "your offer ",
                  Quoted(suggestion.mutual_offer()),
                  asked_by_offers ? " meets your need " : " meets their need ",
                  Quoted(suggestion.mutual_need()), "\n");
}

// Every component, in three lines so that each fits 80 columns.
void AppendScore(const v1::ScoreBreakdown& score, std::string* out) {
  absl::StrAppendFormat(
      out, "%srelevance %.3f (pair %.3f: semantic %.3f, lexical %.3f", kIndent,
      score.relevance(), score.pair_relevance(), score.semantic(),
      score.lexical());
  if (score.has_reciprocal()) {
    absl::StrAppendFormat(out, ", reciprocal %.3f", score.reciprocal());
  }
  absl::StrAppendFormat(out, "), prior %.3f\n", score.prior());
  absl::StrAppendFormat(
      out, "%sprior: geography %.3f, sector %.3f, kind fit %.3f,\n", kIndent,
      score.geography(), score.sector(), score.kind_fit());
  absl::StrAppendFormat(out, "%s       experience %.3f, network %.3f\n",
                        kIndent, score.experience(), score.network());
}

void AppendSuggestion(int rank, const v1::Suggestion& suggestion,
                      v1::Direction direction, std::string* out) {
  const v1::ProfileSummary& partner = suggestion.partner();
  absl::StrAppendFormat(out, "#%d  %.3f  %s (%s)\n", rank, suggestion.score(),
                        OneLine(partner.name()), OneLine(partner.id()));
  absl::StrAppend(out, kIndent, PartnerLine(suggestion), "\n");
  AppendItemText("need:  ", suggestion.need(), out);
  AppendItemText("offer: ", suggestion.offer(), out);
  AppendMutualPair(suggestion, direction, out);
  AppendScore(suggestion.components(), out);
  for (const std::string& reason : suggestion.reasons()) {
    absl::StrAppend(out, kIndent, "- ", OneLine(reason), "\n");
  }
}

}  // namespace

std::string FormatTrainReport(const v1::TrainRankerResponse& report) {
  return absl::StrCat(
      "model ", report.model_version(), " (", report.booster(), "): ",
      report.activated() ? "activated" : "not activated; still ranked by ", report.activated() ? "" : report.previous_ranked_by(),
      "\nvalidation: nDCG@10 ", absl::StrFormat("%.3f", report.model_ndcg()), " on ", report.validation_queries(),
      " later queries, against ", absl::StrFormat("%.3f", report.previous_ndcg()), " for ", report.previous_ranked_by(),
      "\ntraining: ", report.training_queries(), " queries, outcomes before sequence ", report.cutoff_sequence(), "\n");
}

std::string FormatSuggestions(const v1::FindPartnersResponse& response,
                              v1::Direction direction) {
  if (response.no_relevant_partner()) {
    std::string out = "no relevant partner: no candidate fits well enough\n";
    if (response.near_misses().empty()) return out;
    out += "closest candidates, for a broker to judge:\n";
    for (int i = 0; i < response.near_misses_size(); ++i) {
      out += "\n";
      AppendSuggestion(i + 1, response.near_misses(i), direction, &out);
    }
    return out;
  }
  if (response.suggestions().empty()) return "no suggestions\n";
  std::string out;
  for (int i = 0; i < response.suggestions_size(); ++i) {
    if (i > 0) out += "\n";
    AppendSuggestion(i + 1, response.suggestions(i), direction, &out);
  }
  // A learned model's scores are its own: say which ranking they come from.
  if (!response.ranked_by().empty()) absl::StrAppend(&out, "\nranked by: ", response.ranked_by(), "\n");
  return out;
}

}  // namespace pollinator
