// Checks tools/tsan/absl_sync_annotations.cc in the POLLINATOR_TSAN build:
// `guarded` touches a counter from two threads under absl::Mutex (Lock,
// ReaderLock, LockWhen, Await, Notification) and must run without a report;
// `racy` also writes it once without the lock, which TSan must report
// (exit code 66). Without the annotations, `guarded` is reported; without
// TSan, `racy` is not.
#include <cstdio>
#include <cstring>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace {

absl::Mutex mu;
int counter = 0;  // guarded by mu, except in the racy mode
int published = 0;  // written before Notify, read after the wait

bool Positive(int* value) { return *value > 0; }

}  // namespace

int main(int argc, char** argv) {
  const bool racy = argc > 1 && std::strcmp(argv[1], "racy") == 0;
  absl::Notification done;
  std::thread writer([&] {
    {
      absl::MutexLock lock(&mu);
      ++counter;
    }
    published = 7;
    done.Notify();
    if (racy) counter = 100;
  });
  mu.LockWhen(absl::Condition(Positive, &counter));
  int seen = counter;
  mu.Unlock();
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(Positive, &counter));
    seen += counter;
  }
  {
    absl::ReaderMutexLock lock(&mu);
    seen += counter;
  }
  done.WaitForNotification();
  seen += published;
  if (racy) seen += counter;
  writer.join();
  std::printf("seen %d\n", seen);
  return 0;
}
