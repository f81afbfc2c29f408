// Tests of tools/cli/command_line.h, with flags defined here.
#include "tools/cli/command_line.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

ABSL_FLAG(std::string, cl_test_name, "default", "a string flag");
ABSL_FLAG(bool, cl_test_switch, false, "a bool flag");
ABSL_FLAG(int32_t, cl_test_count, 1, "an int flag");
ABSL_FLAG(absl::Duration, cl_test_timeout, absl::Seconds(30), "a duration");

namespace pollinator {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::StatusOr<CommandLine> Parse(const std::vector<std::string>& args) {
  return ParseCommandLine(args);
}

TEST(CommandLineTest, FlagsBeforeAndAfterTheCommand) {
  absl::FlagSaver saver;
  absl::StatusOr<CommandLine> command_line =
      Parse({"--cl_test_name=x", "get", "id-1", "--cl_test_count=7"});
  ASSERT_TRUE(command_line.ok()) << command_line.status();
  EXPECT_THAT(command_line->positional, ElementsAre("get", "id-1"));
  EXPECT_FALSE(command_line->help_requested);
  EXPECT_EQ(absl::GetFlag(FLAGS_cl_test_name), "x");
  EXPECT_EQ(absl::GetFlag(FLAGS_cl_test_count), 7);
}

TEST(CommandLineTest, ValueInTheNextArgument) {
  absl::FlagSaver saver;
  absl::StatusOr<CommandLine> command_line =
      Parse({"-cl_test_name", "some text", "match"});
  ASSERT_TRUE(command_line.ok()) << command_line.status();
  EXPECT_THAT(command_line->positional, ElementsAre("match"));
  EXPECT_EQ(absl::GetFlag(FLAGS_cl_test_name), "some text");
}

TEST(CommandLineTest, BoolFlagsDoNotTakeTheNextArgument) {
  absl::FlagSaver saver;
  absl::StatusOr<CommandLine> command_line =
      Parse({"--cl_test_switch", "list"});
  ASSERT_TRUE(command_line.ok()) << command_line.status();
  EXPECT_THAT(command_line->positional, ElementsAre("list"));
  EXPECT_TRUE(absl::GetFlag(FLAGS_cl_test_switch));
  ASSERT_TRUE(Parse({"--nocl_test_switch"}).ok());
  EXPECT_FALSE(absl::GetFlag(FLAGS_cl_test_switch));
  ASSERT_TRUE(Parse({"--cl_test_switch=true"}).ok());
  EXPECT_TRUE(absl::GetFlag(FLAGS_cl_test_switch));
}

TEST(CommandLineTest, DashIsPositionalAndDoubleDashEndsFlags) {
  absl::FlagSaver saver;
  absl::StatusOr<CommandLine> command_line =
      Parse({"import", "-", "--", "--cl_test_count=3"});
  ASSERT_TRUE(command_line.ok()) << command_line.status();
  EXPECT_THAT(command_line->positional,
              ElementsAre("import", "-", "--cl_test_count=3"));
  EXPECT_EQ(absl::GetFlag(FLAGS_cl_test_count), 1);
}

TEST(CommandLineTest, ParsesDurations) {
  absl::FlagSaver saver;
  ASSERT_TRUE(Parse({"--cl_test_timeout=1m30s"}).ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_cl_test_timeout), absl::Seconds(90));
}

TEST(CommandLineTest, UnknownFlagIsAnError) {
  absl::StatusOr<CommandLine> command_line = Parse({"--cl_test_nope=1"});
  EXPECT_EQ(command_line.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(command_line.status().message(), "unknown flag --cl_test_nope");
  EXPECT_EQ(Parse({"--nocl_test_name"}).status().message(),
            "unknown flag --nocl_test_name");
}

TEST(CommandLineTest, BadValueNamesTheFlag) {
  absl::FlagSaver saver;
  absl::StatusOr<CommandLine> count = Parse({"--cl_test_count=many"});
  EXPECT_EQ(count.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(count.status().message(),
            "--cl_test_count: invalid value \"many\", expected an integer");
  EXPECT_EQ(Parse({"--cl_test_timeout=soon"}).status().message(),
            "--cl_test_timeout: invalid value \"soon\", expected a duration "
            "such as 30s or 1m30s");
  EXPECT_EQ(
      Parse({"--cl_test_switch=maybe"}).status().message(),
      "--cl_test_switch: invalid value \"maybe\", expected true or false");
  EXPECT_EQ(absl::GetFlag(FLAGS_cl_test_count), 1);
}

TEST(CommandLineTest, HyphensInFlagNamesStandForUnderscores) {
  absl::FlagSaver saver;
  absl::StatusOr<CommandLine> command_line =
      Parse({"--cl-test-count=7", "match", "--cl-test-name", "x",
             "--nocl-test-switch"});
  ASSERT_TRUE(command_line.ok()) << command_line.status();
  EXPECT_THAT(command_line->positional, ElementsAre("match"));
  EXPECT_EQ(absl::GetFlag(FLAGS_cl_test_count), 7);
  EXPECT_EQ(absl::GetFlag(FLAGS_cl_test_name), "x");
  EXPECT_FALSE(absl::GetFlag(FLAGS_cl_test_switch));
  ASSERT_TRUE(Parse({"--cl-test-switch"}).ok());
  EXPECT_TRUE(absl::GetFlag(FLAGS_cl_test_switch));
  // Errors repeat the name as it was typed.
  EXPECT_EQ(Parse({"--cl-test-nope=1"}).status().message(),
            "unknown flag --cl-test-nope");
  EXPECT_EQ(Parse({"--cl-test-count=many"}).status().message(),
            "--cl-test-count: invalid value \"many\", expected an integer");
}

TEST(CommandLineTest, MissingValue) {
  EXPECT_EQ(Parse({"get", "--cl_test_name"}).status().message(),
            "--cl_test_name needs a value");
}

TEST(CommandLineTest, HelpFlags) {
  for (const char* help : {"--help", "-h", "-help", "--helpfull"}) {
    absl::StatusOr<CommandLine> command_line = Parse({"get", help});
    ASSERT_TRUE(command_line.ok()) << command_line.status();
    EXPECT_TRUE(command_line->help_requested) << help;
  }
}

}  // namespace
}  // namespace pollinator
