// Backups of the real pollinatord, taken through the real pollinator CLI
// while the server serves, restored by a second pollinatord into a fresh
// folder and compared with the original: every tenant's export, and the
// answers of matching. Also: what a restore refuses (a non-empty folder, an
// incomplete or damaged backup), and that a damaged database is refused at
// start with DATA_LOSS rather than served.
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/testing/processes.h"
#include "tests/testing/temp_dir.h"

namespace pollinator {
namespace {

namespace fs = std::filesystem;
using ::pollinator::testing::TempDir;
using ::testing::HasSubstr;

// Overwrites 64 bytes a third of the way into the largest table file of
// the database in `db`, where its data blocks are.
void DamageLargestTable(const fs::path& db) {
  fs::path largest;
  uintmax_t size = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(db)) {
    if (entry.path().extension() == ".sst" && entry.file_size() > size) {
      largest = entry.path();
      size = entry.file_size();
    }
  }
  ASSERT_GT(size, 4096u) << "no table file to damage in " << db;
  std::fstream file(largest, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(static_cast<std::streamoff>(size / 3));
  const std::string junk(64, '\xa5');
  file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  ASSERT_TRUE(file.good()) << "could not write " << largest;
}

// The server log's start-up line about `tenant`.
std::string LoadLine(const std::string& log, const std::string& tenant) {
  const size_t start = log.find("tenant \"" + tenant + "\": ");
  if (start == std::string::npos) return "";
  return log.substr(start, log.find('\n', start) - start);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

struct Daemon {
  std::string address;
  std::string log;
  pid_t pid = -1;
};

class BackupRestoreTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (Daemon* daemon : {&original_, &restored_}) Stop(*daemon);
  }

  CliResult Cli(const Daemon& daemon, const std::string& tenant, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {POLLINATOR_CLI_PATH, "--server=" + daemon.address, "--tenant=" + tenant};
    argv.insert(argv.end(), args.begin(), args.end());
    const std::string out = dir_.Sub("cli.out"), err = dir_.Sub("cli.err");
    CliResult result;
    result.exit_code = WaitExit(Spawn(argv, out, err));
    result.out = ReadFile(out);
    result.err = ReadFile(err);
    return result;
  }

  // Starts pollinatord with `flags` and waits until it is healthy; returns
  // its exit code instead if it stops first (-1 while it runs).
  int Start(Daemon& daemon, const std::string& name, const std::vector<std::string>& flags) {
    daemon.address = absl::StrCat("127.0.0.1:", FreePort());
    daemon.log = dir_.Sub(name + ".log");
    std::vector<std::string> argv = {POLLINATORD_PATH, "--auth=none", "--listen=" + daemon.address};
    argv.insert(argv.end(), flags.begin(), flags.end());
    daemon.pid = Spawn(argv, dir_.Sub(name + ".out"), daemon.log);
    for (int attempt = 0; attempt < 600; ++attempt) {
      int status = 0;
      if (waitpid(daemon.pid, &status, WNOHANG) == daemon.pid) {
        daemon.pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      if (Cli(daemon, "-", {"--timeout=1s", "health"}).exit_code == 0) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << name << " did not become healthy; log:\n" << ReadFile(daemon.log);
    return -1;
  }

  void Stop(Daemon& daemon) {
    if (daemon.pid <= 0) return;
    kill(daemon.pid, SIGTERM);
    WaitExit(daemon.pid);
    daemon.pid = -1;
  }

  std::string WriteProfiles(const std::string& name, const std::string& prefix, int count) {
    static const char* const kTopics[] = {"battery cathode pilot line", "LiDAR point cloud analytics",
                                          "GMP clean room for cell therapy", "EMC certification testing",
                                          "predictive maintenance machine learning", "perovskite solar stability"};
    const std::string path = dir_.Sub(name);
    std::ofstream out(path);
    for (int i = 0; i < count; ++i) {
      out << R"({"id":")" << prefix << i << R"(","kind":")" << (i % 2 ? "PROFILE_KIND_UNIVERSITY" : "PROFILE_KIND_SMB")
          << R"(","name":"Org )" << i << R"(","location":{"country":"DE"},"needs":[{"id":"n1","text":"need )"
          << kTopics[i % 6] << " variant " << i % 7 << R"("}],"offers":[{"id":"o1","text":"we offer )"
          << kTopics[(i + 2) % 6] << " at scale " << i % 5 << R"("}]})" << "\n";
    }
    return path;
  }

  std::string Export(const Daemon& daemon, const std::string& tenant) {
    const CliResult exported = Cli(daemon, tenant, {"export"});
    EXPECT_EQ(exported.exit_code, 0) << exported.err;
    return exported.out;
  }

  // A tenant with profiles and interactions, and a second one.
  void Populate(const Daemon& daemon) {
    ASSERT_EQ(Cli(daemon, "alpha", {"import", WriteProfiles("alpha.jsonl", "a", 300)}).exit_code, 0);
    ASSERT_EQ(Cli(daemon, "beta", {"import", WriteProfiles("beta.jsonl", "b", 40)}).exit_code, 0);
    for (const char* type : {"contacted", "collaborated"}) {
      const CliResult interacted = Cli(daemon, "alpha", {"interact", "--from=a0", "--to=a3", "--type=" + std::string(type)});
      ASSERT_EQ(interacted.exit_code, 0) << interacted.err;
    }
  }

  TempDir dir_;
  Daemon original_, restored_;
};

TEST_F(BackupRestoreTest, ARestoredBackupHoldsEverythingAndAnswersAlike) {
  const std::string backups = dir_.Sub("backups");
  ASSERT_EQ(Start(original_, "original", {"--data_dir=" + dir_.Sub("data"), "--backup_dir=" + backups}), -1);
  ASSERT_NO_FATAL_FAILURE(Populate(original_));

  // Online: an import into a third tenant runs while the backup is taken.
  const std::string busy = WriteProfiles("busy.jsonl", "c", 3000);
  const pid_t importer = Spawn({POLLINATOR_CLI_PATH, "--server=" + original_.address, "--tenant=busy", "import", busy},
                               dir_.Sub("import.out"), dir_.Sub("import.err"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const CliResult backup = Cli(original_, "-", {"backup", "nightly"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_THAT(backup.out, HasSubstr("backup " + backups + "/nightly: "));
  EXPECT_EQ(WaitExit(importer), 0) << ReadFile(dir_.Sub("import.err"));
  EXPECT_TRUE(fs::exists(fs::path(backups) / "nightly" / "MANIFEST"));
  EXPECT_FALSE(fs::exists(fs::path(backups) / "nightly.partial"));

  const CliResult again = Cli(original_, "-", {"backup", "nightly"});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_THAT(again.err, HasSubstr("already exists"));
  EXPECT_THAT(Cli(original_, "-", {"backup", "a/../../escape"}).err, HasSubstr("may hold only"));

  const std::string restored_dir = dir_.Sub("restored");
  ASSERT_EQ(Start(restored_, "restored",
                  {"--data_dir=" + restored_dir, "--restore_from=" + (fs::path(backups) / "nightly").string()}),
            -1);
  // The snapshot was taken with the checkpoint: loaded, not rebuilt.
  const std::string alpha_loaded = LoadLine(ReadFile(restored_.log), "alpha");
  EXPECT_THAT(alpha_loaded, HasSubstr("300 profiles"));
  EXPECT_THAT(alpha_loaded, HasSubstr("index loaded"));
  for (const char* tenant : {"alpha", "beta"}) {
    const std::string original_export = Export(original_, tenant);
    ASSERT_FALSE(original_export.empty());
    EXPECT_EQ(Export(restored_, tenant), original_export) << tenant;
  }
  EXPECT_THAT(Export(restored_, "alpha"), HasSubstr("INTERACTION_TYPE_COLLABORATED"));
  const CliResult match_original = Cli(original_, "alpha", {"--json", "match", "--profile=a0", "--top_k=20"});
  const CliResult match_restored = Cli(restored_, "alpha", {"--json", "match", "--profile=a0", "--top_k=20"});
  ASSERT_EQ(match_original.exit_code, 0) << match_original.err;
  EXPECT_EQ(match_restored.out, match_original.out);

  // The tenant written during the backup: whatever it caught is exactly
  // as the original has it.
  const std::vector<std::string> busy_original = Lines(Export(original_, "busy"));
  const std::set<std::string> originals(busy_original.begin(), busy_original.end());
  EXPECT_EQ(busy_original.size(), 3000u);
  for (const std::string& line : Lines(Export(restored_, "busy"))) EXPECT_TRUE(originals.count(line)) << line;
}

TEST_F(BackupRestoreTest, RestoreRefusesANonEmptyFolderAndIncompleteOrDamagedBackups) {
  const std::string backups = dir_.Sub("backups");
  ASSERT_EQ(Start(original_, "original", {"--data_dir=" + dir_.Sub("data"), "--backup_dir=" + backups}), -1);
  ASSERT_NO_FATAL_FAILURE(Populate(original_));
  ASSERT_EQ(Cli(original_, "-", {"backup", "b1"}).exit_code, 0);
  Stop(original_);
  const fs::path backup = fs::path(backups) / "b1";

  // Into the original's own folder: refused, and that folder is untouched.
  EXPECT_EQ(Start(restored_, "into-used", {"--data_dir=" + dir_.Sub("data"), "--restore_from=" + backup.string()}), 1);
  EXPECT_THAT(ReadFile(restored_.log), HasSubstr("already holds a database"));

  // Without its MANIFEST (as a backup cut short would be).
  const fs::path incomplete = dir_.Sub("incomplete");
  fs::copy(backup, incomplete, fs::copy_options::recursive);
  fs::remove(incomplete / "MANIFEST");
  EXPECT_EQ(Start(restored_, "incomplete", {"--data_dir=" + dir_.Sub("r1"), "--restore_from=" + incomplete.string()}),
            1);
  EXPECT_THAT(ReadFile(restored_.log), HasSubstr("not a complete backup"));

  // A flipped block in a real copy (the backup's files are hard links into
  // the original's database, which must stay whole).
  const fs::path damaged = dir_.Sub("damaged");
  fs::copy(backup, damaged, fs::copy_options::recursive);
  ASSERT_NO_FATAL_FAILURE(DamageLargestTable(damaged / "db"));
  const std::string r2 = dir_.Sub("r2");
  EXPECT_EQ(Start(restored_, "damaged", {"--data_dir=" + r2, "--restore_from=" + damaged.string()}), 1);
  EXPECT_THAT(ReadFile(restored_.log), HasSubstr("DATA_LOSS"));
  EXPECT_THAT(ReadFile(restored_.log), HasSubstr("is damaged"));
  EXPECT_FALSE(fs::exists(fs::path(r2) / "db"));

  // The original backup still restores.
  EXPECT_EQ(Start(restored_, "good", {"--data_dir=" + dir_.Sub("r3"), "--restore_from=" + backup.string()}), -1);
}

TEST_F(BackupRestoreTest, ADamagedDatabaseIsRefusedAtStartNotServed) {
  const std::string data = dir_.Sub("data");
  ASSERT_EQ(Start(original_, "original", {"--data_dir=" + data}), -1);
  ASSERT_NO_FATAL_FAILURE(Populate(original_));
  Stop(original_);  // flushes the tables
  ASSERT_NO_FATAL_FAILURE(DamageLargestTable(fs::path(data) / "db"));
  EXPECT_EQ(Start(original_, "damaged", {"--data_dir=" + data}), 1);
  EXPECT_THAT(ReadFile(original_.log), HasSubstr("DATA_LOSS"));
  EXPECT_THAT(ReadFile(original_.log), HasSubstr("Corruption"));
}

}  // namespace
}  // namespace pollinator
