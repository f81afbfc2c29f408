#include "tools/cli/challenge_commands.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/cli/json_text.h"
#include "tools/cli/match_view.h"
#include "tools/cli/table.h"

namespace pollinator {
namespace {

absl::Status FlagError(absl::string_view flag, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", message));
}

// The flags both commands share: --profile (required), --top_k, and
// --min_relevance (negative: the server's floor).
absl::Status CheckCommon(const MatchFlags& flags, absl::string_view command) {
  if (flags.profile.empty()) return FlagError("profile", absl::StrCat("required by ", command));
  if (!flags.text.empty() || !flags.vector.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(command, " takes --profile, not --text or --vector"));
  }
  if (flags.top_k < 1 || flags.top_k > 100) return FlagError("top_k", "must be 1 to 100");
  if (flags.min_relevance > 1) return FlagError("min_relevance", "must be 0 to 1");
  return absl::OkStatus();
}

std::string ClosingText(const v1::Date& day, int days_left) {
  if (day.year() == 0) return "open";
  return absl::StrFormat("closes %04d-%02d-%02d (%d day%s left)", day.year(), day.month(), day.day(), days_left,
                         days_left == 1 ? "" : "s");
}

}  // namespace

absl::StatusOr<v1::FindSolversRequest> BuildFindSolversRequest(const MatchFlags& flags, const std::string& tenant) {
  if (absl::Status s = CheckCommon(flags, "solvers"); !s.ok()) return s;
  if (flags.item.empty()) return FlagError("item", "required by solvers: the id of the need posted as a challenge");
  v1::FindSolversRequest request;
  request.set_tenant(tenant);
  request.set_profile_id(flags.profile);
  request.set_need_id(flags.item);
  request.set_top_k(flags.top_k);
  if (flags.min_relevance >= 0) request.set_min_relevance(flags.min_relevance);
  return request;
}

absl::StatusOr<v1::FindChallengesRequest> BuildFindChallengesRequest(const MatchFlags& flags,
                                                                     const std::string& tenant) {
  if (absl::Status s = CheckCommon(flags, "challenges"); !s.ok()) return s;
  if (!flags.item.empty()) return FlagError("item", "challenges matches the whole profile; leave it out");
  v1::FindChallengesRequest request;
  request.set_tenant(tenant);
  request.set_profile_id(flags.profile);
  request.set_top_k(flags.top_k);
  if (flags.min_relevance >= 0) request.set_min_relevance(flags.min_relevance);
  return request;
}

absl::Status RunSolvers(const v1::FindSolversRequest& request, bool json, PollinatorClient& client,
                        const CommandIo& io) {
  absl::StatusOr<v1::FindSolversResponse> solvers = client.FindSolvers(request);
  if (!solvers.ok()) return solvers.status();
  if (json) return PrintJson(*solvers, io.out);
  io.out << "challenge " << request.need_id() << " of " << request.profile_id() << ": "
         << Truncate(OneLine(solvers->challenge().text()), 100) << "\n"
         << ClosingText(solvers->deadline(), solvers->days_left()) << "\n\n";
  v1::FindPartnersResponse view;
  *view.mutable_suggestions() = solvers->solvers();
  view.set_no_relevant_partner(solvers->no_relevant_solver());
  *view.mutable_near_misses() = solvers->near_misses();
  io.out << FormatSuggestions(view, v1::DIRECTION_NEEDS_TO_OFFERS);
  return absl::OkStatus();
}

absl::Status RunChallenges(const v1::FindChallengesRequest& request, bool json, PollinatorClient& client,
                           const CommandIo& io) {
  absl::StatusOr<v1::FindChallengesResponse> challenges = client.FindChallenges(request);
  if (!challenges.ok()) return challenges.status();
  if (json) return PrintJson(*challenges, io.out);
  io.out << challenges->open_challenges() << " open challenge" << (challenges->open_challenges() == 1 ? "" : "s")
         << " admit " << request.profile_id() << "; " << challenges->challenges_size() << " fit\n";
  std::vector<std::vector<std::string>> rows;
  v1::FindPartnersResponse view;
  for (const v1::ChallengeMatch& match : challenges->challenges()) {
    rows.push_back({match.suggestion().partner().id(), match.suggestion().need().id(),
                    ClosingText(match.deadline(), match.days_left())});
    *view.add_suggestions() = match.suggestion();
  }
  if (!rows.empty()) io.out << "\n" << FormatTable({"CHALLENGER", "NEED", "CLOSING"}, rows);
  view.set_no_relevant_partner(challenges->no_fitting_challenge() && challenges->open_challenges() > 0);
  *view.mutable_near_misses() = challenges->near_misses();
  io.out << "\n" << FormatSuggestions(view, v1::DIRECTION_OFFERS_TO_NEEDS);
  return absl::OkStatus();
}

}  // namespace pollinator
