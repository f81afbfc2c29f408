// Starts the real pollinatord, writes through the real pollinator CLI, kills
// the server with SIGKILL in the middle of an import, restarts it, and checks
// that every acknowledged write is there and that matching answers as before.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
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

using ::pollinator::testing::TempDir;
using ::testing::HasSubstr;

class CrashRecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override { server_address_ = absl::StrCat("127.0.0.1:", FreePort()); }

  void TearDown() override {
    if (server_pid_ > 0) {
      kill(server_pid_, SIGKILL);
      WaitExit(server_pid_);
    }
  }

  std::vector<std::string> CliArgs(const std::string& tenant, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {POLLINATOR_CLI_PATH, "--server=" + server_address_, "--tenant=" + tenant};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  CliResult Cli(const std::string& tenant, const std::vector<std::string>& args) {
    const std::string out = dir_.Sub("cli.out"), err = dir_.Sub("cli.err");
    CliResult result;
    result.exit_code = WaitExit(Spawn(CliArgs(tenant, args), out, err));
    result.out = ReadFile(out);
    result.err = ReadFile(err);
    return result;
  }

  void StartServer(const std::vector<std::string>& extra_flags = {}) {
    ++server_starts_;
    server_log_ = dir_.Sub(absl::StrCat("server", server_starts_, ".log"));
    std::vector<std::string> argv = {POLLINATORD_PATH, "--auth=none", "--listen=" + server_address_,
                                     "--data_dir=" + dir_.Sub("data")};
    argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
    server_pid_ = Spawn(argv, dir_.Sub("server.out"), server_log_);
    // Ready when the health check passes; bounded, so a broken server fails
    // the test instead of hanging it.
    for (int attempt = 0; attempt < 300; ++attempt) {
      if (Cli("-", {"--timeout=1s", "health"}).exit_code == 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "server did not become healthy; log:\n" << ReadFile(server_log_);
  }

  void KillServer(int signal_number) {
    ASSERT_GT(server_pid_, 0);
    kill(server_pid_, signal_number);
    server_exit_code_ = WaitExit(server_pid_);
    server_pid_ = -1;
  }

  // Profiles whose texts vary with `i`, so matching has real work to do.
  std::string WriteProfiles(const std::string& name, const std::string& prefix, int count) {
    static const char* const kTopics[] = {"battery cathode pilot line", "LiDAR point cloud analytics",
                                          "GMP clean room for cell therapy", "seed funding for hardware",
                                          "EMC certification testing", "predictive maintenance machine learning",
                                          "perovskite solar stability", "export distribution in Nordic markets"};
    static const char* const kKinds[] = {"PROFILE_KIND_SMB", "PROFILE_KIND_UNIVERSITY",
                                         "PROFILE_KIND_RESEARCH_INSTITUTE", "PROFILE_KIND_INVESTOR"};
    const std::string path = dir_.Sub(name);
    std::ofstream out(path);
    for (int i = 0; i < count; ++i) {
      out << R"({"id":")" << prefix << i << R"(","kind":")" << kKinds[i % 4] << R"(","name":"Org )" << i
          << R"(","location":{"country":"DE","city":"City )" << i % 7 << R"("},"needs":[{"id":"n1","text":"need )"
          << kTopics[i % 8] << " variant " << i % 13 << R"("}],"offers":[{"id":"o1","text":"we offer )"
          << kTopics[(i + 3) % 8] << " at scale " << i % 11 << R"("}]})" << "\n";
    }
    return path;
  }

  std::set<std::string> ListedIds(const std::string& tenant) {
    CliResult listed = Cli(tenant, {"--json", "list", "--all"});
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    std::set<std::string> ids;
    const std::regex id_pattern(R"re("id"\s*:\s*"([^"]+)")re");
    std::istringstream lines(listed.out);
    std::string line;
    while (std::getline(lines, line)) {
      std::smatch match;
      // The profile id is the first "id" of each JSON line.
      if (std::regex_search(line, match, id_pattern)) ids.insert(match[1]);
    }
    return ids;
  }

  TempDir dir_;
  std::string server_address_;
  std::string server_log_;
  pid_t server_pid_ = -1;
  int server_starts_ = 0;
  int server_exit_code_ = -1;
};

TEST_F(CrashRecoveryTest, AcknowledgedWritesAndMatchesSurviveSigkillMidImport) {
  ASSERT_NO_FATAL_FAILURE(StartServer());

  // A settled tenant whose match results must not change across the crash.
  CliResult imported = Cli("stable", {"import", WriteProfiles("stable.jsonl", "s", 200)});
  ASSERT_EQ(imported.exit_code, 0) << imported.out << imported.err;
  CliResult before = Cli("stable", {"--json", "match", "--profile=s0", "--top_k=20"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  ASSERT_THAT(before.out, HasSubstr("suggestions"));

  // A long import into another tenant, killed half-way.
  const std::string big = WriteProfiles("big.jsonl", "b", 20000);
  const std::string import_out = dir_.Sub("import.out"), import_err = dir_.Sub("import.err");
  const pid_t importer = Spawn(CliArgs("busy", {"--json", "--batch_size=50", "import", big}), import_out, import_err);
  const std::regex progress(R"(import: (\d+) lines read, (\d+) upserted)");
  bool mid_stream = false;
  for (int attempt = 0; attempt < 2000 && !mid_stream; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const std::string err = ReadFile(import_err);
    for (std::sregex_iterator it(err.begin(), err.end(), progress), end; it != end; ++it) {
      if (std::stoi((*it)[2]) >= 1000) mid_stream = true;
    }
  }
  ASSERT_TRUE(mid_stream) << "import made no progress: " << ReadFile(import_err);
  ASSERT_NO_FATAL_FAILURE(KillServer(SIGKILL));
  EXPECT_EQ(server_exit_code_, 128 + SIGKILL);
  EXPECT_EQ(WaitExit(importer), 1) << "the import must fail when its server dies";

  const std::string summary = ReadFile(import_out);
  std::smatch acknowledged;
  ASSERT_TRUE(std::regex_search(summary, acknowledged, std::regex(R"re("acknowledgedThroughLine"\s*:\s*"?(\d+))re")))
      << summary;
  const int acknowledged_lines = std::stoi(acknowledged[1]);
  ASSERT_GE(acknowledged_lines, 1000);
  ASSERT_LT(acknowledged_lines, 20000) << "the kill came too late to be mid-stream";

  ASSERT_NO_FATAL_FAILURE(StartServer());
  EXPECT_THAT(ReadFile(server_log_), HasSubstr("rebuilt from RocksDB"));
  const std::set<std::string> ids = ListedIds("busy");
  int missing = 0;
  for (int line = 1; line <= acknowledged_lines; ++line) {
    if (!ids.count(absl::StrCat("b", line - 1))) ++missing;
  }
  EXPECT_EQ(missing, 0) << "acknowledged profiles lost: " << missing << " of " << acknowledged_lines;
  CliResult one = Cli("busy", {"--json", "get", absl::StrCat("b", acknowledged_lines - 1)});
  EXPECT_EQ(one.exit_code, 0) << one.err;

  CliResult after = Cli("stable", {"--json", "match", "--profile=s0", "--top_k=20"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out, before.out);
}

TEST_F(CrashRecoveryTest, SigtermDrainsSavesIndexAndRestartLoadsIt) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  CliResult imported = Cli("t", {"import", WriteProfiles("p.jsonl", "p", 100)});
  ASSERT_EQ(imported.exit_code, 0) << imported.out << imported.err;
  CliResult before = Cli("t", {"--json", "match", "--profile=p1"});
  ASSERT_EQ(before.exit_code, 0) << before.err;

  ASSERT_NO_FATAL_FAILURE(KillServer(SIGTERM));
  EXPECT_EQ(server_exit_code_, 0) << ReadFile(server_log_);
  EXPECT_THAT(ReadFile(server_log_), HasSubstr("stopped cleanly"));

  ASSERT_NO_FATAL_FAILURE(StartServer());
  EXPECT_THAT(ReadFile(server_log_), HasSubstr("index loaded"));
  CliResult after = Cli("t", {"--json", "match", "--profile=p1"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out, before.out);
  EXPECT_EQ(ListedIds("t").size(), 100u);
}

TEST_F(CrashRecoveryTest, RepeatedSignalsDoNotInterruptShutdown) {
  ASSERT_NO_FATAL_FAILURE(StartServer());
  CliResult imported = Cli("t", {"import", WriteProfiles("p.jsonl", "p", 300)});
  ASSERT_EQ(imported.exit_code, 0) << imported.out << imported.err;
  // Ctrl-C in a terminal plus a supervisor's SIGTERM, back to back.
  kill(server_pid_, SIGINT);
  ASSERT_NO_FATAL_FAILURE(KillServer(SIGTERM));
  EXPECT_EQ(server_exit_code_, 0) << ReadFile(server_log_);
  EXPECT_THAT(ReadFile(server_log_), HasSubstr("stopped cleanly"));
  ASSERT_NO_FATAL_FAILURE(StartServer());
  EXPECT_THAT(ReadFile(server_log_), HasSubstr("index loaded"));
}

// A connected TCP socket to 127.0.0.1:`port`, or -1.
int ConnectTo(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Idle clients used to hold SIGTERM back: gRPC's shutdown waited out the
// whole drain (10 s) for a connection that never sent a call, and the HTTP
// server its read timeout for one that never sent a request.
TEST_F(CrashRecoveryTest, SigtermIsPromptWithIdleConnectionsOpen) {
  const int http_port = FreePort();
  ASSERT_NO_FATAL_FAILURE(StartServer({absl::StrCat("--http_listen=127.0.0.1:", http_port)}));
  const int grpc_port = std::stoi(server_address_.substr(server_address_.rfind(':') + 1));
  std::vector<int> idle = {ConnectTo(grpc_port), ConnectTo(http_port), ConnectTo(http_port)};
  // One HTTP connection kept alive after a request.
  const std::string request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
  ASSERT_EQ(write(idle[2], request.data(), request.size()), static_cast<ssize_t>(request.size()));
  char reply[64];
  ASSERT_GT(read(idle[2], reply, sizeof(reply)), 0);
  for (int fd : idle) ASSERT_GE(fd, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  const auto start = std::chrono::steady_clock::now();
  ASSERT_NO_FATAL_FAILURE(KillServer(SIGTERM));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (int fd : idle) close(fd);
  EXPECT_EQ(server_exit_code_, 0) << ReadFile(server_log_);
  EXPECT_THAT(ReadFile(server_log_), HasSubstr("stopped cleanly"));
  // Generous against machine noise; the faults took 4 and 10 s.
  EXPECT_LT(seconds, 3.0);
}

// The drain still waits for a call in flight: an import streaming when
// SIGTERM arrives is finished and acknowledged, and all of it is there after
// the restart.
TEST_F(CrashRecoveryTest, SigtermLetsTheCallInFlightFinish) {
  // A drain long enough for the rest of the import on a slow (sanitizer)
  // build; past it the call would be cancelled, as it should be.
  ASSERT_NO_FATAL_FAILURE(StartServer({"--drain_timeout=120s"}));
  const std::string file = WriteProfiles("p.jsonl", "p", 20000);
  const std::string out = dir_.Sub("import.out"), err = dir_.Sub("import.err");
  // The CLI's own deadline (30 s by default) is lifted for slow builds.
  const pid_t import = Spawn(CliArgs("t", {"import", "--batch_size=20000", "--timeout=600s", file}), out, err);
  // Signalled once the stream's first groups are committed (visible to a
  // listing), long before all 20,000 profiles can be.
  bool streaming = false;
  for (int attempt = 0; attempt < 1000 && !streaming; ++attempt) {
    int early_status = 0;
    ASSERT_EQ(waitpid(import, &early_status, WNOHANG), 0) << "the import ended before the signal";
    streaming = !ListedIds("t").empty();
    if (!streaming) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(streaming);
  ASSERT_NO_FATAL_FAILURE(KillServer(SIGTERM));
  const int import_exit = WaitExit(import);
  EXPECT_EQ(server_exit_code_, 0) << ReadFile(server_log_);
  ASSERT_NO_FATAL_FAILURE(StartServer());
  EXPECT_EQ(import_exit, 0) << ReadFile(err);
  EXPECT_EQ(ListedIds("t").size(), 20000u) << ReadFile(out);
}

}  // namespace
}  // namespace pollinator
