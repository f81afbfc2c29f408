// Per-tenant request rate: a token bucket per tenant, refilled at the
// tenant's rate (TenantLimitTable) and holding at most one second's worth,
// so that one portal's burst cannot take the server from the others.
//
// Thread-safe.
#ifndef POLLINATOR_SERVICES_GUARDS_REQUEST_RATE_H_
#define POLLINATOR_SERVICES_GUARDS_REQUEST_RATE_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/guards/tenant_limits.h"

namespace pollinator {

class TenantRequestRate {
 public:
  // Rates come from `limits`; null, or a rate of 0, admits everything.
  // `now` null means absl::Now().
  explicit TenantRequestRate(std::shared_ptr<const TenantLimitTable> limits,
                             std::function<absl::Time()> now = nullptr);

  // OK, or ResourceExhausted saying the rate and when to retry.
  absl::Status Admit(absl::string_view tenant);

 private:
  struct Bucket {
    double tokens = 0.0;
    absl::Time refilled;
  };

  static constexpr size_t kMaxBuckets = 10000;

  const std::shared_ptr<const TenantLimitTable> limits_;
  const std::function<absl::Time()> now_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_GUARDS_REQUEST_RATE_H_
