// ThreadSanitizer annotations for Debian's absl::Mutex, CondVar and
// Notification, linked into every binary of a POLLINATOR_TSAN build.
//
// Debian's libabsl_synchronization is not built with -fsanitize=thread, so
// TSan cannot see absl::Mutex lock and unlock: every field guarded by one
// would be reported as a race. This library defines the same public member
// functions. The dynamic linker binds every caller (our code and gRPC's) to
// these definitions first; each one tells TSan what the real function does
// (the __tsan_mutex_* interface) and then calls the real one, found with
// dlsym(RTLD_NEXT). Nothing else changes: the locking itself stays absl's.
//
// Some of these call others inside abseil (CondVar::WaitWithTimeout calls
// WaitWithDeadline, Notification::Notify locks its own mutex); only the
// outermost call on a thread is reported, or the mutex would be released
// twice. ~Mutex is left alone: TSan forgets a mutex when its memory is
// freed, and gRPC frees its own after hand-offs TSan cannot see.
#include <sanitizer/tsan_interface.h>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "tools/tsan/real_function.h"

// TSan's dynamic annotations (libtsan), not declared in a public header.
extern "C" void AnnotateIgnoreReadsBegin(const char* file, int line);
extern "C" void AnnotateIgnoreReadsEnd(const char* file, int line);

namespace {

using pollinator::tsan::Real;

using MutexMethod = void (*)(absl::Mutex*);
using MutexTry = bool (*)(absl::Mutex*);
using MutexWhen = void (*)(absl::Mutex*, const absl::Condition&);
using MutexWhenTimeout = bool (*)(absl::Mutex*, const absl::Condition&, absl::Duration);
using MutexWhenDeadline = bool (*)(absl::Mutex*, const absl::Condition&, absl::Time);
using CondVarWait = void (*)(absl::CondVar*, absl::Mutex*);
using CondVarWaitTimeout = bool (*)(absl::CondVar*, absl::Mutex*, absl::Duration);
using CondVarWaitDeadline = bool (*)(absl::CondVar*, absl::Mutex*, absl::Time);
using NotificationMethod = void (*)(absl::Notification*);
using NotificationWait = void (*)(const absl::Notification*);
using NotificationWaitTimeout = bool (*)(const absl::Notification*, absl::Duration);
using NotificationWaitDeadline = bool (*)(const absl::Notification*, absl::Time);

// How deep this thread is in the functions below.
thread_local int depth = 0;

// Marks one call: `outermost()` says whether it reports to TSan.
class Call {
 public:
  Call() { ++depth; }
  ~Call() { --depth; }
  bool outermost() const { return depth == 1; }
};

// absl evaluates a waiter's condition while the mutex is held, sometimes on
// the unlocking thread. The condition reads guarded fields, so it acquires
// the mutex's happens-before state first. The wrapper itself lives on the
// waiter's stack and reaches the unlocking thread through abseil's own
// queue; it does not change while the waiter waits, so copying it is not
// reported.
struct AcquiringCondition {
  const absl::Condition* condition;
  absl::Mutex* mutex;
};

bool EvalAcquiring(void* arg) {
  AnnotateIgnoreReadsBegin(__FILE__, __LINE__);
  const AcquiringCondition acquiring = *static_cast<const AcquiringCondition*>(arg);
  // The caller's Condition is on the waiter's stack too: copied likewise.
  const absl::Condition condition = *acquiring.condition;
  AnnotateIgnoreReadsEnd(__FILE__, __LINE__);
  __tsan_acquire(acquiring.mutex);
  const bool holds = condition.Eval();
  // And what it read is ordered before the mutex's next holder, as it would
  // be under the lock (which abseil holds here; the annotations may not).
  __tsan_release(acquiring.mutex);
  return holds;
}

absl::Condition Acquiring(AcquiringCondition& acquiring) { return absl::Condition(EvalAcquiring, &acquiring); }

void BeforeLock(absl::Mutex* mu, unsigned flags) { __tsan_mutex_pre_lock(mu, flags); }
void AfterLock(absl::Mutex* mu, unsigned flags) { __tsan_mutex_post_lock(mu, flags, 0); }
void BeforeUnlock(absl::Mutex* mu, unsigned flags) { __tsan_mutex_pre_unlock(mu, flags); }
void AfterUnlock(absl::Mutex* mu, unsigned flags) { __tsan_mutex_post_unlock(mu, flags); }

// Lock(When) and its variants: blocks, returns holding the mutex.
template <typename RealCall>
auto Locking(absl::Mutex* mu, unsigned flags, RealCall real) {
  const Call call;
  if (call.outermost()) BeforeLock(mu, flags);
  auto result = real();
  if (call.outermost()) AfterLock(mu, flags);
  return result;
}

// Await and CondVar::Wait: release the mutex while waiting, hold it again
// on return.
template <typename RealCall>
auto Releasing(absl::Mutex* mu, unsigned flags, RealCall real) {
  const Call call;
  if (call.outermost()) {
    BeforeUnlock(mu, flags);
    AfterUnlock(mu, flags);
  }
  auto result = real();
  if (call.outermost()) {
    BeforeLock(mu, flags);
    AfterLock(mu, flags);
  }
  return result;
}

// Unlock and ReaderUnlock.
template <typename RealCall>
void Unlocking(absl::Mutex* mu, unsigned flags, RealCall real) {
  const Call call;
  if (call.outermost()) BeforeUnlock(mu, flags);
  real();
  if (call.outermost()) AfterUnlock(mu, flags);
}

// TryLock and ReaderTryLock.
template <typename RealCall>
bool TryLocking(absl::Mutex* mu, unsigned flags, RealCall real) {
  const Call call;
  flags |= __tsan_mutex_try_lock;
  if (call.outermost()) __tsan_mutex_pre_lock(mu, flags);
  const bool locked = real();
  if (call.outermost()) __tsan_mutex_post_lock(mu, flags | (locked ? 0 : __tsan_mutex_try_lock_failed), 0);
  return locked;
}

constexpr unsigned kShared = __tsan_mutex_read_lock;

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

void Mutex::Lock() {
  static const auto real = Real<MutexMethod>("_ZN4absl7debian35Mutex4LockEv");
  Locking(this, 0, [&] { return (real(this), 0); });
}

void Mutex::ReaderLock() {
  static const auto real = Real<MutexMethod>("_ZN4absl7debian35Mutex10ReaderLockEv");
  Locking(this, kShared, [&] { return (real(this), 0); });
}

void Mutex::Unlock() {
  static const auto real = Real<MutexMethod>("_ZN4absl7debian35Mutex6UnlockEv");
  Unlocking(this, 0, [&] { real(this); });
}

void Mutex::ReaderUnlock() {
  static const auto real = Real<MutexMethod>("_ZN4absl7debian35Mutex12ReaderUnlockEv");
  Unlocking(this, kShared, [&] { real(this); });
}

bool Mutex::TryLock() {
  static const auto real = Real<MutexTry>("_ZN4absl7debian35Mutex7TryLockEv");
  return TryLocking(this, 0, [&] { return real(this); });
}

bool Mutex::ReaderTryLock() {
  static const auto real = Real<MutexTry>("_ZN4absl7debian35Mutex13ReaderTryLockEv");
  return TryLocking(this, kShared, [&] { return real(this); });
}

void Mutex::LockWhen(const Condition& cond) {
  static const auto real = Real<MutexWhen>("_ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE");
  AcquiringCondition acquiring{&cond, this};
  Locking(this, 0, [&] { return (real(this, Acquiring(acquiring)), 0); });
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  static const auto real = Real<MutexWhen>("_ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE");
  AcquiringCondition acquiring{&cond, this};
  Locking(this, kShared, [&] { return (real(this, Acquiring(acquiring)), 0); });
}

bool Mutex::LockWhenWithTimeout(const Condition& cond, Duration timeout) {
  static const auto real = Real<MutexWhenTimeout>(
      "_ZN4absl7debian35Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  AcquiringCondition acquiring{&cond, this};
  return Locking(this, 0, [&] { return real(this, Acquiring(acquiring), timeout); });
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, Time deadline) {
  static const auto real = Real<MutexWhenDeadline>(
      "_ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  AcquiringCondition acquiring{&cond, this};
  return Locking(this, 0, [&] { return real(this, Acquiring(acquiring), deadline); });
}

bool Mutex::ReaderLockWhenWithTimeout(const Condition& cond, Duration timeout) {
  static const auto real = Real<MutexWhenTimeout>(
      "_ZN4absl7debian35Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  AcquiringCondition acquiring{&cond, this};
  return Locking(this, kShared,
                 [&] { return real(this, Acquiring(acquiring), timeout); });
}

bool Mutex::ReaderLockWhenWithDeadline(const Condition& cond, Time deadline) {
  static const auto real = Real<MutexWhenDeadline>(
      "_ZN4absl7debian35Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  AcquiringCondition acquiring{&cond, this};
  return Locking(this, kShared,
                 [&] { return real(this, Acquiring(acquiring), deadline); });
}

// Await is called holding the mutex exclusively (absl requires it for the
// writer form; reader holders use the same entry point, which TSan cannot
// tell apart, so exclusive is assumed as in our code).
void Mutex::Await(const Condition& cond) {
  static const auto real = Real<MutexWhen>("_ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE");
  AcquiringCondition acquiring{&cond, this};
  Releasing(this, 0, [&] { return (real(this, Acquiring(acquiring)), 0); });
}

bool Mutex::AwaitWithTimeout(const Condition& cond, Duration timeout) {
  static const auto real = Real<MutexWhenTimeout>(
      "_ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  AcquiringCondition acquiring{&cond, this};
  return Releasing(this, 0, [&] { return real(this, Acquiring(acquiring), timeout); });
}

bool Mutex::AwaitWithDeadline(const Condition& cond, Time deadline) {
  static const auto real = Real<MutexWhenDeadline>(
      "_ZN4absl7debian35Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  AcquiringCondition acquiring{&cond, this};
  return Releasing(this, 0, [&] { return real(this, Acquiring(acquiring), deadline); });
}

void CondVar::Wait(Mutex* mu) {
  static const auto real = Real<CondVarWait>("_ZN4absl7debian37CondVar4WaitEPNS0_5MutexE");
  Releasing(mu, 0, [&] { return (real(this, mu), 0); });
}

bool CondVar::WaitWithTimeout(Mutex* mu, Duration timeout) {
  static const auto real = Real<CondVarWaitTimeout>(
      "_ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  return Releasing(mu, 0, [&] { return real(this, mu, timeout); });
}

bool CondVar::WaitWithDeadline(Mutex* mu, Time deadline) {
  static const auto real = Real<CondVarWaitDeadline>(
      "_ZN4absl7debian37CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  return Releasing(mu, 0, [&] { return real(this, mu, deadline); });
}

// Notify publishes everything written before it to whoever sees the
// notification.
void Notification::Notify() {
  static const auto real = Real<NotificationMethod>("_ZN4absl7debian312Notification6NotifyEv");
  const Call call;
  if (call.outermost()) __tsan_release(this);
  real(this);
}

void Notification::WaitForNotification() const {
  static const auto real =
      Real<NotificationWait>("_ZNK4absl7debian312Notification19WaitForNotificationEv");
  const Call call;
  real(this);
  if (call.outermost()) __tsan_acquire(const_cast<Notification*>(this));
}

bool Notification::WaitForNotificationWithTimeout(Duration timeout) const {
  static const auto real = Real<NotificationWaitTimeout>(
      "_ZNK4absl7debian312Notification30WaitForNotificationWithTimeoutENS0_8DurationE");
  const Call call;
  const bool notified = real(this, timeout);
  if (notified && call.outermost()) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

bool Notification::WaitForNotificationWithDeadline(Time deadline) const {
  static const auto real = Real<NotificationWaitDeadline>(
      "_ZNK4absl7debian312Notification31WaitForNotificationWithDeadlineENS0_4TimeE");
  const Call call;
  const bool notified = real(this, deadline);
  if (notified && call.outermost()) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

ABSL_NAMESPACE_END
}  // namespace absl
