// Readable names for Pollinator's enums and status codes (see names.h).
#include "tools/cli/names.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"

namespace pollinator {
namespace {

using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;

constexpr absl::string_view kKindPrefix = "PROFILE_KIND_";
constexpr absl::string_view kComponentPrefix = "COMPONENT_";

// "PROFILE_KIND_RESEARCH_INSTITUTE" -> "research_institute".
std::string ShortName(const EnumValueDescriptor& value,
                      absl::string_view prefix) {
  absl::string_view name = value.name();
  absl::ConsumePrefix(&name, prefix);
  return absl::AsciiStrToLower(name);
}

std::vector<std::string> ShortNames(const EnumDescriptor& type,
                                    absl::string_view prefix) {
  std::vector<std::string> names;
  for (int i = 0; i < type.value_count(); ++i) {
    if (type.value(i)->number() != 0) {
      names.push_back(ShortName(*type.value(i), prefix));
    }
  }
  return names;
}

absl::StatusOr<int> ParseShortName(const EnumDescriptor& type,
                                   absl::string_view prefix,
                                   absl::string_view what,
                                   absl::string_view text) {
  const std::string lower =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  absl::string_view wanted = lower;
  absl::ConsumePrefix(&wanted, absl::AsciiStrToLower(prefix));
  for (int i = 0; i < type.value_count(); ++i) {
    const EnumValueDescriptor& value = *type.value(i);
    if (value.number() != 0 && ShortName(value, prefix) == wanted) {
      return value.number();
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown ", what, " \"", text, "\"; expected one of ",
                   absl::StrJoin(ShortNames(type, prefix), ", ")));
}

}  // namespace

absl::StatusOr<v1::ProfileKind> ParseProfileKind(absl::string_view name) {
  absl::StatusOr<int> number =
      ParseShortName(*v1::ProfileKind_descriptor(), kKindPrefix, "kind", name);
  if (!number.ok()) return number.status();
  return static_cast<v1::ProfileKind>(*number);
}

absl::StatusOr<v1::Component> ParseComponent(absl::string_view name) {
  absl::StatusOr<int> number = ParseShortName(
      *v1::Component_descriptor(), kComponentPrefix, "component", name);
  if (!number.ok()) return number.status();
  return static_cast<v1::Component>(*number);
}

std::vector<std::string> ProfileKindNames() {
  return ShortNames(*v1::ProfileKind_descriptor(), kKindPrefix);
}

std::vector<std::string> ComponentNames() {
  return ShortNames(*v1::Component_descriptor(), kComponentPrefix);
}

std::string StatusCodeName(int code) {
  std::string name =
      absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  if (name.empty()) return absl::StrCat("CODE_", code);
  return name;
}

std::string FormatStatus(const absl::Status& status) {
  std::string text = StatusCodeName(static_cast<int>(status.code()));
  if (!status.message().empty()) absl::StrAppend(&text, ": ", status.message());
  return text;
}

}  // namespace pollinator
