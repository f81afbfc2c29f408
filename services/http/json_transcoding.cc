#include "services/http/json_transcoding.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "data/utf8.h"

namespace pollinator {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Value;

// "PROFILE_KIND_" for enum ProfileKind: the prefix every value name carries.
std::string EnumPrefix(const EnumDescriptor* type) {
  std::string prefix;
  for (char c : type->name()) {
    if (absl::ascii_isupper(c) && !prefix.empty()) prefix.push_back('_');
    prefix.push_back(absl::ascii_toupper(c));
  }
  return prefix + "_";
}

const EnumValueDescriptor* FindEnumValue(const EnumDescriptor* type, absl::string_view text) {
  const std::string upper = absl::StrReplaceAll(absl::AsciiStrToUpper(text), {{"-", "_"}});
  if (const EnumValueDescriptor* value = type->FindValueByName(upper)) return value;
  return type->FindValueByName(EnumPrefix(type) + upper);
}

// Rewrites short enum names in `value` (a JSON value of `field`) to full ones.
void NormaliseEnums(const Descriptor* type, Value& value);

void NormaliseFieldValue(const FieldDescriptor* field, Value& value) {
  if (field->type() == FieldDescriptor::TYPE_ENUM && value.kind_case() == Value::kStringValue) {
    if (const EnumValueDescriptor* found = FindEnumValue(field->enum_type(), value.string_value())) {
      value.set_string_value(found->name());
    }
  } else if (field->type() == FieldDescriptor::TYPE_MESSAGE && !field->is_map()) {
    NormaliseEnums(field->message_type(), value);
  }
}

void NormaliseEnums(const Descriptor* type, Value& value) {
  if (value.kind_case() != Value::kStructValue) return;
  for (auto& [key, member] : *value.mutable_struct_value()->mutable_fields()) {
    const FieldDescriptor* field = FindJsonField(type, key);
    if (field == nullptr) continue;  // the parser names it
    if (field->is_repeated() && member.kind_case() == Value::kListValue) {
      for (Value& item : *member.mutable_list_value()->mutable_values()) NormaliseFieldValue(field, item);
    } else {
      NormaliseFieldValue(field, member);
    }
  }
}

}  // namespace

const FieldDescriptor* FindJsonField(const Descriptor* type, absl::string_view name) {
  if (const FieldDescriptor* field = type->FindFieldByName(std::string(name))) return field;
  for (int i = 0; i < type->field_count(); ++i) {
    if (type->field(i)->json_name() == name) return type->field(i);
  }
  return nullptr;
}

absl::StatusOr<Value> ParseJson(absl::string_view json) {
  Value value;
  google::protobuf::util::Status parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &value);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("body: not valid JSON: ", parsed.message().as_string()));
  }
  return value;
}

absl::Status ValueToMessage(Value value, google::protobuf::Message* message) {
  if (value.kind_case() != Value::kStructValue) {
    return absl::InvalidArgumentError(
        absl::StrCat("body: expected a JSON object for ", message->GetDescriptor()->name()));
  }
  NormaliseEnums(message->GetDescriptor(), value);
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(value, &json);
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  google::protobuf::util::Status parsed = google::protobuf::util::JsonStringToMessage(json, message, options);
  if (!parsed.ok()) return absl::InvalidArgumentError(absl::StrCat("body: ", parsed.message().as_string()));
  return absl::OkStatus();
}

absl::Status JsonToMessage(absl::string_view json, google::protobuf::Message* message) {
  absl::StatusOr<Value> value = ParseJson(json);
  if (!value.ok()) return value.status();
  return ValueToMessage(*std::move(value), message);
}

std::string ResponseJson(const google::protobuf::Message& message) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json);
  return json;
}

int HttpStatusFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kCancelled:
      return 499;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

std::string ErrorJson(const absl::Status& status) {
  return ErrorJson(HttpStatusFor(status.code()), absl::StatusCodeToString(status.code()), status.message());
}

std::string ErrorJson(int http_status, absl::string_view status_name, absl::string_view message) {
  google::protobuf::Struct error;
  auto& fields = *error.mutable_fields();
  fields["code"].set_number_value(http_status);
  fields["status"].set_string_value(std::string(status_name));
  // Parser messages quote the body, which may not be UTF-8; the answer must be.
  fields["message"].set_string_value(ToValidUtf8(message));
  google::protobuf::Struct body;
  *(*body.mutable_fields())["error"].mutable_struct_value() = error;
  return ResponseJson(body);
}

}  // namespace pollinator
