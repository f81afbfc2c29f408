#include "bench/scale/server_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include <httplib.h>

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "tests/testing/processes.h"

namespace pollinator {
namespace {

std::string Tail(const std::string& text, size_t bytes) {
  return text.size() <= bytes ? text : text.substr(text.size() - bytes);
}

// The exit code as WaitExit reports it, or -1 while the child runs.
int ExitCodeIfExited(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

ServerProcess::ServerProcess(std::string binary, std::string data_dir, std::string log_dir)
    : binary_(std::move(binary)), data_dir_(std::move(data_dir)), log_dir_(std::move(log_dir)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    WaitExit(pid_);
  }
}

absl::Status ServerProcess::Start(absl::Duration wait) {
  if (pid_ > 0) return absl::FailedPreconditionError("the server is already running");
  address_ = absl::StrCat("127.0.0.1:", FreePort());
  http_port_ = FreePort();
  log_path_ = absl::StrCat(log_dir_, "/server", ++starts_, ".log");
  pid_ = Spawn({binary_, "--auth=none", "--listen=" + address_, absl::StrCat("--http_listen=127.0.0.1:", http_port_),
                "--data_dir=" + data_dir_},
               absl::StrCat(log_dir_, "/server", starts_, ".out"), log_path_);
  const auto give_up = std::chrono::system_clock::now() + absl::ToChronoSeconds(wait);
  std::shared_ptr<grpc::Channel> channel = NewChannel();
  while (std::chrono::system_clock::now() < give_up) {
    if (channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::milliseconds(20))) {
      return absl::OkStatus();
    }
    if (const int code = ExitCodeIfExited(pid_); code >= 0) {
      pid_ = -1;
      return absl::InternalError(absl::StrCat("pollinatord exited with ", code, " on start:\n", Tail(Log(), 2000)));
    }
  }
  return absl::DeadlineExceededError(absl::StrCat("pollinatord did not listen within ", absl::FormatDuration(wait), ":\n", Tail(Log(), 2000)));
}

absl::StatusOr<double> ServerProcess::Stop(int signal_number) {
  if (pid_ <= 0) return absl::FailedPreconditionError("the server is not running");
  const auto start = std::chrono::steady_clock::now();
  kill(pid_, signal_number);
  const int code = WaitExit(pid_);
  pid_ = -1;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int expected = signal_number == SIGTERM ? 0 : 128 + signal_number;
  if (code != expected) {
    return absl::InternalError(
        absl::StrCat("pollinatord exited with ", code, ", not ", expected, ":\n", Tail(Log(), 2000)));
  }
  return seconds;
}

std::shared_ptr<grpc::Channel> ServerProcess::NewChannel() const {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  arguments.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(), arguments);
}

int64_t ServerProcess::StatusField(const char* field) const {
  std::ifstream status(absl::StrCat("/proc/", pid_, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (!absl::StartsWith(line, field)) continue;
    // "VmRSS:\t   1234 kB": the padding before the number shrinks as it grows,
    // and at eight digits only the tab is left, so split on both.
    std::vector<std::string> parts = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    int64_t kib = 0;
    if (parts.size() >= 2 && absl::SimpleAtoi(parts[1], &kib)) return kib * 1024;
  }
  return 0;
}

int64_t ServerProcess::ResidentBytes() const { return StatusField("VmRSS:"); }
int64_t ServerProcess::PeakResidentBytes() const { return StatusField("VmHWM:"); }

double ServerProcess::CpuSeconds() const {
  std::ifstream stat(absl::StrCat("/proc/", pid_, "/stat"));
  std::stringstream buffer;
  buffer << stat.rdbuf();
  const std::string text = buffer.str();
  // Fields after the parenthesised command name; utime and stime are the
  // 14th and 15th fields of the line, the 12th and 13th after it.
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return 0.0;
  std::vector<std::string> fields = absl::StrSplit(text.substr(close + 2), ' ');
  int64_t utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &utime) || !absl::SimpleAtoi(fields[12], &stime)) return 0.0;
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string ServerProcess::Log() const { return ReadFile(log_path_); }

double ServerProcess::MetricValue(const std::string& name) const {
  httplib::Client http("127.0.0.1", http_port_);
  http.set_read_timeout(5);
  httplib::Result scraped = http.Get("/metrics");
  if (!scraped || scraped->status != 200) return -1;
  const std::string prefix = name + " ";
  for (absl::string_view line : absl::StrSplit(scraped->body, '\n')) {
    double value = 0;
    if (absl::ConsumePrefix(&line, prefix) && absl::SimpleAtod(line, &value)) return value;
  }
  return -1;
}

}  // namespace pollinator
