// Reads profiles from JSON Lines: one pollinator.v1.Profile per line in the
// protobuf JSON mapping. Used by the server to load the bundled samples and by
// the CLI's import.
//
//   std::ifstream file("data/samples/ecosystem.jsonl");
//   ProfileJsonlReader reader(file);
//   while (std::optional<ProfileJsonlReader::Line> line = reader.Next()) {
//     if (!line->profile.ok()) report(line->number, line->profile.status());
//   }
//
// Not thread-safe.
#ifndef POLLINATOR_DATA_PROFILE_JSONL_H_
#define POLLINATOR_DATA_PROFILE_JSONL_H_

#include <cstdint>
#include <istream>
#include <optional>

#include "absl/status/statusor.h"
#include "pollinator/v1/profile.pb.h"

namespace pollinator {

class ProfileJsonlReader {
 public:
  struct Line {
    // 1-based line number in the input.
    int64_t number = 0;
    // The parsed profile, or InvalidArgument naming the JSON problem.
    absl::StatusOr<v1::Profile> profile;
  };

  // `input` must outlive the reader.
  explicit ProfileJsonlReader(std::istream& input) : input_(input) {}

  // The next non-blank line, or nullopt at the end of the input.
  std::optional<Line> Next();

  // Lines consumed so far, blank ones included.
  int64_t lines_read() const { return line_number_; }

 private:
  std::istream& input_;
  int64_t line_number_ = 0;
};

// Parses one line of JSON into a Profile. Unknown fields are errors, so a
// typo such as "neds" is reported instead of silently dropped.
absl::StatusOr<v1::Profile> ParseProfileJson(absl::string_view json);

}  // namespace pollinator

#endif  // POLLINATOR_DATA_PROFILE_JSONL_H_
