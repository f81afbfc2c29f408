#include "data/profile_jsonl.h"

#include <string>
#include <vector>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace pollinator {
namespace {

constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";
// Characters of input quoted in a parse error.
constexpr size_t kExcerptBytes = 40;

// The protobuf JSON parser reports "<reason>\n<input from the error on>\n^".
// Keep the reason and a short excerpt, on one line.
std::string OneLineParseError(absl::string_view message) {
  const std::vector<absl::string_view> lines = absl::StrSplit(message, '\n');
  std::string text(absl::StripAsciiWhitespace(lines[0]));
  if (lines.size() > 1) {
    absl::string_view excerpt = absl::StripAsciiWhitespace(lines[1]);
    if (!excerpt.empty()) {
      const bool cut = excerpt.size() > kExcerptBytes;
      if (cut) {
        size_t end = kExcerptBytes;
        // Do not split a UTF-8 sequence.
        while (end > 0 && (static_cast<unsigned char>(excerpt[end]) & 0xC0) == 0x80) --end;
        excerpt = excerpt.substr(0, end);
      }
      absl::StrAppend(&text, " near \"", excerpt, cut ? "…" : "", "\"");
    }
  }
  return text;
}

}  // namespace

absl::StatusOr<v1::Profile> ParseProfileJson(absl::string_view json) {
  v1::Profile profile;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &profile, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a pollinator.v1.Profile: ", OneLineParseError(status.message().as_string())));
  }
  return profile;
}

bool JsonlProfileReader::Next(JsonlLine* line) {
  std::string text;
  while (std::getline(*input_, text)) {
    ++line_number_;
    absl::string_view content = text;
    if (line_number_ == 1) absl::ConsumePrefix(&content, kByteOrderMark);
    content = absl::StripAsciiWhitespace(content);  // also drops a CR
    if (content.empty()) continue;
    line->number = line_number_;
    line->profile = ParseProfileJson(content);
    return true;
  }
  if (input_->bad()) {
    status_ = absl::DataLossError(absl::StrCat("reading the input failed after line ", line_number_));
  }
  return false;
}

}  // namespace pollinator
