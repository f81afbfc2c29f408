// Text views of interactions: the field list `pollinator interact` prints for
// the interaction it recorded, and the table of `pollinator history`. Types
// and reasons appear with the short names the flags take ("declined",
// "too-far"), times in UTC as ISO 8601 with milliseconds.
//
//   sequence: 12
//   time:     2024-05-01T12:34:56.789Z
//   from:     smb-1
//   to:       ipa
//   type:     declined
//   reason:   too-far
//
//   std::cout << FormatInteractionDetails(response.interaction());
//   std::cout << FormatInteractionTable(interactions);
#ifndef POLLINATOR_TOOLS_CLI_INTERACTION_VIEW_H_
#define POLLINATOR_TOOLS_CLI_INTERACTION_VIEW_H_

#include <cstdint>
#include <string>

#include "absl/types/span.h"
#include "pollinator/v1/interaction.pb.h"

namespace pollinator {

// "2024-05-01T12:34:56.789Z"; "-" for 0, which means "not recorded".
std::string FormatUnixMillis(int64_t unix_ms);

// sequence, time, from, to, type and reason ("-" when there is none), one
// per line, then the note when there is one.
std::string FormatInteractionDetails(const v1::Interaction& interaction);

// Columns SEQ, TIME, FROM, TO, TYPE, REASON, NOTE (cut at about 60
// characters); "no interactions" when `interactions` is empty.
std::string FormatInteractionTable(
    absl::Span<const v1::Interaction> interactions);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_INTERACTION_VIEW_H_
