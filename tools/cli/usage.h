// The text `pollinator --help` prints: every command, flag, default and exit
// status, in one screen or two.
#ifndef POLLINATOR_TOOLS_CLI_USAGE_H_
#define POLLINATOR_TOOLS_CLI_USAGE_H_

#include "absl/strings/string_view.h"

namespace pollinator {

// Ends with a newline.
absl::string_view UsageText();

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_USAGE_H_
