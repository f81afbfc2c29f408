// `pollinator cohort`: screens an accelerator cohort (CohortService) from a
// CSV of member ids and writes the assignment as CSV, one row per slot:
//
//   pollinator --key=$KEY cohort --cohort=cohort.csv --pool_kinds=university,research_institute \
//       --per_member=3 --capacity=5 > assignment.csv
//
// The cohort CSV has a header with a `profile_id` (or `id`) column; other
// columns are ignored. Output columns: member_id, slot, status (assigned or
// unassigned), partner_id, partner_name, partner_kind, score, required,
// reason. A summary goes to stderr; --json prints the ScreenCohortResponse.
#ifndef POLLINATOR_TOOLS_CLI_COHORT_COMMAND_H_
#define POLLINATOR_TOOLS_CLI_COHORT_COMMAND_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pollinator/v1/cohort.pb.h"
#include "tools/cli/command_io.h"
#include "tools/cli/pollinator_client.h"

namespace pollinator {

struct CohortFlags {
  std::string cohort;           // --cohort: the CSV of members
  std::string pool_kinds;       // --pool_kinds: partner kinds
  std::string pool_components;  // --pool_components: components of their offer
  std::string pool_ids;         // --pool_ids: only these partners
  int32_t per_member = 3;       // --per_member: 1 to 20
  int32_t capacity = 5;         // --capacity: members per partner, 0 to 1000
  std::string capacity_overrides;  // --capacity_overrides: ID:N,...
  std::string conflicts;           // --conflicts: MEMBER:PARTNER,...
  std::string must_include;        // --must_include: MEMBER:PARTNER,...
  int32_t alternatives = 5;        // --alternatives: 0 to 20
};

// Everything but the cohort file, which is read when the command runs.
// InvalidArgument naming the flag.
absl::StatusOr<v1::ScreenCohortRequest> BuildScreenCohortRequest(const CohortFlags& flags, const std::string& tenant);

// Reads the members from `cohort_csv` into `request`, calls ScreenCohort and
// prints the result. File errors name the file and the row.
absl::Status RunCohortCommand(const std::string& cohort_csv, v1::ScreenCohortRequest request, bool json,
                              PollinatorClient& client, const CommandIo& io);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_COHORT_COMMAND_H_
