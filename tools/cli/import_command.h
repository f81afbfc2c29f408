// `pollinator import`: streams JSON Lines profiles to ProfileService.BulkUpsert
// in batches, one call per batch, and reports per line what did not make it.
//
// A batch is `batch_size` non-blank lines; the lines that parse are sent in
// one call, each request carrying the tenant. Lines that do not parse are
// reported locally by line number and not sent. Per-item errors in the
// response are mapped back to input lines. After every batch a progress line
// goes to `io.err`; at the end the summary goes to `io.out` (text, or one JSON
// object with `json`).
//
// If a BulkUpsert call fails, the import stops, the summary is followed by a
// hint saying through which line the server confirmed everything (on `io.err`
// with `json`, so stdout stays one JSON object), and that call's status is
// returned.
// Otherwise, if any line had an error, the result is an error with the code of
// the first failed line.
//
//   ImportOptions options;
//   options.tenant = "acme";
//   std::ifstream file("profiles.jsonl");
//   absl::Status status = RunImport(options, file, client, io);
#ifndef POLLINATOR_TOOLS_CLI_IMPORT_COMMAND_H_
#define POLLINATOR_TOOLS_CLI_IMPORT_COMMAND_H_

#include <cstdint>
#include <istream>
#include <string>

#include "absl/status/status.h"
#include "tools/cli/command_io.h"
#include "tools/cli/pollinator_client.h"

namespace pollinator {

struct ImportOptions {
  std::string tenant;        // set on every UpsertProfileRequest
  int32_t batch_size = 200;  // non-blank lines per BulkUpsert call; >= 1
  bool json = false;         // print the summary as one JSON object
};

absl::Status RunImport(const ImportOptions& options, std::istream& input,
                       PollinatorClient& client, const CommandIo& io);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_IMPORT_COMMAND_H_
