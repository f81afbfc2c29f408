#include "services/sample_loader.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "data/profile_jsonl.h"

namespace pollinator {

absl::StatusOr<SeedReport> SeedTenantIfEmpty(Catalog& catalog, const std::string& tenant, const std::string& path) {
  SeedReport report;
  absl::StatusOr<ProfilePage> existing = catalog.List(tenant, 1, "");
  if (!existing.ok()) return existing.status();
  if (!existing->profiles.empty()) return report;

  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat("samples file ", path, ": cannot open"));
  report.seeded = true;
  JsonlProfileReader reader(&file);
  JsonlLine line;
  while (reader.Next(&line)) {
    absl::Status status = line.profile.status();
    if (status.ok()) status = catalog.Upsert(tenant, *line.profile).status();
    if (status.ok()) {
      ++report.upserted;
    } else {
      report.errors.push_back(absl::StrCat("line ", line.number, ": ", status.ToString()));
    }
  }
  if (!reader.status().ok()) return reader.status();
  return report;
}

}  // namespace pollinator
