// Builds interaction requests from `interact` and `history` flags (see
// interaction_flags.h).
#include "tools/cli/interaction_flags.h"

#include <algorithm>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/cli/names.h"

namespace pollinator {
namespace {

// Interaction.note's limit (interaction.proto); checked here too so that the
// mistake is a usage error.
constexpr size_t kMaxNoteBytes = 1024;
// ListInteractionsRequest.page_size's maximum.
constexpr int32_t kMaxPageSize = 1000;

absl::Status FlagError(absl::string_view flag, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", message));
}

absl::Status Required(absl::string_view flag, absl::string_view command) {
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, " is required for ", command));
}

absl::Status SetReason(const InteractFlags& flags,
                       v1::Interaction* interaction) {
  const bool declined = interaction->type() == v1::INTERACTION_TYPE_DECLINED;
  if (flags.reason.empty()) {
    if (!declined) return absl::OkStatus();
    return absl::InvalidArgumentError(
        absl::StrCat("--reason is required with --type=declined; one of ",
                     absl::StrJoin(DeclineReasonNames(), ", ")));
  }
  if (!declined) return FlagError("reason", "only works with --type=declined");
  absl::StatusOr<v1::DeclineReason> reason = ParseDeclineReason(flags.reason);
  if (!reason.ok()) return FlagError("reason", reason.status().message());
  interaction->set_decline_reason(*reason);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::RecordInteractionRequest> BuildRecordInteractionRequest(
    const InteractFlags& flags, absl::string_view tenant) {
  if (flags.from.empty()) return Required("from", "interact");
  if (flags.to.empty()) return Required("to", "interact");
  if (flags.to == flags.from) {
    return FlagError("to", "must differ from --from");
  }
  if (flags.type.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--type is required for interact; one of ",
                     absl::StrJoin(InteractionTypeNames(), ", ")));
  }
  absl::StatusOr<v1::InteractionType> type = ParseInteractionType(flags.type);
  if (!type.ok()) return FlagError("type", type.status().message());
  if (flags.note.size() > kMaxNoteBytes) {
    return FlagError("note", absl::StrCat(flags.note.size(),
                                          " bytes, over the limit of 1 KiB"));
  }
  v1::RecordInteractionRequest request;
  request.set_tenant(std::string(tenant));
  v1::Interaction* interaction = request.mutable_interaction();
  interaction->set_from_profile_id(flags.from);
  interaction->set_to_profile_id(flags.to);
  interaction->set_type(*type);
  interaction->set_note(flags.note);
  absl::Status status = SetReason(flags, interaction);
  if (!status.ok()) return status;
  return request;
}

absl::StatusOr<v1::ListInteractionsRequest> BuildListInteractionsRequest(
    const HistoryFlags& flags, absl::string_view tenant) {
  if (flags.profile.empty()) return Required("profile", "history");
  if (flags.limit < 0) {
    return FlagError(
        "limit", absl::StrCat("must be 0 (all) or more, got ", flags.limit));
  }
  v1::ListInteractionsRequest request;
  request.set_tenant(std::string(tenant));
  request.set_profile_id(flags.profile);
  request.set_page_size(flags.limit == 0 ? kMaxPageSize
                                         : std::min(flags.limit, kMaxPageSize));
  return request;
}

}  // namespace pollinator
