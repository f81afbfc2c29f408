// `pollinator gaps`: the tenant's ecosystem gap analysis
// (EcosystemService.AnalyzeEcosystem) as a table per component and region,
// then the unmet needs with their shortfall, then the offers nobody needs.
//
//   pollinator --key=$KEY gaps [--min_relevance=0.3] [--json]
#ifndef POLLINATOR_TOOLS_CLI_GAPS_COMMAND_H_
#define POLLINATOR_TOOLS_CLI_GAPS_COMMAND_H_

#include "absl/status/status.h"
#include "pollinator/v1/ecosystem.pb.h"
#include "tools/cli/command_io.h"
#include "tools/cli/pollinator_client.h"

namespace pollinator {

absl::Status RunGaps(const v1::AnalyzeEcosystemRequest& request, bool json, PollinatorClient& client,
                     const CommandIo& io);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_GAPS_COMMAND_H_
