// TenantExport: the records of TransferService.ExportTenant, a batch at a
// time: every profile of the tenant as the Store holds it (what GetProfile
// returns), in id order, a page at a time, and then every interaction in
// sequence order. Interactions are read once, when the profiles are done;
// a profile page is one consistent read, but the export as a whole is not a
// snapshot (see transfer.proto).
//
//   TenantExport export_(catalog, "assoc-1");
//   while (true) {
//     absl::StatusOr<std::vector<v1::TransferRecord>> batch = export_.Next();
//     if (!batch.ok() || batch->empty()) break;
//     ...
//   }
//
// Not thread-safe: one call uses one cursor.
#ifndef POLLINATOR_SERVICES_TRANSFER_TENANT_EXPORT_H_
#define POLLINATOR_SERVICES_TRANSFER_TENANT_EXPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "pollinator/v1/transfer.pb.h"
#include "services/catalog.h"

namespace pollinator {

class TenantExport {
 public:
  // Records per batch: a profile page, or a slice of the interactions.
  static constexpr int kBatchSize = 500;

  // `catalog` must outlive the cursor.
  TenantExport(const Catalog& catalog, std::string tenant) : catalog_(catalog), tenant_(std::move(tenant)) {}

  // The next batch; empty once everything has been returned.
  absl::StatusOr<std::vector<v1::TransferRecord>> Next();

 private:
  enum class Phase { kProfiles, kInteractions, kDone };

  const Catalog& catalog_;
  const std::string tenant_;
  Phase phase_ = Phase::kProfiles;
  std::string page_token_;
  std::vector<v1::Interaction> interactions_;
  size_t next_interaction_ = 0;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_TRANSFER_TENANT_EXPORT_H_
