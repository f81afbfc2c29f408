#include "data/enum_names.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "pollinator/v1/profile.pb.h"

namespace pollinator {
namespace {

// Lower case with "_" between words, for comparing spellings.
std::string Normalize(absl::string_view text) {
  std::string normalized = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  std::replace(normalized.begin(), normalized.end(), '-', '_');
  return normalized;
}

}  // namespace

EnumNaming ProfileKindNaming() { return {*v1::ProfileKind_descriptor(), "PROFILE_KIND_", "kind", '_'}; }
EnumNaming ComponentNaming() { return {*v1::Component_descriptor(), "COMPONENT_", "component", '_'}; }
EnumNaming CollaborationModeNaming() {
  return {*v1::CollaborationMode_descriptor(), "COLLABORATION_MODE_", "collaboration mode", '_'};
}
EnumNaming GeographicScopeNaming() {
  return {*v1::GeographicScope_descriptor(), "GEOGRAPHIC_SCOPE_", "geographic scope", '_'};
}
EnumNaming CompanySizeNaming() { return {*v1::CompanySize_descriptor(), "COMPANY_SIZE_", "company size", '_'}; }
EnumNaming StageNaming() { return {*v1::Stage_descriptor(), "STAGE_", "stage", '_'}; }

std::string EnumShortName(const EnumNaming& naming, const google::protobuf::EnumValueDescriptor& value) {
  absl::string_view name = value.name();
  absl::ConsumePrefix(&name, naming.prefix);
  std::string short_name = absl::AsciiStrToLower(name);
  std::replace(short_name.begin(), short_name.end(), '_', naming.separator);
  return short_name;
}

std::vector<std::string> EnumShortNames(const EnumNaming& naming) {
  std::vector<std::string> names;
  for (int i = 0; i < naming.type.value_count(); ++i) {
    if (naming.type.value(i)->number() != 0) names.push_back(EnumShortName(naming, *naming.type.value(i)));
  }
  return names;
}

absl::StatusOr<int> ParseEnumShortName(const EnumNaming& naming, absl::string_view text) {
  const std::string normalized = Normalize(text);
  absl::string_view wanted = normalized;
  absl::ConsumePrefix(&wanted, Normalize(naming.prefix));
  for (int i = 0; i < naming.type.value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor& value = *naming.type.value(i);
    if (value.number() != 0 && Normalize(EnumShortName(naming, value)) == wanted) return value.number();
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown ", naming.what, " \"", text, "\"; expected one of ",
                                                 absl::StrJoin(EnumShortNames(naming), ", ")));
}

std::string EnumNameOf(const EnumNaming& naming, int number) {
  if (number == 0) return "unspecified";
  const google::protobuf::EnumValueDescriptor* value = naming.type.FindValueByNumber(number);
  if (value == nullptr) return absl::StrCat(number);
  return EnumShortName(naming, *value);
}

}  // namespace pollinator
