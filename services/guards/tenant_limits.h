// What each tenant may do and store: the request rate, the profiles and the
// bytes. One set of defaults (the --tenant_* flags) and, from a limits file,
// overrides for named tenants, so that a large association can get more
// than a trial accelerator. The file can be re-read while serving.
//
// The file, one tenant per line; `#` starts a comment:
//
//   # tenant        overrides (any of the three; the rest keep the defaults)
//   assoc-north     max_profiles=200000 max_bytes=4000000000
//   trial-cohort    requests_per_second=2 max_profiles=500
//   "two words"     requests_per_second=0
//
// 0 means no limit, as for the flags. A tenant with spaces in its id is
// written in double quotes. A tenant may be named before it exists.
#ifndef POLLINATOR_SERVICES_GUARDS_TENANT_LIMITS_H_
#define POLLINATOR_SERVICES_GUARDS_TENANT_LIMITS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace pollinator {

// 0 in any field: no limit.
struct TenantLimits {
  // Calls per second, in bursts of up to a second's worth.
  double requests_per_second = 0;
  int64_t max_profiles = 0;
  // Profiles and their vectors as stored.
  int64_t max_stored_bytes = 0;

  absl::Status Validate() const;
};

// The fields a limits-file line sets; unset ones fall back to the defaults.
struct TenantLimitOverride {
  std::optional<double> requests_per_second;
  std::optional<int64_t> max_profiles;
  std::optional<int64_t> max_stored_bytes;
};

using TenantLimitOverrides = absl::flat_hash_map<std::string, TenantLimitOverride>;

// The overrides in a limits file's text (format above). Errors name the
// line: unknown keys, values that are not numbers or out of range, a
// tenant named twice, an invalid tenant id.
absl::StatusOr<TenantLimitOverrides> ParseTenantLimits(absl::string_view text);

// Thread-safe.
class TenantLimitTable {
 public:
  explicit TenantLimitTable(TenantLimits defaults = {});

  // `tenant`'s limits: its overrides over the defaults.
  TenantLimits For(absl::string_view tenant) const;
  const TenantLimits& defaults() const { return defaults_; }

  // Replaces every override at once.
  void SetOverrides(TenantLimitOverrides overrides);
  // Reads and parses `path`, then replaces the overrides; on any error the
  // ones in force stay. Returns how many tenants the file names.
  absl::StatusOr<size_t> LoadFile(const std::string& path);

 private:
  const TenantLimits defaults_;
  mutable absl::Mutex mu_;
  TenantLimitOverrides overrides_ ABSL_GUARDED_BY(mu_);
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_GUARDS_TENANT_LIMITS_H_
