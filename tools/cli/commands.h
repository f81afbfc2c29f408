// Runs a validated Invocation (invocation.h) against a PollinatorClient:
// `get`, `delete`, `list`, `match`, `interact`, `history` and `health` here,
// `import` in import_command.h, `export` in export_command.h. Results go to `io.out`, as tables or, with
// --json, in the protobuf JSON mapping; hints go to `io.err`.
//
// A non-OK result is the error to print ("error: NOT_FOUND: ...") and means
// exit status 1; the command has already printed whatever it could.
//
//   absl::Status status = RunInvocation(*invocation, *client, io);
#ifndef POLLINATOR_TOOLS_CLI_COMMANDS_H_
#define POLLINATOR_TOOLS_CLI_COMMANDS_H_

#include "absl/status/status.h"
#include "tools/cli/command_io.h"
#include "tools/cli/invocation.h"
#include "tools/cli/pollinator_client.h"

namespace pollinator {

absl::Status RunInvocation(const Invocation& invocation,
                           PollinatorClient& client, const CommandIo& io);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_COMMANDS_H_
