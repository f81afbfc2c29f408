#include "services/workflows/cohort_screening.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/guards/response_bounds.h"
#include "services/validation.h"
#include "services/workflows/cohort_assignment.h"

namespace pollinator {
namespace {

constexpr int kDefaultPerMember = 3;
constexpr int kMaxPerMember = 20;
constexpr int kDefaultCapacity = 5;
constexpr int kMaxCapacity = 1000;
constexpr int kDefaultAlternatives = 5;
constexpr int kMaxAlternatives = 20;
constexpr int kMaxPoolIds = 1000;
// What an answer may weigh: gRPC's default 4 MiB receive limit, less room
// for framing and the JSON of the HTTP gateway, which is larger again.
constexpr size_t kMaxAnswerBytes = 3 << 20;

// Keeps `response` under kMaxAnswerBytes by listing fewer alternatives per
// member (the most that fit, the best ones); ResourceExhausted when even
// none fit.
absl::Status BoundAnswer(v1::ScreenCohortResponse& response) {
  BoundItemTexts(response);  // excerpts first: they are what clients get
  size_t bytes = response.ByteSizeLong();
  if (bytes <= kMaxAnswerBytes) return absl::OkStatus();
  size_t most = 0;
  for (const v1::MemberScreening& member : response.members()) {
    most = std::max(most, static_cast<size_t>(member.alternatives_size()));
  }
  while (bytes > kMaxAnswerBytes && most > 0) {
    --most;
    for (v1::MemberScreening& member : *response.mutable_members()) {
      while (static_cast<size_t>(member.alternatives_size()) > most) member.mutable_alternatives()->RemoveLast();
    }
    response.set_alternatives_limited_to(static_cast<int>(most));
    bytes = response.ByteSizeLong();
  }
  if (bytes <= kMaxAnswerBytes) return absl::OkStatus();
  return absl::ResourceExhaustedError(
      absl::StrCat("the screening's answer would be ", bytes >> 10, " KiB even without alternatives, over the ",
                   kMaxAnswerBytes >> 10, " KiB an answer may weigh; screen the cohort in smaller parts "
                   "(fewer members per call) or with a smaller per_member"));
}
// Candidates per member: FindPartners' own maximum.
constexpr int kCandidatesPerMember = 100;

absl::Status Invalid(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

absl::Status ValidatePairs(const google::protobuf::RepeatedPtrField<v1::MemberPartner>& pairs,
                           absl::string_view field, const absl::flat_hash_map<std::string, int>& members) {
  for (int i = 0; i < pairs.size(); ++i) {
    const std::string name = absl::StrCat(field, "[", i, "]");
    if (!members.contains(pairs[i].member_id())) {
      return Invalid(absl::StrCat(name, ".member_id"), absl::StrCat("\"", pairs[i].member_id(), "\" is not in cohort"));
    }
    if (absl::Status s = ValidateId(absl::StrCat(name, ".partner_id"), pairs[i].partner_id()); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ValidateRequest(const v1::ScreenCohortRequest& request, absl::flat_hash_map<std::string, int>& members) {
  if (request.cohort().empty()) return Invalid("cohort", "empty");
  if (request.cohort_size() > kMaxCohortSize) {
    return Invalid("cohort", absl::StrCat(request.cohort_size(), " members; at most ", kMaxCohortSize));
  }
  for (int i = 0; i < request.cohort_size(); ++i) {
    const std::string field = absl::StrCat("cohort[", i, "]");
    if (absl::Status s = ValidateId(field, request.cohort(i)); !s.ok()) return s;
    if (!members.emplace(request.cohort(i), i).second) return Invalid(field, absl::StrCat("\"", request.cohort(i), "\" repeated"));
  }
  if (request.per_member() < 0 || request.per_member() > kMaxPerMember) {
    return Invalid("per_member", absl::StrCat(request.per_member(), " is outside [1, ", kMaxPerMember, "] (0: 3)"));
  }
  if (request.has_default_capacity() && (request.default_capacity() < 0 || request.default_capacity() > kMaxCapacity)) {
    return Invalid("default_capacity", absl::StrCat(request.default_capacity(), " is outside [0, ", kMaxCapacity, "]"));
  }
  for (const auto& [id, capacity] : request.capacity_overrides()) {
    if (capacity < 0 || capacity > kMaxCapacity) {
      return Invalid(absl::StrCat("capacity_overrides[", id, "]"),
                     absl::StrCat(capacity, " is outside [0, ", kMaxCapacity, "]"));
    }
  }
  if (request.has_alternatives() && (request.alternatives() < 0 || request.alternatives() > kMaxAlternatives)) {
    return Invalid("alternatives", absl::StrCat(request.alternatives(), " is outside [0, ", kMaxAlternatives, "]"));
  }
  if (request.pool().profile_ids_size() > kMaxPoolIds) {
    return Invalid("pool.profile_ids", absl::StrCat("at most ", kMaxPoolIds));
  }
  if (absl::Status s = ValidatePairs(request.conflicts(), "conflicts", members); !s.ok()) return s;
  if (absl::Status s = ValidatePairs(request.must_include(), "must_include", members); !s.ok()) return s;
  for (int i = 0; i < request.must_include_size(); ++i) {
    if (members.contains(request.must_include(i).partner_id())) {
      return Invalid(absl::StrCat("must_include[", i, "].partner_id"),
                     absl::StrCat("\"", request.must_include(i).partner_id(), "\" is a cohort member, never a partner"));
    }
  }
  return absl::OkStatus();
}

std::string PairKey(const std::string& member, const std::string& partner) {
  return absl::StrCat(member, std::string(1, '\0'), partner);
}

}  // namespace

absl::StatusOr<v1::ScreenCohortResponse> ScreenCohort(const Catalog& catalog, const Matcher& matcher,
                                                      const v1::ScreenCohortRequest& request,
                                                      const std::function<bool()>& cancelled) {
  absl::flat_hash_map<std::string, int> members;
  if (absl::Status s = ValidateRequest(request, members); !s.ok()) return s;
  const int per_member = request.per_member() == 0 ? kDefaultPerMember : request.per_member();
  const int default_capacity = request.has_default_capacity() ? request.default_capacity() : kDefaultCapacity;
  const int alternatives = request.has_alternatives() ? request.alternatives() : kDefaultAlternatives;
  const absl::flat_hash_set<std::string> pool_ids(request.pool().profile_ids().begin(),
                                                  request.pool().profile_ids().end());

  // Every member's relevant partners, as the matcher ranks them.
  std::vector<std::vector<v1::Suggestion>> suggestions(request.cohort_size());
  std::vector<std::string> partner_ids;
  absl::flat_hash_map<std::string, int> partner_index;
  auto index_of = [&](const std::string& id) {
    auto [it, added] = partner_index.emplace(id, static_cast<int>(partner_ids.size()));
    if (added) partner_ids.push_back(id);
    return it->second;
  };
  CohortProblem problem;
  for (int m = 0; m < request.cohort_size(); ++m) {
    if (cancelled && cancelled()) return absl::CancelledError("screening cancelled by the client");
    v1::FindPartnersRequest find;
    find.set_tenant(request.tenant());
    find.set_profile_id(request.cohort(m));
    find.set_top_k(kCandidatesPerMember);
    *find.mutable_filters()->mutable_kinds() = request.pool().kinds();
    *find.mutable_filters()->mutable_components() = request.pool().components();
    *find.mutable_filters()->mutable_exclude_profile_ids() = request.cohort();
    if (request.has_min_relevance()) find.set_min_relevance(request.min_relevance());
    absl::StatusOr<v1::FindPartnersResponse> found = matcher.FindPartners(find);
    if (!found.ok()) {
      return absl::Status(found.status().code(), absl::StrCat("cohort[", m, "]: ", found.status().message()));
    }
    for (v1::Suggestion& suggestion : *found->mutable_suggestions()) {
      if (!pool_ids.empty() && !pool_ids.contains(suggestion.partner().id())) continue;
      problem.candidates.push_back({m, index_of(suggestion.partner().id()), suggestion.score()});
      suggestions[m].push_back(std::move(suggestion));
    }
  }
  // A must-include partner need not be relevant, but it must exist.
  absl::flat_hash_map<std::string, v1::Suggestion> required;
  for (int i = 0; i < request.must_include_size(); ++i) {
    const v1::MemberPartner& pair = request.must_include(i);
    const int m = members.at(pair.member_id());
    v1::Suggestion forced;
    for (const v1::Suggestion& suggestion : suggestions[m]) {
      if (suggestion.partner().id() == pair.partner_id()) forced = suggestion;
    }
    if (forced.partner().id().empty()) {
      absl::StatusOr<v1::Profile> partner = catalog.Get(request.tenant(), pair.partner_id());
      if (!partner.ok()) {
        return absl::Status(partner.status().code(),
                            absl::StrCat("must_include[", i, "].partner_id: ", partner.status().message()));
      }
      forced.mutable_partner()->set_id(partner->id());
      forced.mutable_partner()->set_name(partner->name());
      forced.mutable_partner()->set_kind(partner->kind());
      forced.add_reasons("Required by the screening; not relevant enough to be suggested on its own");
    }
    problem.must_include.push_back({m, index_of(pair.partner_id())});
    required[PairKey(pair.member_id(), pair.partner_id())] = std::move(forced);
  }
  for (const v1::MemberPartner& pair : request.conflicts()) {
    auto partner = partner_index.find(pair.partner_id());
    if (partner != partner_index.end()) problem.conflicts.push_back({members.at(pair.member_id()), partner->second});
  }
  problem.members = request.cohort_size();
  problem.partners = static_cast<int>(partner_ids.size());
  problem.per_member = per_member;
  problem.capacity.assign(partner_ids.size(), default_capacity);
  for (size_t p = 0; p < partner_ids.size(); ++p) {
    auto override_it = request.capacity_overrides().find(partner_ids[p]);
    if (override_it != request.capacity_overrides().end()) problem.capacity[p] = override_it->second;
  }
  absl::StatusOr<CohortAssignment> solved = SolveCohortAssignment(problem);
  if (!solved.ok()) return solved.status();

  v1::ScreenCohortResponse response;
  response.set_total_score(solved->total_score);
  std::vector<absl::flat_hash_set<std::string>> assigned(request.cohort_size());
  for (const CohortCandidate& pair : solved->assigned) {
    const std::string& member = request.cohort(pair.member);
    const std::string& partner = partner_ids[pair.partner];
    assigned[pair.member].insert(partner);
    v1::CohortAssignment* assignment = response.add_assignments();
    assignment->set_member_id(member);
    auto forced = required.find(PairKey(member, partner));
    assignment->set_required(forced != required.end());
    if (forced != required.end()) {
      *assignment->mutable_suggestion() = forced->second;
      continue;
    }
    for (const v1::Suggestion& suggestion : suggestions[pair.member]) {
      if (suggestion.partner().id() == partner) *assignment->mutable_suggestion() = suggestion;
    }
  }
  for (const UnassignedSlot& slot : solved->unassigned) {
    v1::UnassignedSlots* unassigned = response.add_unassigned();
    unassigned->set_member_id(request.cohort(slot.member));
    unassigned->set_count(slot.slot_count);
    unassigned->set_reason(slot.reason == UnassignedReason::kNoRelevantPartner
                               ? v1::UNASSIGNED_REASON_NO_RELEVANT_PARTNER
                               : v1::UNASSIGNED_REASON_CAPACITY_USED_UP);
  }
  for (int m = 0; m < request.cohort_size(); ++m) {
    v1::MemberScreening* screening = response.add_members();
    screening->set_member_id(request.cohort(m));
    for (const v1::Suggestion& suggestion : suggestions[m]) {
      if (screening->alternatives_size() >= alternatives) break;
      if (!assigned[m].contains(suggestion.partner().id())) *screening->add_alternatives() = suggestion;
    }
  }
  if (absl::Status s = BoundAnswer(response); !s.ok()) return s;
  return response;
}

}  // namespace pollinator
