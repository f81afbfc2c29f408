// JSON output for the CLI: API messages in the protobuf JSON mapping (enum
// names, lowerCamelCase field names, one line per message), and quoting for
// the few objects the CLI writes by hand (the import summary, health
// results). Reading profiles is data/profile_jsonl.h's job.
//
//   absl::StatusOr<std::string> line = MessageToJson(profile);
//   std::string quoted = JsonQuote("say \"hi\"");  // "\"say \\\"hi\\\"\""
#ifndef POLLINATOR_TOOLS_CLI_JSON_TEXT_H_
#define POLLINATOR_TOOLS_CLI_JSON_TEXT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include <ostream>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace pollinator {

// One line of JSON, without a trailing newline. Default values are omitted.
absl::StatusOr<std::string> MessageToJson(
    const google::protobuf::Message& message);

// MessageToJson(message) and a line break on `out`.
absl::Status PrintJson(const google::protobuf::Message& message,
                       std::ostream& out);

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(absl::string_view text);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_JSON_TEXT_H_
