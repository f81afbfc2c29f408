// Seeds a tenant from a JSON Lines file of profiles (the bundled sample
// ecosystem) when the tenant holds no profiles yet, so that a first start
// has something to match and a restart does not re-import.
#ifndef POLLINATOR_SERVICES_SAMPLE_LOADER_H_
#define POLLINATOR_SERVICES_SAMPLE_LOADER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/catalog.h"

namespace pollinator {

struct SeedReport {
  // False when the tenant already had profiles and nothing was read.
  bool seeded = false;
  int64_t upserted = 0;
  // "line N: message" for every line that failed.
  std::vector<std::string> errors;
};

// Fails only when the file cannot be read or the tenant cannot be listed;
// bad lines are reported in SeedReport::errors.
absl::StatusOr<SeedReport> SeedTenantIfEmpty(Catalog& catalog, const std::string& tenant, const std::string& path);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_SAMPLE_LOADER_H_
