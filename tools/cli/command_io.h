// The streams and clock a CLI command uses. main passes std::cin, std::cout,
// std::cerr and absl::Now; tests pass string streams and a fake clock.
//
//   std::ostringstream out, err;
//   std::istringstream in;
//   CommandIo io{in, out, err, [] { return absl::UnixEpoch(); }};
#ifndef POLLINATOR_TOOLS_CLI_COMMAND_IO_H_
#define POLLINATOR_TOOLS_CLI_COMMAND_IO_H_

#include <functional>
#include <istream>
#include <ostream>

#include "absl/time/time.h"

namespace pollinator {

struct CommandIo {
  std::istream& in;                 // stdin: `import -` reads it
  std::ostream& out;                // results
  std::ostream& err;                // progress and hints
  std::function<absl::Time()> now;  // for import progress rates
};

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_COMMAND_IO_H_
