// Readable names for Pollinator's enums and for status codes.
//
// The CLI accepts enum values in flags by their short snake_case spelling
// (`--kinds=university,research_institute`), read from the proto descriptors
// so that a value added to the proto is accepted without a change here.
// Tables print the labels of index/labels.h, which the server's reasons use
// too.
//
//   absl::StatusOr<v1::ProfileKind> kind = ParseProfileKind("university");
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
#include "pollinator/v1/profile.pb.h"

namespace pollinator {

// Parses a kind's short name ("research_institute"), case-insensitively; the
// full enum name ("PROFILE_KIND_RESEARCH_INSTITUTE") is accepted too.
// UNSPECIFIED is not a valid choice. Unknown names give InvalidArgument with
// the list of valid names.
absl::StatusOr<v1::ProfileKind> ParseProfileKind(absl::string_view name);

// Same for components ("technology_infrastructure").
absl::StatusOr<v1::Component> ParseComponent(absl::string_view name);

// The short names ParseProfileKind and ParseComponent accept, in proto order.
std::vector<std::string> ProfileKindNames();
std::vector<std::string> ComponentNames();

// The canonical name of a google.rpc.Code ("NOT_FOUND"); "CODE_<n>" for
// numbers outside the known range.
std::string StatusCodeName(int code);

// "NOT_FOUND: <message>", or just the code name when the message is empty.
std::string FormatStatus(const absl::Status& status);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_NAMES_H_
