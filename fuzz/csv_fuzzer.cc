// Fuzzes the profile CSV importer (data/profile_csv.h over
// data/csv_reader.h): the input is a whole file, read as `pollinator import
// FILE.csv` reads it.
//
// Invariants: failures are InvalidArgument (header) or DataLoss (CSV
// syntax); profiles come in the order of their first rows, each id once;
// every cell error lies on one of the profile's rows; and a profile read
// without errors is complete: its needs and offers have ids and texts, a
// challenge has its deadline and mode, and it encodes to bytes that parse
// back as the same Profile, as the upload to the server needs (see
// CheckWireEncoding).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "data/csv_reader.h"
#include "data/profile_csv.h"
#include "fuzz/fuzz_check.h"

namespace pollinator {
namespace {

void CheckFailure(const absl::Status& status) {
  POLLINATOR_FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument ||
                            status.code() == absl::StatusCode::kDataLoss,
                        status.ToString());
  POLLINATOR_FUZZ_CHECK(!status.message().empty());
}

template <typename Items>
void CheckItems(const Items& items) {
  std::set<std::string> ids;
  for (const auto& item : items) {
    POLLINATOR_FUZZ_CHECK(!item.id().empty() && !item.text().empty());
    POLLINATOR_FUZZ_CHECK(ids.insert(item.id()).second, item.id());
  }
}

void CheckComplete(const v1::Profile& profile) {
  POLLINATOR_FUZZ_CHECK(!profile.id().empty());
  CheckItems(profile.needs());
  CheckItems(profile.offers());
  for (const v1::Need& need : profile.needs()) {
    if (!need.has_challenge()) continue;
    POLLINATOR_FUZZ_CHECK(need.challenge().has_deadline(), need.id());
    bool challenge_mode = false;
    for (int mode : need.modes()) challenge_mode |= mode == v1::COLLABORATION_MODE_OPEN_INNOVATION_CHALLENGE;
    POLLINATOR_FUZZ_CHECK(challenge_mode, need.id());
  }
}

// The import sends each profile to the server, which parses it again.
void CheckWireEncoding(const v1::Profile& profile) {
  v1::Profile sent;
  POLLINATOR_FUZZ_CHECK(sent.ParseFromString(profile.SerializeAsString()),
                        absl::StrCat("profile ", profile.id(), " does not survive its wire encoding"));
  POLLINATOR_FUZZ_CHECK(fuzz::SameMessage(profile, sent), profile.id());
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
  std::istringstream input(text);
  absl::StatusOr<std::unique_ptr<CsvReader>> reader = CsvReader::FromStream(&input, "fuzz.csv");
  if (!reader.ok()) {
    CheckFailure(reader.status());
    return 0;
  }
  absl::StatusOr<std::vector<CsvProfile>> profiles = ReadProfileCsv(**reader);
  if (!profiles.ok()) {
    CheckFailure(profiles.status());
    return 0;
  }
  std::set<std::string> ids;
  int64_t previous_line = 1;  // the header
  for (const CsvProfile& read : *profiles) {
    POLLINATOR_FUZZ_CHECK(read.line > previous_line, absl::StrCat(read.line, " after ", previous_line));
    previous_line = read.line;
    POLLINATOR_FUZZ_CHECK(read.lines >= 1 && read.line <= (*reader)->row_number());
    if (!read.profile.id().empty()) POLLINATOR_FUZZ_CHECK(ids.insert(read.profile.id()).second, read.profile.id());
    for (const CsvCellError& error : read.errors) {
      POLLINATOR_FUZZ_CHECK(error.line >= read.line && error.line <= (*reader)->row_number(), error.ToString());
      POLLINATOR_FUZZ_CHECK(!error.message.empty() && absl::StartsWith(error.ToString(), "line "));
    }
    if (!read.errors.empty()) continue;
    CheckComplete(read.profile);
    // A profile read without errors can be sent: a cell that is not UTF-8
    // is an error of its own (found by this target, fixed).
    CheckWireEncoding(read.profile);
  }
  return 0;
}
