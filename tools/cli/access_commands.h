// `keys create|list|revoke` (a tenant admin key manages its tenant's keys)
// and `tenants create|list|delete|suspend|resume` (the operator key), run
// against a PollinatorClient. A new key's secret is printed once, on stdout,
// with a reminder on stderr that it is not shown again.
//
//   absl::Status status = RunAccessCommand(invocation, client, io);
#ifndef POLLINATOR_TOOLS_CLI_ACCESS_COMMANDS_H_
#define POLLINATOR_TOOLS_CLI_ACCESS_COMMANDS_H_

#include "absl/status/status.h"
#include "tools/cli/command_io.h"
#include "tools/cli/invocation.h"
#include "tools/cli/pollinator_client.h"

namespace pollinator {

absl::Status RunAccessCommand(const Invocation& invocation, PollinatorClient& client, const CommandIo& io);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_ACCESS_COMMANDS_H_
