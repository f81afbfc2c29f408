// Text view of FindPartners results for `pollinator match`: one block per
// suggestion, best first, separated by blank lines.
//
// #1  0.873  Fraunhofer IPA (fraunhofer-ipa)
//     research institute · Stuttgart, DE · 12.4 km
//     need:  Pilot line for solid-state battery cells
//     offer: Battery pilot line and testing lab time for SMEs
//     mutual: your offer "Cell testing" meets their need "Electrolyte R&D"
//     score: semantic 0.912, lexical 0.640, geography 0.800, sector 1.000
//            kind fit 0.500, experience 0.300, network 0.000, reciprocal 0.710
//     - Offers technology & infrastructure for this need
//
// The last line names what ranked the suggestions ("ranked by: rules", or
// the tenant's learned model), when the server said.
//
// The mutual line shows the reverse pair of a mutual fit (Suggestion's
// mutual_need and mutual_offer), when the server sent one; "reciprocal"
// appears only when the score has that component.
//
//   std::cout << FormatSuggestions(response, request.direction());
#ifndef POLLINATOR_TOOLS_CLI_MATCH_VIEW_H_
#define POLLINATOR_TOOLS_CLI_MATCH_VIEW_H_

#include <string>

#include "pollinator/v1/matching.pb.h"

namespace pollinator {

// `direction` is the request's: it says which side of the mutual pair is the
// asker's ("your offer ... meets their need ..." or the reverse). Texts longer
// than about 100 characters (45 in the mutual line) are cut with "…";
// "no suggestions" when there are none.
std::string FormatSuggestions(const v1::FindPartnersResponse& response,
                              v1::Direction direction);

// Text view of a TrainRanker report for `pollinator train-ranker`:
//
// model 3 (gblinear): activated
// validation: nDCG@10 0.376 on 37 later queries, against 0.257 for rules
// training: 19 queries, outcomes before sequence 32370
std::string FormatTrainReport(const v1::TrainRankerResponse& report);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_MATCH_VIEW_H_
