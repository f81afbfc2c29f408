#include "services/calls/call_workers.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace pollinator {
namespace {

absl::Mutex shared_mu(absl::kConstInit);
CallWorkers::Options shared_options ABSL_GUARDED_BY(shared_mu);
bool shared_started ABSL_GUARDED_BY(shared_mu) = false;

}  // namespace

absl::Status CallWorkers::Configure(const Options& options) {
  if (options.threads < 0 || options.max_queued < 0) {
    return absl::InvalidArgumentError(absl::StrCat("call workers: threads (", options.threads, ") and queue (",
                                                   options.max_queued, ") must not be negative"));
  }
  absl::MutexLock lock(&shared_mu);
  if (shared_started) return absl::FailedPreconditionError("call workers: already started; configure them first");
  shared_options = options;
  return absl::OkStatus();
}

CallWorkers& CallWorkers::Shared() {
  static CallWorkers* const shared = [] {
    absl::MutexLock lock(&shared_mu);
    shared_started = true;
    // Never destroyed: a worker may still be finishing a call of a server
    // that outlives main's locals; the process's exit ends the threads.
    return new CallWorkers(shared_options);
  }();
  return *shared;
}

CallWorkers::CallWorkers(const Options& options) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int threads = options.threads > 0 ? options.threads : std::max(4, 2 * cores);
  max_queued_ = options.max_queued > 0 ? options.max_queued : 64 * threads;
  threads_.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
}

CallWorkers::~CallWorkers() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& thread : threads_) thread.join();
}

bool CallWorkers::Submit(absl::AnyInvocable<void() &&> work) {
  absl::MutexLock lock(&mu_);
  if (static_cast<int>(queue_.size()) >= max_queued_) {
    ++refused_;
    return false;
  }
  queue_.push_back(std::move(work));
  return true;
}

CallWorkers::Load CallWorkers::load() const {
  absl::MutexLock lock(&mu_);
  return Load{static_cast<int>(threads_.size()), busy_, static_cast<int>(queue_.size()), refused_};
}

void CallWorkers::Work() {
  absl::MutexLock lock(&mu_);
  const auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_ || !queue_.empty(); };
  while (true) {
    mu_.Await(absl::Condition(&ready));
    if (queue_.empty()) return;  // stopping, and nothing left to run
    absl::AnyInvocable<void() &&> work = std::move(queue_.front());
    queue_.pop_front();
    ++busy_;
    mu_.Unlock();
    std::move(work)();
    mu_.Lock();
    --busy_;
  }
}

}  // namespace pollinator
