// Reads pollinator.v1.Profile records from JSON Lines (one profile per line,
// protobuf JSON mapping), streaming: one line in memory at a time. Used by
// the server to load the bundled samples and by the CLI's import.
//
// Also the lines of a tenant export (TransferService.ExportTenant): one
// pollinator.v1.TransferRecord per line, `{"profile": {...}}` or
// `{"interaction": {...}}`. JsonlRecordReader reads those and plain Profile
// lines alike, so that files written before exports existed still import.
//
// Blank lines are skipped but counted, so line numbers match the file. A line
// that is not a valid Profile comes back as an InvalidArgument error for that
// line; reading continues with the next one. Lines may end in CRLF, and a
// UTF-8 byte order mark before the first line is ignored.
//
//   JsonlProfileReader reader(&file);
//   JsonlLine line;
//   while (reader.Next(&line)) {
//     if (!line.profile.ok()) Report(line.number, line.profile.status());
//   }
//   if (!reader.status().ok()) ...  // the stream failed
//
// Not thread-safe.
#ifndef POLLINATOR_DATA_PROFILE_JSONL_H_
#define POLLINATOR_DATA_PROFILE_JSONL_H_

#include <cstdint>
#include <istream>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "pollinator/v1/profile.pb.h"
#include "pollinator/v1/transfer.pb.h"

namespace pollinator {

// One non-blank line.
struct JsonlLine {
  int64_t number = 0;  // 1-based line number in the input
  absl::StatusOr<v1::Profile> profile;
};

class JsonlProfileReader {
 public:
  // `input` must outlive the reader.
  explicit JsonlProfileReader(std::istream* input) : input_(input) {}

  JsonlProfileReader(const JsonlProfileReader&) = delete;
  JsonlProfileReader& operator=(const JsonlProfileReader&) = delete;

  // Reads up to and including the next non-blank line. Returns false at the
  // end of the input or when reading fails (see status()).
  bool Next(JsonlLine* line);

  // The number of the last line consumed, blank or not.
  int64_t line_number() const { return line_number_; }

  // DataLoss if reading the stream failed, OK otherwise.
  absl::Status status() const { return status_; }

 private:
  std::istream* input_;
  int64_t line_number_ = 0;
  absl::Status status_;
};

// One non-blank line of an export or import file.
struct JsonlRecordLine {
  int64_t number = 0;  // 1-based line number in the input
  absl::StatusOr<v1::TransferRecord> record;
};

// Like JsonlProfileReader, for ParseTransferJson's lines.
class JsonlRecordReader {
 public:
  // `input` must outlive the reader.
  explicit JsonlRecordReader(std::istream* input) : input_(input) {}

  JsonlRecordReader(const JsonlRecordReader&) = delete;
  JsonlRecordReader& operator=(const JsonlRecordReader&) = delete;

  bool Next(JsonlRecordLine* line);
  int64_t line_number() const { return line_number_; }
  absl::Status status() const { return status_; }

 private:
  std::istream* input_;
  int64_t line_number_ = 0;
  absl::Status status_;
};

// Parses one JSON object into a Profile. Unknown fields are errors, so that a
// misspelt field ("neds") is reported instead of silently dropped. Errors are
// InvalidArgument on one line: `not a pollinator.v1.Profile: Unexpected
// token. near "tru}"`.
absl::StatusOr<v1::Profile> ParseProfileJson(absl::string_view json);

// Parses one line of an export: a TransferRecord when the object's only key
// is "profile" or "interaction" (neither is a Profile field), and otherwise a
// plain Profile, returned as a record holding it. Unknown fields are errors,
// as in ParseProfileJson.
absl::StatusOr<v1::TransferRecord> ParseTransferJson(absl::string_view json);

// The line of `record`, without a line break: the protobuf JSON mapping's
// canonical form (lowerCamelCase, enum names, default values left out), so
// that equal records always give equal bytes.
absl::StatusOr<std::string> TransferRecordJson(const v1::TransferRecord& record);

}  // namespace pollinator

#endif  // POLLINATOR_DATA_PROFILE_JSONL_H_
