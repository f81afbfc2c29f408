// Readable names for Pollinator's enums and status codes (see names.h).
#include "tools/cli/names.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "data/enum_names.h"

namespace pollinator {
namespace {

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

}  // namespace

absl::StatusOr<v1::ProfileKind> ParseProfileKind(absl::string_view name) {
  absl::StatusOr<int> number = ParseEnumShortName(ProfileKindNaming(), name);
  if (!number.ok()) return number.status();
  return static_cast<v1::ProfileKind>(*number);
}

absl::StatusOr<v1::Component> ParseComponent(absl::string_view name) {
  absl::StatusOr<int> number = ParseEnumShortName(ComponentNaming(), name);
  if (!number.ok()) return number.status();
  return static_cast<v1::Component>(*number);
}

absl::StatusOr<v1::Reciprocity> ParseReciprocity(absl::string_view name) {
  absl::StatusOr<int> number = ParseEnumShortName(ReciprocityNaming(), name);
  if (!number.ok()) return number.status();
  return static_cast<v1::Reciprocity>(*number);
}

absl::StatusOr<v1::InteractionType> ParseInteractionType(
    absl::string_view name) {
  absl::StatusOr<int> number = ParseEnumShortName(InteractionTypeNaming(), name);
  if (!number.ok()) return number.status();
  return static_cast<v1::InteractionType>(*number);
}

absl::StatusOr<v1::DeclineReason> ParseDeclineReason(absl::string_view name) {
  absl::StatusOr<int> number = ParseEnumShortName(DeclineReasonNaming(), name);
  if (!number.ok()) return number.status();
  return static_cast<v1::DeclineReason>(*number);
}

std::vector<std::string> ProfileKindNames() { return EnumShortNames(ProfileKindNaming()); }

std::vector<std::string> ComponentNames() {
  return EnumShortNames(ComponentNaming());
}

std::vector<std::string> ReciprocityNames() {
  return EnumShortNames(ReciprocityNaming());
}

std::vector<std::string> InteractionTypeNames() {
  return EnumShortNames(InteractionTypeNaming());
}

std::vector<std::string> DeclineReasonNames() {
  return EnumShortNames(DeclineReasonNaming());
}

std::string InteractionTypeName(v1::InteractionType type) {
  return EnumNameOf(InteractionTypeNaming(), type);
}

std::string DeclineReasonName(v1::DeclineReason reason) {
  return EnumNameOf(DeclineReasonNaming(), reason);
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
