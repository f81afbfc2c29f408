// Readable names of profile kinds and ecosystem components, for reasons,
// tables and logs: "research institute", "technology & infrastructure".
// Unspecified values read "unspecified", unknown ones their number.
//
//   std::string label = ComponentLabel(need.component());
//
// Pure functions; thread-safe.
#ifndef POLLINATOR_INDEX_LABELS_H_
#define POLLINATOR_INDEX_LABELS_H_

#include <string>

#include "pollinator/v1/profile.pb.h"

namespace pollinator {

std::string ProfileKindLabel(v1::ProfileKind kind);
std::string ComponentLabel(v1::Component component);

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_LABELS_H_
