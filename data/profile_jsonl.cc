#include "data/profile_jsonl.h"

#include <string>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace pollinator {

absl::StatusOr<v1::Profile> ParseProfileJson(absl::string_view json) {
  v1::Profile profile;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &profile, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("invalid profile JSON: ", status.message().as_string()));
  }
  return profile;
}

std::optional<ProfileJsonlReader::Line> ProfileJsonlReader::Next() {
  std::string text;
  while (std::getline(input_, text)) {
    ++line_number_;
    if (absl::StripAsciiWhitespace(text).empty()) continue;
    return Line{line_number_, ParseProfileJson(text)};
  }
  return std::nullopt;
}

}  // namespace pollinator
