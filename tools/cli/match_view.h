// Text view of FindPartners results for `pollinator match`: one block per
// suggestion, best first, separated by blank lines.
//
//   #1  0.873  Fraunhofer IPA (fraunhofer-ipa)
//       research institute · Stuttgart, DE · 12.4 km
//       need:  Pilot line for solid-state battery cells
//       offer: Battery pilot line and testing lab time for SMEs
//       score: semantic 0.912, geography 0.800, sector 1.000, kind fit 0.500
//       - Offers technology & infrastructure for this need
//
//   std::cout << FormatSuggestions(response);
#ifndef POLLINATOR_TOOLS_CLI_MATCH_VIEW_H_
#define POLLINATOR_TOOLS_CLI_MATCH_VIEW_H_

#include <string>

#include "pollinator/v1/matching.pb.h"

namespace pollinator {

// Texts longer than about 100 characters are cut with "…"; "no suggestions"
// when there are none.
std::string FormatSuggestions(const v1::FindPartnersResponse& response);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_MATCH_VIEW_H_
