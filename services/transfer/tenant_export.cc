#include "services/transfer/tenant_export.h"

#include <algorithm>
#include <utility>

namespace pollinator {

absl::StatusOr<std::vector<v1::TransferRecord>> TenantExport::Next() {
  std::vector<v1::TransferRecord> batch;
  if (phase_ == Phase::kProfiles) {
    absl::StatusOr<ProfilePage> page = catalog_.List(tenant_, kBatchSize, page_token_);
    if (!page.ok()) return page.status();
    for (v1::Profile& profile : page->profiles) *batch.emplace_back().mutable_profile() = std::move(profile);
    page_token_ = page->next_page_token;
    if (!page_token_.empty()) return batch;
    absl::StatusOr<std::vector<v1::Interaction>> interactions = catalog_.AllInteractions(tenant_);
    if (!interactions.ok()) return interactions.status();
    interactions_ = std::move(*interactions);
    phase_ = Phase::kInteractions;
    // The last profile page may be empty; a batch is empty only at the end.
    if (!batch.empty()) return batch;
  }
  if (phase_ == Phase::kInteractions) {
    const size_t end = std::min(interactions_.size(), next_interaction_ + kBatchSize);
    for (; next_interaction_ < end; ++next_interaction_) {
      *batch.emplace_back().mutable_interaction() = std::move(interactions_[next_interaction_]);
    }
    if (next_interaction_ == interactions_.size()) {
      phase_ = Phase::kDone;
      interactions_.clear();
    }
  }
  return batch;
}

}  // namespace pollinator
