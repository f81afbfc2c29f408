#include "services/guards/request_rate.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"

namespace pollinator {

TenantRequestRate::TenantRequestRate(double per_second, std::function<absl::Time()> now)
    : per_second_(per_second), now_(now ? std::move(now) : [] { return absl::Now(); }) {}

absl::Status TenantRequestRate::Admit(absl::string_view tenant) {
  if (per_second_ <= 0.0) return absl::OkStatus();
  const absl::Time now = now_();
  // A second's worth, and at least one call.
  const double capacity = std::max(1.0, per_second_);
  absl::MutexLock lock(&mu_);
  if (buckets_.size() >= kMaxBuckets) {
    // Without keys, any name is a tenant: forget those whose buckets have
    // refilled, which is all a bucket would say about them.
    absl::erase_if(buckets_, [&](const auto& entry) {
      return entry.second.tokens + absl::ToDoubleSeconds(now - entry.second.refilled) * per_second_ >= capacity;
    });
  }
  auto [it, created] = buckets_.try_emplace(tenant);
  Bucket& bucket = it->second;
  if (created) {
    bucket.tokens = capacity;
  } else {
    bucket.tokens = std::min(capacity, bucket.tokens + absl::ToDoubleSeconds(now - bucket.refilled) * per_second_);
  }
  bucket.refilled = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return absl::OkStatus();
  }
  const double wait_ms = std::ceil((1.0 - bucket.tokens) / per_second_ * 1000.0);
  return absl::ResourceExhaustedError(absl::StrCat("tenant \"", tenant, "\" is over its limit of ", per_second_,
                                                   " requests per second; retry in ", wait_ms, " ms"));
}

}  // namespace pollinator
