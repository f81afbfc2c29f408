// Process-level tests of the `pollinator` binary: --help, usage errors and
// exit statuses. No server is involved; RPCs go to a closed port.
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct Result {
  int exit_status = -1;
  std::string output;  // stdout and stderr
};

// Runs the binary (path from CMake) with `args`, already shell-quoted.
Result RunPollinator(const std::string& args) {
  const std::string command =
      std::string(POLLINATOR_BINARY) + " " + args + " 2>&1";
  Result result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t read = 0;
  while ((read = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    result.output.append(buffer, read);
  }
  const int status = pclose(pipe);
  if (WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
  return result;
}

TEST(PollinatorBinaryTest, HelpExitsZero) {
  const Result result = RunPollinator("--help");
  EXPECT_EQ(result.exit_status, 0);
  EXPECT_THAT(result.output, StartsWith("Usage: pollinator"));
}

TEST(PollinatorBinaryTest, UsageErrorsExitTwo) {
  for (const char* args :
       {"", "frobnicate", "list", "--tenant=t get", "--no_such_flag health",
        "--timeout=soon health", "--tenant=t match",
        "--tenant=t match --text=x --kinds=univ",
        "--tenant=t match --profile=p --reciprocity=geometric",
        "--tenant=t match --text=x --reciprocity=off",
        "--tenant=t match --text=x --diversity=1.5",
        "--tenant=t match --text=x --diversity=lots",
        "--tenant=t match --text=x --max-per-kind=101",
        "--tenant=t interact --from=a --to=b",
        "--tenant=t interact --from=a --to=b --type=declined",
        "--tenant=t interact --from=a --to=b --type=shown --reason=too-far",
        "--tenant=t interact --from=a --to=b --type=declined --reason=busy",
        "--tenant=t history", "--tenant=t history --profile=p --limit=-1"}) {
    const Result result = RunPollinator(args);
    EXPECT_EQ(result.exit_status, 2) << args;
    EXPECT_THAT(result.output, HasSubstr("run `pollinator --help`")) << args;
  }
}

TEST(PollinatorBinaryTest, RpcErrorsExitOne) {
  const Result result =
      RunPollinator("--server=127.0.0.1:1 --tenant=t get smb-1 --timeout=5s");
  EXPECT_EQ(result.exit_status, 1);
  EXPECT_THAT(result.output, HasSubstr("error: UNAVAILABLE: "));
}

TEST(PollinatorBinaryTest, UsageErrorsNameTheFlag) {
  const Result result =
      RunPollinator("--tenant=t interact --from=a --to=b --type=declined");
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_THAT(result.output,
              StartsWith("pollinator: --reason is required with "
                         "--type=declined; one of not-relevant"));
  EXPECT_THAT(
      RunPollinator("--tenant=t match --text=x --max-per-kind=101").output,
      StartsWith("pollinator: --max_per_kind: must be 0 to 100"));
}

// Valid command lines get past the usage checks to the (unreachable) server.
TEST(PollinatorBinaryTest, NewCommandsAndFlagsReachTheServer) {
  for (const char* args :
       {"--tenant=t match --profile=p --reciprocity=arithmetic "
        "--diversity=0.3 --max-per-kind=2",
        "--tenant=t match --profile=p --max_per_kind=2",
        "--tenant=t interact --from=a --to=b --type=declined "
        "--reason=no-capacity --note='full until May'",
        "--tenant=t interact --from=a --to=b --type=collaborated",
        "--tenant=t history --profile=p --limit=5"}) {
    const Result result =
        RunPollinator(std::string(args) + " --server=127.0.0.1:1 --timeout=5s");
    EXPECT_EQ(result.exit_status, 1) << args;
    EXPECT_THAT(result.output, HasSubstr("error: UNAVAILABLE: ")) << args;
  }
}

TEST(PollinatorBinaryTest, HealthOfAnUnreachableServerExitsOne) {
  EXPECT_EQ(
      RunPollinator("health --server=127.0.0.1:1 --timeout=5s").exit_status, 1);
}

}  // namespace
