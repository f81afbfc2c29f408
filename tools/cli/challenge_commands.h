// `pollinator solvers` and `pollinator challenges`: the two sides of an
// open-innovation challenge (ChallengeService).
//
//   pollinator --key=$KEY solvers --profile=corp-de-chemicals --item=n1 --top_k=5
//   pollinator --key=$KEY challenges --profile=smb-de-ruhr-steel-coatings
//
// `solvers` prints the challenge, its closing day, and the ranked solvers in
// the `match` view; `challenges` prints the open challenges the profile could
// solve, each with its closing day, then the same view. --json prints the
// response.
#ifndef POLLINATOR_TOOLS_CLI_CHALLENGE_COMMANDS_H_
#define POLLINATOR_TOOLS_CLI_CHALLENGE_COMMANDS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pollinator/v1/challenge.pb.h"
#include "tools/cli/command_io.h"
#include "tools/cli/match_flags.h"
#include "tools/cli/pollinator_client.h"

namespace pollinator {

// From the `match` flags --profile, --item (the challenge need), --top_k and
// --min_relevance; InvalidArgument naming the flag.
absl::StatusOr<v1::FindSolversRequest> BuildFindSolversRequest(const MatchFlags& flags, const std::string& tenant);
// From --profile, --top_k and --min_relevance.
absl::StatusOr<v1::FindChallengesRequest> BuildFindChallengesRequest(const MatchFlags& flags,
                                                                     const std::string& tenant);

absl::Status RunSolvers(const v1::FindSolversRequest& request, bool json, PollinatorClient& client,
                        const CommandIo& io);
absl::Status RunChallenges(const v1::FindChallengesRequest& request, bool json, PollinatorClient& client,
                           const CommandIo& io);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_CHALLENGE_COMMANDS_H_
