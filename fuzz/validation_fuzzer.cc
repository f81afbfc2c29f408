// Fuzzes request validation (services/validation.h) the way the gRPC
// services reach it: the input is the wire encoding a client sends, parsed
// as each request message that is validated before anything is written
// (UpsertProfile, FindPartners, RecordInteractions).
//
// Invariants: validation never crashes, is deterministic, gives the same
// answer for the message re-encoded and parsed again, rejects only with
// InvalidArgument and a message, and what it accepts holds to the limits
// validation.h documents.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_check.h"
#include "pollinator/v1/matching.pb.h"
#include "pollinator/v1/service.pb.h"
#include "services/validation.h"

namespace pollinator {
namespace {

// The same result, code and message alike.
bool SameStatus(const absl::Status& a, const absl::Status& b) { return a == b; }

void CheckRejection(const absl::Status& status) {
  if (status.ok()) return;
  POLLINATOR_FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument, status.ToString());
  POLLINATOR_FUZZ_CHECK(!status.message().empty());
}

bool AllFinite(const google::protobuf::RepeatedField<float>& values) {
  for (float value : values) {
    if (!std::isfinite(value)) return false;
  }
  return true;
}

template <typename Items>
void CheckAcceptedItems(const Items& items) {
  POLLINATOR_FUZZ_CHECK(items.size() <= kMaxItemsPerList);
  std::set<std::string> ids;
  for (const auto& item : items) {
    POLLINATOR_FUZZ_CHECK(!item.id().empty() && item.id().size() <= kMaxIdBytes, item.id());
    POLLINATOR_FUZZ_CHECK(ids.insert(item.id()).second, absl::StrCat("id used twice: ", item.id()));
    POLLINATOR_FUZZ_CHECK(item.text().size() <= kMaxTextBytes);
    POLLINATOR_FUZZ_CHECK(item.modes_size() <= kMaxModesPerItem);
    POLLINATOR_FUZZ_CHECK(item.vector().empty() || ValidateVector("vector", item.vector()).ok());
    POLLINATOR_FUZZ_CHECK(AllFinite(item.vector()));
    // Whatever the expiry, a date is never before itself.
    POLLINATOR_FUZZ_CHECK(!IsExpired(ItemExpiry(item), ItemExpiry(item)));
  }
}

// What ValidateProfile accepted.
void CheckAcceptedProfile(const v1::Profile& profile) {
  POLLINATOR_FUZZ_CHECK(ValidateId("id", profile.id()).ok());
  POLLINATOR_FUZZ_CHECK(profile.kind() != v1::PROFILE_KIND_UNSPECIFIED && v1::ProfileKind_IsValid(profile.kind()));
  POLLINATOR_FUZZ_CHECK(profile.ByteSizeLong() <= kMaxProfileBytes);
  POLLINATOR_FUZZ_CHECK(profile.sectors_size() <= kMaxSectors && profile.languages_size() <= kMaxLanguages);
  POLLINATOR_FUZZ_CHECK(AllFinite(profile.description_vector()));
  CheckAcceptedItems(profile.needs());
  CheckAcceptedItems(profile.offers());
  for (const v1::Need& need : profile.needs()) {
    // A challenge must have a deadline, so it always expires.
    if (need.has_challenge()) POLLINATOR_FUZZ_CHECK(ItemExpiry(need).year() != 0);
  }
}

absl::Status ValidateUpsert(const v1::UpsertProfileRequest& request) {
  if (absl::Status s = ValidateTenant(request.tenant()); !s.ok()) return s;
  return ValidateProfile(request.profile());
}

// Matcher::Validate's checks, in its order, from validation.h alone (the
// matcher itself needs a catalog).
absl::Status ValidateFind(const v1::FindPartnersRequest& request) {
  if (absl::Status s = ValidateTenant(request.tenant()); !s.ok()) return s;
  absl::StatusOr<int> top_k = ResolveTopK(request.top_k());
  if (!top_k.ok()) return top_k.status();
  POLLINATOR_FUZZ_CHECK(*top_k >= 1 && *top_k <= kMaxTopK);
  POLLINATOR_FUZZ_CHECK(request.top_k() != 0 || *top_k == 10);
  if (absl::Status s = ValidateFilters(request.filters()); !s.ok()) return s;
  if (absl::Status s = ValidateRankingOptions(request); !s.ok()) return s;
  switch (request.query_case()) {
    case v1::FindPartnersRequest::kProfileId:
      return ValidateId("profile_id", request.profile_id());
    case v1::FindPartnersRequest::kText:
      return ValidateText("text", request.text());
    case v1::FindPartnersRequest::kVector:
      return ValidateVector("vector.values", request.vector().values());
    default:
      return absl::InvalidArgumentError("query: unset");
  }
}

void CheckAcceptedFind(const v1::FindPartnersRequest& request) {
  POLLINATOR_FUZZ_CHECK(request.diversity() >= 0.0 && request.diversity() <= 1.0);
  POLLINATOR_FUZZ_CHECK(request.max_per_kind() >= 0 && request.max_per_kind() <= kMaxTopK);
  POLLINATOR_FUZZ_CHECK(!request.has_min_relevance() ||
                        (request.min_relevance() >= 0.0 && request.min_relevance() <= 1.0));
  const v1::MatchFilters& filters = request.filters();
  POLLINATOR_FUZZ_CHECK(!filters.has_max_distance_km() ||
                        (std::isfinite(filters.max_distance_km()) && filters.max_distance_km() > 0.0));
  POLLINATOR_FUZZ_CHECK(filters.exclude_profile_ids_size() <= kMaxExcludedProfiles);
  if (request.query_case() == v1::FindPartnersRequest::kVector) {
    POLLINATOR_FUZZ_CHECK(AllFinite(request.vector().values()));
  }
}

absl::Status ValidateInteractions(const v1::RecordInteractionsRequest& request) {
  if (absl::Status s = ValidateTenant(request.tenant()); !s.ok()) return s;
  // The catalog validates the request's items as a vector.
  const std::vector<v1::Interaction> interactions(request.interactions().begin(), request.interactions().end());
  return ValidateInteractionBatch(interactions);
}

void CheckAcceptedInteractions(const v1::RecordInteractionsRequest& request) {
  POLLINATOR_FUZZ_CHECK(request.interactions_size() >= 1 &&
                        request.interactions_size() <= kMaxInteractionsPerBatch);
  for (int i = 0; i < request.interactions_size(); ++i) {
    const v1::Interaction& interaction = request.interactions(i);
    // The batch accepts exactly what each item would on its own.
    POLLINATOR_FUZZ_CHECK(ValidateInteraction(absl::StrCat("interactions[", i, "]"), interaction).ok());
    POLLINATOR_FUZZ_CHECK(interaction.from_profile_id() != interaction.to_profile_id());
  }
}

// Parses `data` as Request, validates it twice and once more after a
// re-encoding, and checks what was accepted.
template <typename Request, typename ValidateFn, typename CheckFn>
void FuzzRequest(const uint8_t* data, size_t size, ValidateFn validate, CheckFn check_accepted) {
  Request request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  const absl::Status first = validate(request);
  CheckRejection(first);
  POLLINATOR_FUZZ_CHECK(SameStatus(first, validate(request)), "validation is not deterministic");

  Request reparsed;
  POLLINATOR_FUZZ_CHECK(reparsed.ParseFromString(request.SerializeAsString()), "re-encoded request does not parse");
  const absl::Status second = validate(reparsed);
  POLLINATOR_FUZZ_CHECK(SameStatus(first, second), absl::StrCat(first.ToString(), " became ", second.ToString()));
  if (first.ok()) check_accepted(request);
}

}  // namespace
}  // namespace pollinator

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  pollinator::fuzz::QuietProtobufLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pollinator;
  // Bigger requests only repeat the same checks, slower.
  if (size > static_cast<size_t>(kMaxRequestMessageBytes)) return 0;
  FuzzRequest<v1::UpsertProfileRequest>(data, size, ValidateUpsert, [](const v1::UpsertProfileRequest& request) {
    CheckAcceptedProfile(request.profile());
  });
  FuzzRequest<v1::FindPartnersRequest>(data, size, ValidateFind, CheckAcceptedFind);
  FuzzRequest<v1::RecordInteractionsRequest>(data, size, ValidateInteractions, CheckAcceptedInteractions);
  return 0;
}
