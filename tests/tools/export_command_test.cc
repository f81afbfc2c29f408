// Tests of tools/cli/export_command.h against a fake client.
#include "tools/cli/export_command.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"
#include "tests/tools/fake_pollinator_client.h"

namespace pollinator {
namespace {

using ::pollinator::testing::TempDir;
using ::testing::HasSubstr;

class ExportCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::TransferRecord profile;
    profile.mutable_profile()->set_id("p1");
    profile.mutable_profile()->set_kind(v1::PROFILE_KIND_SMB);
    client_.export_records.push_back(profile);
    v1::TransferRecord interaction;
    interaction.mutable_interaction()->set_from_profile_id("p1");
    interaction.mutable_interaction()->set_to_profile_id("p2");
    interaction.mutable_interaction()->set_sequence(3);
    client_.export_records.push_back(interaction);
  }

  static std::string ReadFile(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
  }

  FakePollinatorClient client_;
  std::istringstream stdin_;
  std::ostringstream out_;
  std::ostringstream err_;
  CommandIo io_{stdin_, out_, err_, [] { return absl::UnixEpoch(); }};
};

constexpr char kExpected[] =
    "{\"profile\":{\"id\":\"p1\",\"kind\":\"PROFILE_KIND_SMB\"}}\n"
    "{\"interaction\":{\"fromProfileId\":\"p1\",\"toProfileId\":\"p2\","
    "\"sequence\":\"3\"}}\n";

TEST_F(ExportCommandTest, WritesOneLinePerRecordToStdout) {
  ExportOptions options;
  options.tenant = "acme";
  ASSERT_TRUE(RunExport(options, client_, io_).ok());
  ASSERT_EQ(client_.export_requests.size(), 1u);
  EXPECT_EQ(client_.export_requests[0].tenant(), "acme");
  EXPECT_EQ(out_.str(), kExpected);
  EXPECT_EQ(err_.str(), "export: 1 profiles, 1 interactions\n");
}

TEST_F(ExportCommandTest, WithAProfileExportsOnlyThatProfile) {
  ExportOptions options;
  options.tenant = "acme";
  options.profile_id = "p1";
  ASSERT_TRUE(RunExport(options, client_, io_).ok());
  EXPECT_TRUE(client_.export_requests.empty());
  ASSERT_EQ(client_.export_profile_requests.size(), 1u);
  EXPECT_EQ(client_.export_profile_requests[0].tenant(), "acme");
  EXPECT_EQ(client_.export_profile_requests[0].id(), "p1");
  EXPECT_EQ(out_.str(), kExpected);
  EXPECT_EQ(err_.str(), "export: 1 profiles, 1 interactions\n");
}

TEST_F(ExportCommandTest, WritesTheFileOnlyWhenTheExportIsComplete) {
  TempDir dir;
  ExportOptions options;
  options.output = dir.Sub("acme.jsonl");
  ASSERT_TRUE(RunExport(options, client_, io_).ok());
  EXPECT_EQ(ReadFile(options.output), kExpected);
  EXPECT_EQ(out_.str(), "");
  EXPECT_FALSE(std::filesystem::exists(options.output + ".partial"));

  // A failed export keeps the last good file and leaves nothing beside it.
  client_.export_records.pop_back();
  client_.export_status = absl::UnavailableError("connection reset");
  const absl::Status status = RunExport(options, client_, io_);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReadFile(options.output), kExpected);
  EXPECT_FALSE(std::filesystem::exists(options.output + ".partial"));
}

TEST_F(ExportCommandTest, AnUnwritableFileIsNamed) {
  ExportOptions options;
  options.output = "/nonexistent-folder/acme.jsonl";
  const absl::Status status = RunExport(options, client_, io_);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(),
              HasSubstr("/nonexistent-folder/acme.jsonl.partial"));
  EXPECT_TRUE(client_.export_requests.empty());
}

}  // namespace
}  // namespace pollinator
