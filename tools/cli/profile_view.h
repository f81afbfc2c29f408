// Text views of profiles: the multi-line view of `pollinator get` and the
// table of `pollinator list`.
//
//   std::cout << FormatProfileDetails(profile);
//   std::cout << FormatProfileTable(profiles);
#ifndef POLLINATOR_TOOLS_CLI_PROFILE_VIEW_H_
#define POLLINATOR_TOOLS_CLI_PROFILE_VIEW_H_

#include <string>

#include "absl/types/span.h"
#include "pollinator/v1/profile.pb.h"

namespace pollinator {

// "Stuttgart, Baden-Württemberg, DE (48.7758, 9.1829)": the parts that are
// set, with coordinates when both are.
std::string FormatLocation(const v1::Location& location);

// id, kind, name, location, sectors, description, then the needs and offers
// with their component, one per line.
std::string FormatProfileDetails(const v1::Profile& profile);

// Columns ID, KIND, NAME, COUNTRY, CITY, NEEDS, OFFERS (the last two are
// counts); "no profiles" when `profiles` is empty.
std::string FormatProfileTable(absl::Span<const v1::Profile> profiles);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_PROFILE_VIEW_H_
