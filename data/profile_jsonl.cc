#include "data/profile_jsonl.h"

#include <cmath>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>
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

// Parses `json` into `message`, rejecting unknown fields.
absl::Status ParseMessageJson(absl::string_view json, google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), message, options);
  if (status.ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("not a ", message->GetDescriptor()->full_name(), ": ",
                                                 OneLineParseError(status.message().as_string())));
}

// Reads up to the next non-blank line into `content` (trimmed, without a
// byte order mark); false at the end or when reading fails.
bool NextContent(std::istream* input, int64_t* line_number, absl::Status* status, std::string* text,
                 absl::string_view* content) {
  while (std::getline(*input, *text)) {
    ++*line_number;
    *content = *text;
    if (*line_number == 1) absl::ConsumePrefix(content, kByteOrderMark);
    *content = absl::StripAsciiWhitespace(*content);  // also drops a CR
    if (!content->empty()) return true;
  }
  if (input->bad()) {
    *status = absl::DataLossError(absl::StrCat("reading the input failed after line ", *line_number));
  }
  return false;
}

// Turns every -0.0 in `message` into 0.0. The JSON printer writes "-0",
// which the parser reads as 0: a file written with it would not read back
// to the same bytes.
void ClearNegativeZeros(google::protobuf::Message& message) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const bool repeated = field->is_repeated();
    const int count = repeated ? reflection.FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      switch (field->cpp_type()) {
        case FieldDescriptor::CPPTYPE_MESSAGE:
          ClearNegativeZeros(repeated ? *reflection.MutableRepeatedMessage(&message, field, i)
                                      : *reflection.MutableMessage(&message, field));
          break;
        case FieldDescriptor::CPPTYPE_DOUBLE: {
          const double value = repeated ? reflection.GetRepeatedDouble(message, field, i)
                                        : reflection.GetDouble(message, field);
          if (value != 0 || !std::signbit(value)) break;
          repeated ? reflection.SetRepeatedDouble(&message, field, i, 0.0) : reflection.SetDouble(&message, field, 0.0);
          break;
        }
        case FieldDescriptor::CPPTYPE_FLOAT: {
          const float value = repeated ? reflection.GetRepeatedFloat(message, field, i)
                                       : reflection.GetFloat(message, field);
          if (value != 0 || !std::signbit(value)) break;
          repeated ? reflection.SetRepeatedFloat(&message, field, i, 0.0f) : reflection.SetFloat(&message, field, 0.0f);
          break;
        }
        default:
          break;
      }
    }
  }
}

}  // namespace

absl::StatusOr<v1::Profile> ParseProfileJson(absl::string_view json) {
  v1::Profile profile;
  if (absl::Status s = ParseMessageJson(json, &profile); !s.ok()) return s;
  return profile;
}

absl::StatusOr<v1::TransferRecord> ParseTransferJson(absl::string_view json) {
  // Which shape the line has is decided by its keys alone, so that a bad
  // field inside either shape is reported against that shape.
  google::protobuf::Struct object;
  const bool is_object = google::protobuf::util::JsonStringToMessage(
                             google::protobuf::StringPiece(json.data(), json.size()), &object)
                             .ok();
  if (is_object && object.fields_size() == 1 &&
      (object.fields().contains("profile") || object.fields().contains("interaction"))) {
    v1::TransferRecord record;
    if (absl::Status s = ParseMessageJson(json, &record); !s.ok()) return s;
    return record;
  }
  absl::StatusOr<v1::Profile> profile = ParseProfileJson(json);
  if (!profile.ok()) return profile.status();
  v1::TransferRecord record;
  *record.mutable_profile() = std::move(*profile);
  return record;
}

absl::StatusOr<std::string> TransferRecordJson(const v1::TransferRecord& record) {
  std::string json;
  v1::TransferRecord written = record;
  ClearNegativeZeros(written);
  const auto status = google::protobuf::util::MessageToJsonString(written, &json);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot write a record as JSON: ", status.message().as_string()));
  }
  return json;
}

bool JsonlProfileReader::Next(JsonlLine* line) {
  std::string text;
  absl::string_view content;
  if (!NextContent(input_, &line_number_, &status_, &text, &content)) return false;
  line->number = line_number_;
  line->profile = ParseProfileJson(content);
  return true;
}

bool JsonlRecordReader::Next(JsonlRecordLine* line) {
  std::string text;
  absl::string_view content;
  if (!NextContent(input_, &line_number_, &status_, &text, &content)) return false;
  line->number = line_number_;
  line->record = ParseTransferJson(content);
  return true;
}

}  // namespace pollinator
