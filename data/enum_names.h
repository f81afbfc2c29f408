// Short names for the API's enums, read from the proto descriptors so that a
// value added to a proto is accepted without a change here:
// "research_institute" for PROFILE_KIND_RESEARCH_INSTITUTE. Parsing is
// case-insensitive, treats "-" and "_" alike and also takes the full enum
// name; UNSPECIFIED (0) is never a valid choice. Used by the profile CSV
// importer and the CLI's flags.
//
//   absl::StatusOr<int> kind = ParseEnumShortName(ProfileKindNaming(), "University");
//   std::vector<std::string> names = EnumShortNames(ComponentNaming());
//
// Pure functions; thread-safe.
#ifndef POLLINATOR_DATA_ENUM_NAMES_H_
#define POLLINATOR_DATA_ENUM_NAMES_H_

#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pollinator {

// How the values of one enum are spelled.
struct EnumNaming {
  const google::protobuf::EnumDescriptor& type;
  absl::string_view prefix;  // dropped from the value names: "PROFILE_KIND_"
  absl::string_view what;    // for messages: "unknown <what> ..."
  char separator;            // between the words of a short name
};

// The enums of profile.proto, with "_" between words.
EnumNaming ProfileKindNaming();
EnumNaming ComponentNaming();
EnumNaming CollaborationModeNaming();
EnumNaming GeographicScopeNaming();
EnumNaming CompanySizeNaming();
EnumNaming StageNaming();

// "PROFILE_KIND_RESEARCH_INSTITUTE" -> "research_institute".
std::string EnumShortName(const EnumNaming& naming, const google::protobuf::EnumValueDescriptor& value);

// Every short name but UNSPECIFIED's, in proto order.
std::vector<std::string> EnumShortNames(const EnumNaming& naming);

// The value's number; InvalidArgument listing the valid names otherwise:
// `unknown kind "uni"; expected one of smb, startup, ...`.
absl::StatusOr<int> ParseEnumShortName(const EnumNaming& naming, absl::string_view text);

// The short name of `number`; "unspecified" for 0 and the number for a value
// this build does not know.
std::string EnumNameOf(const EnumNaming& naming, int number);

}  // namespace pollinator

#endif  // POLLINATOR_DATA_ENUM_NAMES_H_
