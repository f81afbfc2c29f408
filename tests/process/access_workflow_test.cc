// The operator's and a tenant admin's workflow with the real binaries:
// pollinatord with --admin_key_file, then `pollinator tenants create`,
// `import`, `keys create|list|revoke` and reads and writes with each key,
// checked by exit status and message. Also pollinatord's refusals to start
// insecurely and its --help.
#include <signal.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "tests/testing/processes.h"
#include "tests/testing/temp_dir.h"

namespace pollinator {
namespace {

using ::pollinator::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kOperatorKey[] = "operator-key-of-the-access-workflow-test-0123456789";

class AccessWorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override { address_ = absl::StrCat("127.0.0.1:", FreePort()); }

  void TearDown() override {
    if (server_pid_ > 0) {
      kill(server_pid_, SIGTERM);
      WaitExit(server_pid_);
    }
  }

  CliResult Run(const std::string& binary, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {binary};
    argv.insert(argv.end(), args.begin(), args.end());
    CliResult result;
    result.exit_code = WaitExit(Spawn(argv, dir_.Sub("run.out"), dir_.Sub("run.err")));
    result.out = ReadFile(dir_.Sub("run.out"));
    result.err = ReadFile(dir_.Sub("run.err"));
    return result;
  }

  // The CLI against the server with `key` (or none).
  CliResult Cli(const std::string& key, std::vector<std::string> args) {
    args.insert(args.begin(), "--server=" + address_);
    if (!key.empty()) args.insert(args.begin(), "--key=" + key);
    return Run(POLLINATOR_CLI_PATH, args);
  }

  void StartServer() {
    const std::string key_file = dir_.Sub("operator.key");
    std::ofstream(key_file) << kOperatorKey << "\n";
    server_pid_ = Spawn({POLLINATORD_PATH, "--listen=" + address_, "--data_dir=" + dir_.Sub("data"),
                         "--admin_key_file=" + key_file},
                        dir_.Sub("server.out"), dir_.Sub("server.log"));
    for (int attempt = 0; attempt < 300; ++attempt) {
      if (Cli("", {"--timeout=1s", "health"}).exit_code == 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "server did not become healthy; log:\n" << ReadFile(dir_.Sub("server.log"));
  }

  TempDir dir_;
  std::string address_;
  pid_t server_pid_ = -1;
};

TEST_F(AccessWorkflowTest, OperatorCreatesATenantWhoseAdminHandsOutKeys) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  const CliResult created = Cli(kOperatorKey, {"tenants", "create", "assoc"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string admin(absl::StripSuffix(created.out, "\n"));
  EXPECT_THAT(admin, StartsWith("pk_"));
  EXPECT_THAT(created.err, HasSubstr("not shown again"));

  const std::string profiles = dir_.Sub("profiles.jsonl");
  std::ofstream(profiles)
      << R"({"id":"smb-1","kind":"PROFILE_KIND_SMB","name":"Welder","needs":[{"id":"n1","text":"battery cell testing"}]})"
      << "\n"
      << R"({"id":"lab-1","kind":"PROFILE_KIND_RESEARCH_INSTITUTE","name":"Lab","offers":[{"id":"o1","text":"battery cell testing and cycling"}]})"
      << "\n";
  ASSERT_EQ(Cli(admin, {"import", profiles}).exit_code, 0);

  // Staff screen a cohort of one from a CSV and get the assignment as CSV.
  const std::string cohort = dir_.Sub("cohort.csv");
  std::ofstream(cohort) << "profile_id,name\nsmb-1,Welder\n";
  const CliResult screened = Cli(admin, {"cohort", "--cohort=" + cohort, "--per_member=2", "--capacity=1"});
  ASSERT_EQ(screened.exit_code, 0) << screened.err;
  EXPECT_THAT(screened.out, StartsWith("member_id,slot,status,partner_id,partner_name,partner_kind,score,required,reason\n"
                                       "smb-1,1,assigned,lab-1,Lab,research institute,"));
  EXPECT_THAT(screened.out, HasSubstr("smb-1,2,unassigned,,,,,,no relevant partner in the pool\n"));
  EXPECT_THAT(screened.err, HasSubstr("1 slots assigned, 1 unassigned"));

  const CliResult reader_created = Cli(admin, {"keys", "create", "--role=reader", "--label=dashboard"});
  ASSERT_EQ(reader_created.exit_code, 0) << reader_created.err;
  const std::string reader(absl::StripSuffix(reader_created.out, "\n"));

  // The reader reads and matches in its own tenant, without naming it...
  const CliResult listed = Cli(reader, {"list"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("smb-1"));
  EXPECT_EQ(Cli(reader, {"match", "--profile=smb-1"}).exit_code, 0);
  // ...but cannot write, read another tenant or manage keys.
  const CliResult write = Cli(reader, {"delete", "smb-1"});
  EXPECT_EQ(write.exit_code, 1);
  EXPECT_THAT(write.err, HasSubstr("PERMISSION_DENIED: this call needs a writer key"));
  EXPECT_THAT(Cli(reader, {"--tenant=other", "list"}).err, HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(Cli(reader, {"keys", "list"}).err, HasSubstr("needs an admin key"));
  EXPECT_THAT(Cli("", {"--tenant=assoc", "list"}).err, HasSubstr("UNAUTHENTICATED"));
  EXPECT_THAT(Cli(admin, {"tenants", "list"}).err, HasSubstr("PERMISSION_DENIED"));

  const CliResult keys = Cli(admin, {"keys", "list"});
  ASSERT_EQ(keys.exit_code, 0) << keys.err;
  EXPECT_THAT(keys.out, HasSubstr("dashboard"));
  EXPECT_THAT(keys.out, Not(HasSubstr(reader.substr(16))));  // never the secret
  const std::string reader_id = reader.substr(3, 12);
  EXPECT_EQ(Cli(admin, {"keys", "revoke", reader_id}).exit_code, 0);
  EXPECT_THAT(Cli(reader, {"list"}).err, HasSubstr("UNAUTHENTICATED: API key " + reader_id + " has been revoked"));

  const CliResult tenants = Cli(kOperatorKey, {"tenants", "list"});
  EXPECT_THAT(tenants.out, HasSubstr("assoc   active  2"));
  EXPECT_EQ(Cli(kOperatorKey, {"tenants", "delete", "assoc"}).exit_code, 0);
  EXPECT_THAT(Cli(admin, {"list"}).err, HasSubstr("UNAUTHENTICATED"));
}

TEST_F(AccessWorkflowTest, TheServerRefusesToStartWithoutKeysOrOpenWithoutAuth) {
  const CliResult no_key = Run(POLLINATORD_PATH, {"--listen=" + address_, "--data_dir=" + dir_.Sub("a")});
  EXPECT_EQ(no_key.exit_code, 1);
  EXPECT_THAT(no_key.err, HasSubstr("--auth=keys needs the operator key"));
  const CliResult open = Run(POLLINATORD_PATH, {"--auth=none", "--listen=0.0.0.0:0", "--data_dir=" + dir_.Sub("b")});
  EXPECT_EQ(open.exit_code, 1);
  EXPECT_THAT(open.err, HasSubstr("WARNING: --auth=none"));
  EXPECT_THAT(open.err, HasSubstr("is not a loopback address"));
}

TEST_F(AccessWorkflowTest, HelpExitsZeroAndNamesNoBuildPaths) {
  const CliResult help = Run(POLLINATORD_PATH, {"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--admin_key_file"));
  EXPECT_THAT(help.out, HasSubstr("--samples_tenant"));
  EXPECT_THAT(help.out, HasSubstr("Flags from services/pollinatord_main.cc"));
  EXPECT_THAT(help.out, Not(HasSubstr(PROJECT_SOURCE_DIR)));
}

}  // namespace
}  // namespace pollinator
