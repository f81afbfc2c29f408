// The real pollinatord as a child process of the scale benchmark: started on
// a loopback port with its own data folder, measured from /proc, stopped
// with a signal.
//
//   ServerProcess server(POLLINATORD_PATH, data_dir, log_dir);
//   absl::Status started = server.Start();        // returns once it listens
//   int64_t rss = server.ResidentBytes();
//   absl::StatusOr<double> seconds = server.Stop(SIGTERM);
#ifndef POLLINATOR_BENCH_SCALE_SERVER_PROCESS_H_
#define POLLINATOR_BENCH_SCALE_SERVER_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"

namespace pollinator {

class ServerProcess {
 public:
  ServerProcess(std::string binary, std::string data_dir, std::string log_dir);
  // Kills a server that is still running.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts pollinatord (--auth=none, a free loopback port) and returns once
  // its port accepts connections, or an error with the log's tail after
  // `wait` or if it exits.
  absl::Status Start(absl::Duration wait = absl::Seconds(120));
  // Sends `signal_number` and waits for the exit; returns the seconds that
  // took. An error if the exit code is not the expected one (0 after
  // SIGTERM, killed after SIGKILL).
  absl::StatusOr<double> Stop(int signal_number);

  // A fresh channel of its own (not shared with other channels' connection).
  std::shared_ptr<grpc::Channel> NewChannel() const;
  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }
  // VmRSS and VmHWM from /proc/PID/status; 0 if unreadable.
  int64_t ResidentBytes() const;
  int64_t PeakResidentBytes() const;
  // User plus system CPU seconds the server has used so far.
  double CpuSeconds() const;
  // The current run's stderr.
  std::string Log() const;
  // One unlabelled sample of the server's /metrics (on its HTTP port, also
  // loopback), e.g. "pollinator_store_memtable_bytes"; -1 if it cannot be
  // read.
  double MetricValue(const std::string& name) const;

 private:
  int64_t StatusField(const char* field) const;

  const std::string binary_;
  const std::string data_dir_;
  const std::string log_dir_;
  std::string address_;
  int http_port_ = 0;
  std::string log_path_;
  pid_t pid_ = -1;
  int starts_ = 0;
};

}  // namespace pollinator

#endif  // POLLINATOR_BENCH_SCALE_SERVER_PROCESS_H_
