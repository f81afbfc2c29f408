// Fuzzes the JSON Lines importer (data/profile_jsonl.h): the input is a
// whole file, read by JsonlRecordReader (`pollinator import`) and, in step,
// by JsonlProfileReader (the server's sample loader).
//
// Invariants: both readers see the same lines; errors are InvalidArgument
// on one line; a line that reads as a Profile reads as the same profile in
// a record; and a record writes (TransferRecordJson) a line that reads back
// to the same record and writes the same bytes again, as an export that is
// imported and exported again must.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "data/profile_jsonl.h"
#include "fuzz/fuzz_check.h"

namespace pollinator {
namespace {

void CheckError(const absl::Status& status) {
  POLLINATOR_FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument, status.ToString());
  POLLINATOR_FUZZ_CHECK(!status.message().empty());
  // Reports quote it after a line number.
  POLLINATOR_FUZZ_CHECK(!absl::StrContains(status.message(), '\n'), status.ToString());
}

void CheckRewrite(const v1::TransferRecord& record) {
  // An empty record is no line an export writes.
  if (record.record_case() == v1::TransferRecord::RECORD_NOT_SET) return;
  absl::StatusOr<std::string> line = TransferRecordJson(record);
  POLLINATOR_FUZZ_CHECK(line.ok(), line.status().ToString());
  POLLINATOR_FUZZ_CHECK(!absl::StrContains(*line, '\n'), *line);
  absl::StatusOr<v1::TransferRecord> again = ParseTransferJson(*line);
  POLLINATOR_FUZZ_CHECK(again.ok(), absl::StrCat(again.status().ToString(), " for ", *line));
  std::string difference;
  POLLINATOR_FUZZ_CHECK(fuzz::SameMessage(record, *again, &difference), absl::StrCat(*line, ": ", difference));
  absl::StatusOr<std::string> rewritten = TransferRecordJson(*again);
  POLLINATOR_FUZZ_CHECK(rewritten.ok() && *rewritten == *line,
                        absl::StrCat(*line, " rewrote as ", rewritten.ok() ? *rewritten : ""));
}

}  // namespace
}  // namespace pollinator

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  pollinator::fuzz::QuietProtobufLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pollinator;
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::istringstream records_input(text);
  std::istringstream profiles_input(text);
  JsonlRecordReader records(&records_input);
  JsonlProfileReader profiles(&profiles_input);
  int64_t last_number = 0;
  while (true) {
    JsonlRecordLine record_line;
    JsonlLine profile_line;
    const bool has_record = records.Next(&record_line);
    const bool has_profile = profiles.Next(&profile_line);
    POLLINATOR_FUZZ_CHECK(has_record == has_profile);
    if (!has_record) break;
    POLLINATOR_FUZZ_CHECK(record_line.number == profile_line.number);
    POLLINATOR_FUZZ_CHECK(record_line.number > last_number);
    last_number = record_line.number;

    if (profile_line.profile.ok()) {
      // No Profile field is named "profile" or "interaction".
      POLLINATOR_FUZZ_CHECK(record_line.record.ok() && record_line.record->has_profile());
      POLLINATOR_FUZZ_CHECK(fuzz::SameMessage(*profile_line.profile, record_line.record->profile()));
    } else {
      CheckError(profile_line.profile.status());
    }
    if (record_line.record.ok()) {
      CheckRewrite(*record_line.record);
    } else {
      CheckError(record_line.record.status());
    }
  }
  POLLINATOR_FUZZ_CHECK(records.status().ok() && profiles.status().ok());
  POLLINATOR_FUZZ_CHECK(records.line_number() == profiles.line_number());
  POLLINATOR_FUZZ_CHECK(records.line_number() >= last_number);
  return 0;
}
