// `pollinator import`: streams the records of an ImportSource (import_source.h)
// to the server in batches and reports per line what did not make it.
// Profiles go to ProfileService.BulkUpsert, interactions (the lines of an
// export) to TransferService.ImportInteractions, which keeps their sequences
// and recording times; records keep their input order across both.
//
// A batch is `batch_size` records; the ones that were read cleanly are sent,
// each run of profiles in one call and each run of interactions in calls of
// at most 1000, every request carrying the tenant. Records that could not be
// read are reported locally by line number (and column, for CSV) and not
// sent. Per-item errors in a BulkUpsert response are mapped back to input
// lines. After every batch a progress line goes to `io.err`; at the end the
// summary goes to `io.out` (text, or one JSON object with `json`).
//
// If a call fails, the import stops, the summary is followed by a hint
// saying through which line the server confirmed everything (on `io.err`
// with `json`, so stdout stays one JSON object), and that call's status is
// returned. Interactions are stored all or nothing per call, so a refused
// one fails its call. Otherwise, if any line had an error, the result is an
// error with the code of the first failed line.
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
#include "tools/cli/import_source.h"
#include "tools/cli/pollinator_client.h"

namespace pollinator {

struct ImportOptions {
  std::string tenant;        // set on every request
  int32_t batch_size = 200;  // records per batch; >= 1
  bool json = false;         // print the summary as one JSON object
};

absl::Status RunImport(const ImportOptions& options, ImportSource& source,
                       PollinatorClient& client, const CommandIo& io);

// The same for JSON Lines on `input`.
absl::Status RunImport(const ImportOptions& options, std::istream& input,
                       PollinatorClient& client, const CommandIo& io);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_IMPORT_COMMAND_H_
