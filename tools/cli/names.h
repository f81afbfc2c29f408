// Readable names for Pollinator's enums and for status codes.
//
// The CLI accepts enum values in flags by their short spelling
// (`--kinds=university,research_institute`, `--reason=too-far`), read from
// the proto descriptors (data/enum_names.h) so that a value added to the proto
// is accepted without a change here. Parsing is case-insensitive, treats "-" and "_" alike and
// also takes the full enum name. Tables print kinds and components with the
// labels of index/labels.h, which the server's reasons use too, and the other
// enums with their short names, so that a value can be pasted back into a
// flag.
//
//   absl::StatusOr<v1::ProfileKind> kind = ParseProfileKind("university");
//   absl::StatusOr<v1::DeclineReason> reason = ParseDeclineReason("too-far");
//   // "too-far":
//   std::string name = DeclineReasonName(v1::DECLINE_REASON_TOO_FAR);
//   // "NOT_FOUND: no profile x":
//   std::string line = FormatStatus(absl::NotFoundError("no profile x"));
#ifndef POLLINATOR_TOOLS_CLI_NAMES_H_
#define POLLINATOR_TOOLS_CLI_NAMES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "index/labels.h"
#include "pollinator/v1/interaction.pb.h"
#include "pollinator/v1/matching.pb.h"
#include "pollinator/v1/profile.pb.h"

namespace pollinator {

// Parses a kind's short name ("research_institute"), case-insensitively; the
// full enum name ("PROFILE_KIND_RESEARCH_INSTITUTE") is accepted too.
// UNSPECIFIED is not a valid choice. Unknown names give InvalidArgument with
// the list of valid names.
absl::StatusOr<v1::ProfileKind> ParseProfileKind(absl::string_view name);

// Same for components ("technology_infrastructure").
absl::StatusOr<v1::Component> ParseComponent(absl::string_view name);

// "harmonic", "arithmetic" or "off" (`match --reciprocity`).
absl::StatusOr<v1::Reciprocity> ParseReciprocity(absl::string_view name);

// "shown", "contacted", "accepted", "declined" or "collaborated"
// (`interact --type`).
absl::StatusOr<v1::InteractionType> ParseInteractionType(
    absl::string_view name);

// "not-relevant", "too-far", "no-capacity", "already-known" or "other"
// (`interact --reason`); "not_relevant" works too.
absl::StatusOr<v1::DeclineReason> ParseDeclineReason(absl::string_view name);

// The short names the Parse functions above accept, in proto order, without
// UNSPECIFIED. Kinds, components, reciprocities and interaction types use
// "_" between words, decline reasons "-".
std::vector<std::string> ProfileKindNames();
std::vector<std::string> ComponentNames();
std::vector<std::string> ReciprocityNames();
std::vector<std::string> InteractionTypeNames();
std::vector<std::string> DeclineReasonNames();

// The short name of a value ("declined", "too-far"); "unspecified" for 0 and
// the number for a value this build does not know (a newer server's).
std::string InteractionTypeName(v1::InteractionType type);
std::string DeclineReasonName(v1::DeclineReason reason);

// The canonical name of a google.rpc.Code ("NOT_FOUND"); "CODE_<n>" for
// numbers outside the known range.
std::string StatusCodeName(int code);

// "NOT_FOUND: <message>", or just the code name when the message is empty.
std::string FormatStatus(const absl::Status& status);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_NAMES_H_
