// Where `pollinator import` reads its records from, in one of three formats:
//   jsonl   JSON Lines: one pollinator.v1.Profile per line, or an export's
//           lines ({"profile": ...} and {"interaction": ...}); streamed
//   csv     the profile CSV layout of data/profile_csv.h; read whole
//   cordis  a CORDIS folder (organisations.csv, projects.csv,
//           participations.csv; data/cordis_import.h); read whole, one
//           profile per organisation, lines being organisations.csv rows
// Every record says which input lines it came from, so that the import can
// report by line; a record that could not be read carries its errors
// instead.
//
//   absl::StatusOr<std::unique_ptr<ImportSource>> source =
//       OpenImportSource(ImportFormat::kCsv, "profiles.csv", io);
//   ImportItem item;
//   while ((*source)->Next(&item)) ...
//
// Not thread-safe.
#ifndef POLLINATOR_TOOLS_CLI_IMPORT_SOURCE_H_
#define POLLINATOR_TOOLS_CLI_IMPORT_SOURCE_H_

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "pollinator/v1/transfer.pb.h"
#include "tools/cli/command_io.h"
#include "tools/cli/import_report.h"

namespace pollinator {

enum class ImportFormat { kJsonl, kCsv, kCordis };

// "jsonl", "csv" or "cordis"; InvalidArgument otherwise.
absl::StatusOr<ImportFormat> ParseImportFormat(absl::string_view name);

// The format `path` implies: a name ending in .csv is csv, a folder is
// cordis, anything else (stdin's "-" too) jsonl.
ImportFormat DefaultImportFormat(const std::string& path);

struct ImportItem {
  int64_t line = 0;   // the record's first input line
  int64_t lines = 1;  // the input lines it was read from
  // What to send when `errors` is empty: a profile or an interaction.
  v1::TransferRecord record;
  std::vector<ImportLineError> errors;
};

class ImportSource {
 public:
  virtual ~ImportSource() = default;

  // Fills `item` with the next record and returns true; false at the end of
  // the input or when reading it failed (see status()).
  virtual bool Next(ImportItem* item) = 0;
  // Every input line up to and including this one belongs to a record
  // returned so far (or to none).
  virtual int64_t line_number() const = 0;
  // DataLoss when reading the input failed, OK otherwise.
  virtual absl::Status status() const = 0;
};

// Streams JSON Lines from `input`, which must outlive the source.
std::unique_ptr<ImportSource> JsonlImportSource(std::istream* input);

// Opens `path` ("-" reads io.in, except for cordis) in `format`. NotFound
// for a missing file or CORDIS file; InvalidArgument for a CSV header the
// layout does not know. A CORDIS folder's size goes to io.err once read.
absl::StatusOr<std::unique_ptr<ImportSource>> OpenImportSource(
    ImportFormat format, const std::string& path, const CommandIo& io);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_IMPORT_SOURCE_H_
