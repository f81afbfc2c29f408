#include "services/guards/request_rate.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"

namespace pollinator {

namespace {

// A second's worth, and at least one call.
double Capacity(double per_second) { return std::max(1.0, per_second); }

}  // namespace

TenantRequestRate::TenantRequestRate(std::shared_ptr<const TenantLimitTable> limits, std::function<absl::Time()> now)
    : limits_(std::move(limits)), now_(now ? std::move(now) : [] { return absl::Now(); }) {}

absl::Status TenantRequestRate::Admit(absl::string_view tenant) {
  if (limits_ == nullptr) return absl::OkStatus();
  const double per_second = limits_->For(tenant).requests_per_second;
  if (per_second <= 0.0) return absl::OkStatus();
  const absl::Time now = now_();
  const double capacity = Capacity(per_second);
  absl::MutexLock lock(&mu_);
  if (buckets_.size() >= kMaxBuckets) {
    // Without keys, any name is a tenant: forget those whose buckets have
    // refilled, which is all a bucket would say about them.
    absl::erase_if(buckets_, [&](const auto& entry) {
      const double rate = limits_->For(entry.first).requests_per_second;
      return rate <= 0.0 ||
             entry.second.tokens + absl::ToDoubleSeconds(now - entry.second.refilled) * rate >= Capacity(rate);
    });
  }
  auto [it, created] = buckets_.try_emplace(tenant);
  Bucket& bucket = it->second;
  if (created) {
    bucket.tokens = capacity;
  } else {
    bucket.tokens = std::min(capacity, bucket.tokens + absl::ToDoubleSeconds(now - bucket.refilled) * per_second);
  }
  bucket.refilled = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return absl::OkStatus();
  }
  const double wait_ms = std::ceil((1.0 - bucket.tokens) / per_second * 1000.0);
  return absl::ResourceExhaustedError(absl::StrCat("tenant \"", tenant, "\" is over its limit of ", per_second,
                                                   " requests per second; retry in ", wait_ms, " ms"));
}

}  // namespace pollinator
