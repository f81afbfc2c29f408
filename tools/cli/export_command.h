// `pollinator export [--profile=ID] [--output=FILE]`: everything of the
// tenant, or everything stored about one profile, as JSON
// Lines, from TransferService.ExportTenant: one line per record, profiles
// (id order) and then interactions (sequence order), in the format of
// data/profile_jsonl.h. `pollinator import` of the file into an empty tenant
// gives the tenant back, interactions with their sequences and times, so
// that its export is the same bytes.
//
// Without `output` the lines go to `io.out`. With it they go to a
// temporary file beside FILE that replaces FILE only when the export is
// complete, so that a failed export never leaves a truncated file under
// the name. Progress and the totals go to `io.err`:
// "export: 170 profiles, 12 interactions".
//
//   ExportOptions options;
//   options.tenant = "acme";
//   options.output = "acme.jsonl";
//   absl::Status status = RunExport(options, client, io);
#ifndef POLLINATOR_TOOLS_CLI_EXPORT_COMMAND_H_
#define POLLINATOR_TOOLS_CLI_EXPORT_COMMAND_H_

#include <string>

#include "absl/status/status.h"
#include "tools/cli/command_io.h"
#include "tools/cli/pollinator_client.h"

namespace pollinator {

struct ExportOptions {
  std::string tenant;  // empty: the key's tenant
  std::string output;  // file to write; empty for io.out
  // Set: only what is stored about this profile (ExportProfile), for an
  // access request.
  std::string profile_id;
};

absl::Status RunExport(const ExportOptions& options, PollinatorClient& client,
                       const CommandIo& io);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_EXPORT_COMMAND_H_
