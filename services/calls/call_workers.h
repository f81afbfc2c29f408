// CallWorkers: the threads that run unary calls' work, off gRPC's own.
//
// gRPC 1.51 runs callback handlers on a fixed few threads of its own (half
// the cores, at least two). A handler that waits (a write's fdatasync, a
// tenant lock held by a long search, a backup) leaves that thread's core
// idle, and a server can never use more cores than gRPC has threads. So
// RunUnary() (services/grpc_status.h) hands each call's work to this pool,
// sized to the machine, and returns gRPC's thread at once; the worker
// finishes the call. The queue is bounded: past it a call is refused with
// RESOURCE_EXHAUSTED at once instead of waiting behind thousands of others,
// and a call whose client gave up while it waited is not run at all.
//
//   CallWorkers::Configure({.threads = 8});            // once, before any call
//   CallWorkers::Shared().Submit([&] { ...; reactor->Finish(status); });
//
// One pool serves every server in the process, as they share its cores.
#ifndef POLLINATOR_SERVICES_CALLS_CALL_WORKERS_H_
#define POLLINATOR_SERVICES_CALLS_CALL_WORKERS_H_

#include <cstdint>
#include <deque>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace pollinator {

class CallWorkers {
 public:
  struct Options {
    // Worker threads; 0: two per core and at least 4, so that calls waiting
    // on a disk sync or a lock do not leave cores idle.
    int threads = 0;
    // Calls that may wait for a worker; 0: 64 per worker thread.
    int max_queued = 0;
  };
  struct Load {
    int threads = 0;
    int busy = 0;
    int queued = 0;
    // Calls refused because the queue was full, since the start.
    int64_t refused = 0;
  };

  // Sets the shared pool's options; InvalidArgument for negative values,
  // FailedPrecondition once the pool has started (at the first Shared()).
  static absl::Status Configure(const Options& options);
  // The process's pool, started on first use.
  static CallWorkers& Shared();

  explicit CallWorkers(const Options& options);
  // Runs what is queued, then joins the threads.
  ~CallWorkers();
  CallWorkers(const CallWorkers&) = delete;
  CallWorkers& operator=(const CallWorkers&) = delete;

  // Queues `work` for a worker; false (and `work` is dropped unrun) when
  // the queue is full.
  bool Submit(absl::AnyInvocable<void() &&> work);
  Load load() const;
  int max_queued() const { return max_queued_; }

 private:
  void Work();

  int max_queued_ = 0;
  mutable absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> queue_ ABSL_GUARDED_BY(mu_);
  int busy_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t refused_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_CALLS_CALL_WORKERS_H_
