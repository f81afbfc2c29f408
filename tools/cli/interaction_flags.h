// Builds the requests of `pollinator interact` (RecordInteraction) and
// `pollinator history` (ListInteractions) from the raw values of their flags,
// so that every usage error is found before any RPC.
//
// Every error is InvalidArgument and names the flag:
//   --reason is required with --type=declined; one of not-relevant, ...
//
//   InteractFlags flags;
//   flags.from = "smb-1";
//   flags.to = "ipa";
//   flags.type = "declined";
//   flags.reason = "too-far";
//   absl::StatusOr<v1::RecordInteractionRequest> request =
//       BuildRecordInteractionRequest(flags, "acme");
#ifndef POLLINATOR_TOOLS_CLI_INTERACTION_FLAGS_H_
#define POLLINATOR_TOOLS_CLI_INTERACTION_FLAGS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "pollinator/v1/service.pb.h"

namespace pollinator {

// The `interact` flags as given on the command line. Empty strings mean "not
// given".
struct InteractFlags {
  std::string from;  // --from: the profile that acted; required
  std::string to;    // --to: the profile acted upon; required, not --from
  // --type: shown, contacted, accepted, declined or collaborated; required.
  std::string type;
  // --reason: why it was declined (not-relevant, too-far, no-capacity,
  // already-known, other); required with --type=declined, rejected otherwise.
  std::string reason;
  std::string note;  // --note: free text, at most 1 KiB
};

// The `history` flags as given on the command line.
struct HistoryFlags {
  std::string profile;  // --profile: whose interactions; required
  int32_t limit = 0;    // --limit: at most this many; 0 means all
};

// Validates the flags and builds the request for `tenant`.
absl::StatusOr<v1::RecordInteractionRequest> BuildRecordInteractionRequest(
    const InteractFlags& flags, absl::string_view tenant);

// Validates the flags and builds the request for the first page of `tenant`'s
// history of flags.profile. The page size follows --limit (at most the
// server's maximum of 1000); the caller stops at the limit itself.
absl::StatusOr<v1::ListInteractionsRequest> BuildListInteractionsRequest(
    const HistoryFlags& flags, absl::string_view tenant);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_INTERACTION_FLAGS_H_
