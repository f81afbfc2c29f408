// ProfileExport: the records of TransferService.ExportProfile, a batch at a
// time, for a data subject's access request: the profile as stored with
// every vector filled in, then every interaction it sent or received, in
// sequence order, a page at a time.
//
//   ProfileExport export_(catalog, "assoc-1", "smb-42");
//   absl::StatusOr<std::vector<v1::TransferRecord>> batch = export_.Next();
//
// Not thread-safe: one call uses one cursor.
#ifndef POLLINATOR_SERVICES_TRANSFER_PROFILE_EXPORT_H_
#define POLLINATOR_SERVICES_TRANSFER_PROFILE_EXPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "pollinator/v1/transfer.pb.h"
#include "services/catalog.h"

namespace pollinator {

// `stored.profile` with the values of `stored.vectors` put back in its
// needs, offers and description.
v1::Profile WithStoredVectors(StoredProfile stored);

class ProfileExport {
 public:
  // Interactions per batch (Catalog::ListInteractions' largest page).
  static constexpr int kBatchSize = 1000;

  // `catalog` must outlive the cursor.
  ProfileExport(const Catalog& catalog, std::string tenant, std::string id)
      : catalog_(catalog), tenant_(std::move(tenant)), id_(std::move(id)) {}

  // The next batch; empty once everything has been returned. NotFound on
  // the first call when the profile neither exists nor has interactions.
  absl::StatusOr<std::vector<v1::TransferRecord>> Next();

 private:
  const Catalog& catalog_;
  const std::string tenant_;
  const std::string id_;
  bool started_ = false;
  bool done_ = false;
  std::string page_token_;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_TRANSFER_PROFILE_EXPORT_H_
