// Splits `pollinator`'s arguments into flags and positional arguments, and
// sets the flags through Abseil's flag registry (absl/flags/reflection.h).
//
// absl::ParseCommandLine would do the same, but it calls std::exit(1) on an
// unknown flag or a bad value and on --help. The CLI promises exit status 2 for
// usage errors and 0 for --help, so it parses here and lets main decide.
//
// Accepted forms, as with absl: --name=value, --name value (non-bool flags),
// --bool, --nobool, --bool=false, one or two leading dashes, and "--" to end
// the flags. "-" alone is a positional argument (stdin). Flags may come before
// or after the command. A "-" inside a flag name stands for "_"
// (--max-per-kind is --max_per_kind). --help, -h and --helpfull only set
// help_requested.
//
//   absl::StatusOr<CommandLine> command_line =
//       ParseCommandLine({"get", "--tenant=acme", "x"});
//   // command_line->positional is {"get", "x"};
//   // absl::GetFlag(FLAGS_tenant) is "acme".
#ifndef POLLINATOR_TOOLS_CLI_COMMAND_LINE_H_
#define POLLINATOR_TOOLS_CLI_COMMAND_LINE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace pollinator {

struct CommandLine {
  std::vector<std::string> positional;  // the command and its arguments
  bool help_requested = false;
};

// `args` excludes the program name. Sets every flag it meets; errors
// (InvalidArgument) name the flag: "unknown flag --foo",
// "--top_k: invalid value \"x\", expected an integer". Not thread-safe: it
// writes global flags.
absl::StatusOr<CommandLine> ParseCommandLine(
    absl::Span<const std::string> args);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_COMMAND_LINE_H_
