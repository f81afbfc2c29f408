// Readable names for Pollinator's enums and status codes (see names.h).
#include "tools/cli/names.h"

#include <algorithm>
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

// How the values of one enum are spelled on the command line.
struct EnumNaming {
  const EnumDescriptor& type;
  absl::string_view prefix;  // dropped from the enum value names
  absl::string_view what;    // for error messages: "unknown <what> ..."
  char separator;            // between the words of a short name
};

EnumNaming KindNaming() {
  return {*v1::ProfileKind_descriptor(), "PROFILE_KIND_", "kind", '_'};
}
EnumNaming ComponentNaming() {
  return {*v1::Component_descriptor(), "COMPONENT_", "component", '_'};
}
EnumNaming ReciprocityNaming() {
  return {*v1::Reciprocity_descriptor(), "RECIPROCITY_", "reciprocity", '_'};
}
EnumNaming InteractionTypeNaming() {
  return {*v1::InteractionType_descriptor(), "INTERACTION_TYPE_",
          "interaction type", '_'};
}
// Hyphens, as in `--reason=too-far`: these names are typed more than read.
EnumNaming DeclineReasonNaming() {
  return {*v1::DeclineReason_descriptor(), "DECLINE_REASON_", "decline reason",
          '-'};
}

// "PROFILE_KIND_RESEARCH_INSTITUTE" -> "research_institute";
// "DECLINE_REASON_TOO_FAR" -> "too-far".
std::string ShortName(const EnumNaming& naming,
                      const EnumValueDescriptor& value) {
  absl::string_view name = value.name();
  absl::ConsumePrefix(&name, naming.prefix);
  std::string short_name = absl::AsciiStrToLower(name);
  std::replace(short_name.begin(), short_name.end(), '_', naming.separator);
  return short_name;
}

std::vector<std::string> ShortNames(const EnumNaming& naming) {
  std::vector<std::string> names;
  for (int i = 0; i < naming.type.value_count(); ++i) {
    if (naming.type.value(i)->number() != 0) {
      names.push_back(ShortName(naming, *naming.type.value(i)));
    }
  }
  return names;
}

// Lower case with "_" between words, for comparing spellings.
std::string Normalize(absl::string_view text) {
  std::string normalized =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  std::replace(normalized.begin(), normalized.end(), '-', '_');
  return normalized;
}

absl::StatusOr<int> ParseShortName(const EnumNaming& naming,
                                   absl::string_view text) {
  const std::string normalized = Normalize(text);
  absl::string_view wanted = normalized;
  absl::ConsumePrefix(&wanted, Normalize(naming.prefix));
  for (int i = 0; i < naming.type.value_count(); ++i) {
    const EnumValueDescriptor& value = *naming.type.value(i);
    if (value.number() != 0 && Normalize(ShortName(naming, value)) == wanted) {
      return value.number();
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown ", naming.what, " \"", text, "\"; expected one of ",
                   absl::StrJoin(ShortNames(naming), ", ")));
}

std::string NameOf(const EnumNaming& naming, int number) {
  if (number == 0) return "unspecified";
  const EnumValueDescriptor* value = naming.type.FindValueByNumber(number);
  if (value == nullptr) return absl::StrCat(number);
  return ShortName(naming, *value);
}

}  // namespace

absl::StatusOr<v1::ProfileKind> ParseProfileKind(absl::string_view name) {
  absl::StatusOr<int> number = ParseShortName(KindNaming(), name);
  if (!number.ok()) return number.status();
  return static_cast<v1::ProfileKind>(*number);
}

absl::StatusOr<v1::Component> ParseComponent(absl::string_view name) {
  absl::StatusOr<int> number = ParseShortName(ComponentNaming(), name);
  if (!number.ok()) return number.status();
  return static_cast<v1::Component>(*number);
}

absl::StatusOr<v1::Reciprocity> ParseReciprocity(absl::string_view name) {
  absl::StatusOr<int> number = ParseShortName(ReciprocityNaming(), name);
  if (!number.ok()) return number.status();
  return static_cast<v1::Reciprocity>(*number);
}

absl::StatusOr<v1::InteractionType> ParseInteractionType(
    absl::string_view name) {
  absl::StatusOr<int> number = ParseShortName(InteractionTypeNaming(), name);
  if (!number.ok()) return number.status();
  return static_cast<v1::InteractionType>(*number);
}

absl::StatusOr<v1::DeclineReason> ParseDeclineReason(absl::string_view name) {
  absl::StatusOr<int> number = ParseShortName(DeclineReasonNaming(), name);
  if (!number.ok()) return number.status();
  return static_cast<v1::DeclineReason>(*number);
}

std::vector<std::string> ProfileKindNames() { return ShortNames(KindNaming()); }

std::vector<std::string> ComponentNames() {
  return ShortNames(ComponentNaming());
}

std::vector<std::string> ReciprocityNames() {
  return ShortNames(ReciprocityNaming());
}

std::vector<std::string> InteractionTypeNames() {
  return ShortNames(InteractionTypeNaming());
}

std::vector<std::string> DeclineReasonNames() {
  return ShortNames(DeclineReasonNaming());
}

std::string InteractionTypeName(v1::InteractionType type) {
  return NameOf(InteractionTypeNaming(), type);
}

std::string DeclineReasonName(v1::DeclineReason reason) {
  return NameOf(DeclineReasonNaming(), reason);
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
