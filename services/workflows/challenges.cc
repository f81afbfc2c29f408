#include "services/workflows/challenges.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "services/validation.h"

namespace pollinator {
namespace {

// Who may answer a challenge that names no solver kinds.
constexpr v1::ProfileKind kDefaultSolverKinds[] = {v1::PROFILE_KIND_SMB, v1::PROFILE_KIND_STARTUP};

std::string DateText(const v1::Date& date) {
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
}

int DaysLeft(const v1::Date& deadline, const v1::Date& today) {
  return static_cast<int>(absl::CivilDay(deadline.year(), deadline.month(), deadline.day()) -
                          absl::CivilDay(today.year(), today.month(), today.day()));
}

const v1::Need* FindNeed(const v1::Profile& profile, absl::string_view need_id) {
  for (const v1::Need& need : profile.needs()) {
    if (need.id() == need_id) return &need;
  }
  return nullptr;
}

// Whether `challenge` admits a solver of `kind` located in `country`.
bool ChallengeAdmits(const v1::Challenge& challenge, v1::ProfileKind kind, absl::string_view country) {
  const bool kind_ok = challenge.solver_kinds().empty()
                           ? std::find(std::begin(kDefaultSolverKinds), std::end(kDefaultSolverKinds), kind) !=
                                 std::end(kDefaultSolverKinds)
                           : std::find(challenge.solver_kinds().begin(), challenge.solver_kinds().end(), kind) !=
                                 challenge.solver_kinds().end();
  const bool country_ok = challenge.solver_countries().empty() ||
                          std::find(challenge.solver_countries().begin(), challenge.solver_countries().end(),
                                    country) != challenge.solver_countries().end();
  return kind_ok && country_ok;
}

}  // namespace

absl::StatusOr<v1::FindSolversResponse> FindSolvers(const Catalog& catalog, const Matcher& matcher,
                                                    const v1::FindSolversRequest& request) {
  if (absl::Status s = ValidateTenant(request.tenant()); !s.ok()) return s;
  if (absl::Status s = ValidateId("profile_id", request.profile_id()); !s.ok()) return s;
  if (absl::Status s = ValidateId("need_id", request.need_id()); !s.ok()) return s;
  if (absl::StatusOr<int> top_k = ResolveTopK(request.top_k()); !top_k.ok()) return top_k.status();
  if (absl::Status s = ValidateMinRelevance(request.has_min_relevance(), request.min_relevance()); !s.ok()) return s;

  absl::StatusOr<v1::Profile> challenger = catalog.Get(request.tenant(), request.profile_id());
  if (!challenger.ok()) return challenger.status();
  const v1::Need* need = FindNeed(*challenger, request.need_id());
  if (need == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("need_id: \"", request.need_id(), "\" is not a need of profile \"", request.profile_id(), "\""));
  }
  if (!need->has_challenge()) {
    return absl::FailedPreconditionError(absl::StrCat("need_id: need \"", need->id(), "\" of profile \"",
                                                      request.profile_id(),
                                                      "\" is not a challenge (set its challenge and deadline)"));
  }
  const v1::Date today = matcher.MatchingDay();
  const v1::Date closes = ItemExpiry(*need);
  if (IsExpired(closes, today)) {
    return absl::FailedPreconditionError(
        absl::StrCat("need_id: challenge \"", need->id(), "\" closed on ", DateText(closes), "; it no longer matches"));
  }

  v1::FindPartnersRequest match;
  match.set_tenant(request.tenant());
  match.set_profile_id(request.profile_id());
  match.set_item_id(request.need_id());
  match.set_direction(v1::DIRECTION_NEEDS_TO_OFFERS);
  match.set_reciprocity(v1::RECIPROCITY_OFF);
  match.set_top_k(request.top_k());
  if (request.has_min_relevance()) match.set_min_relevance(request.min_relevance());
  const v1::Challenge& challenge = need->challenge();
  if (challenge.solver_kinds().empty()) {
    for (v1::ProfileKind kind : kDefaultSolverKinds) match.mutable_filters()->add_kinds(kind);
  } else {
    *match.mutable_filters()->mutable_kinds() = challenge.solver_kinds();
  }
  *match.mutable_filters()->mutable_countries() = challenge.solver_countries();
  MatchScope scope;
  scope.descriptions_as_items = true;
  absl::StatusOr<v1::FindPartnersResponse> matched = matcher.FindPartners(match, scope);
  if (!matched.ok()) return matched.status();

  v1::FindSolversResponse response;
  response.mutable_challenge()->set_id(need->id());
  response.mutable_challenge()->set_text(need->text());
  response.mutable_challenge()->set_component(need->component());
  *response.mutable_deadline() = closes;
  response.set_days_left(DaysLeft(closes, today));
  *response.mutable_solvers() = std::move(*matched->mutable_suggestions());
  response.set_no_relevant_solver(matched->no_relevant_partner());
  *response.mutable_near_misses() = std::move(*matched->mutable_near_misses());
  return response;
}

absl::StatusOr<v1::FindChallengesResponse> FindChallenges(const Catalog& catalog, const Matcher& matcher,
                                                          const v1::FindChallengesRequest& request) {
  if (absl::Status s = ValidateTenant(request.tenant()); !s.ok()) return s;
  if (absl::Status s = ValidateId("profile_id", request.profile_id()); !s.ok()) return s;
  if (absl::StatusOr<int> top_k = ResolveTopK(request.top_k()); !top_k.ok()) return top_k.status();
  if (absl::Status s = ValidateMinRelevance(request.has_min_relevance(), request.min_relevance()); !s.ok()) return s;

  absl::StatusOr<v1::Profile> solver = catalog.Get(request.tenant(), request.profile_id());
  if (!solver.ok()) return solver.status();
  const v1::ProfileKind kind = solver->kind();
  const std::string country = solver->location().country();
  // Open challenges only (expiry, which includes the deadline, is the
  // filter's own test), and only those that admit this solver.
  const auto admits = [kind, country](const TenantState& state,
                                      const IndexedItem& item) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    if (!item.challenge || item.side != v1::ITEM_SIDE_NEED) return false;
    auto challenger = state.profiles.find(item.profile_id);
    if (challenger == state.profiles.end()) return false;
    const v1::Need* need = FindNeed(challenger->second.profile, item.item_id);
    return need != nullptr && ChallengeAdmits(need->challenge(), kind, country);
  };

  v1::FindPartnersRequest match;
  match.set_tenant(request.tenant());
  match.set_profile_id(request.profile_id());
  match.set_direction(v1::DIRECTION_OFFERS_TO_NEEDS);
  match.set_reciprocity(v1::RECIPROCITY_OFF);
  match.set_top_k(request.top_k());
  if (request.has_min_relevance()) match.set_min_relevance(request.min_relevance());
  MatchScope scope;
  scope.descriptions_as_items = true;
  scope.cover_need_words = true;
  scope.accept_item = admits;
  absl::StatusOr<v1::FindPartnersResponse> matched = matcher.FindPartners(match, scope);
  if (!matched.ok()) return matched.status();

  v1::FindChallengesResponse response;
  const v1::Date today = matcher.MatchingDay();
  // The deadline of each challenge (by challenger and need), and how many
  // open ones admit the solver.
  absl::flat_hash_map<std::pair<std::string, std::string>, v1::Date> deadlines;
  absl::Status read = catalog.ReadTenant(
      request.tenant(), [&](const TenantState* state) ABSL_NO_THREAD_SAFETY_ANALYSIS -> absl::Status {
        if (state == nullptr) return absl::OkStatus();
        // Challengers the solver declined are never matched, so not counted.
        auto declined = state->interactions.declined.find(request.profile_id());
        int open = 0;
        for (const auto& [vector_id, item] : state->items) {
          if (item.profile_id == request.profile_id() || IsExpired(item.expires, today) || !admits(*state, item)) {
            continue;
          }
          if (declined != state->interactions.declined.end() && declined->second.contains(item.profile_id)) continue;
          ++open;
          deadlines[{item.profile_id, item.item_id}] = item.expires;
        }
        response.set_open_challenges(open);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  for (v1::Suggestion& suggestion : *matched->mutable_suggestions()) {
    v1::ChallengeMatch* entry = response.add_challenges();
    auto deadline = deadlines.find(std::make_pair(suggestion.partner().id(), suggestion.need().id()));
    if (deadline != deadlines.end()) {
      *entry->mutable_deadline() = deadline->second;
      entry->set_days_left(DaysLeft(deadline->second, today));
    }
    *entry->mutable_suggestion() = std::move(suggestion);
  }
  response.set_no_fitting_challenge(response.challenges().empty());
  *response.mutable_near_misses() = std::move(*matched->mutable_near_misses());
  return response;
}

}  // namespace pollinator
