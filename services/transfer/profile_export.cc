#include "services/transfer/profile_export.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace pollinator {

v1::Profile WithStoredVectors(StoredProfile stored) {
  v1::Profile& profile = stored.profile;
  absl::flat_hash_map<std::string, google::protobuf::RepeatedField<float>*> by_item[2];
  for (v1::Need& need : *profile.mutable_needs()) by_item[0][need.id()] = need.mutable_vector();
  for (v1::Offer& offer : *profile.mutable_offers()) by_item[1][offer.id()] = offer.mutable_vector();
  for (v1::VectorRecord& vector : *stored.vectors.mutable_vectors()) {
    google::protobuf::RepeatedField<float>* target = nullptr;
    if (vector.side() == v1::ITEM_SIDE_DESCRIPTION) {
      target = profile.mutable_description_vector();
    } else if (vector.side() == v1::ITEM_SIDE_NEED || vector.side() == v1::ITEM_SIDE_OFFER) {
      auto& items = by_item[vector.side() == v1::ITEM_SIDE_NEED ? 0 : 1];
      if (auto it = items.find(vector.item_id()); it != items.end()) target = it->second;
    }
    if (target != nullptr) *target = std::move(*vector.mutable_values());
  }
  return std::move(profile);
}

absl::StatusOr<std::vector<v1::TransferRecord>> ProfileExport::Next() {
  std::vector<v1::TransferRecord> batch;
  if (done_) return batch;
  if (!started_) {
    started_ = true;
    absl::StatusOr<StoredProfile> stored = catalog_.GetStored(tenant_, id_);
    if (stored.ok()) {
      *batch.emplace_back().mutable_profile() = WithStoredVectors(*std::move(stored));
    } else if (!absl::IsNotFound(stored.status())) {
      return stored.status();
    }
  }
  absl::StatusOr<InteractionPage> page = catalog_.ListInteractions(tenant_, id_, kBatchSize, page_token_);
  if (absl::IsNotFound(page.status())) {
    // Only on the first page: neither a profile nor any history.
    return absl::NotFoundError(absl::StrCat("id: profile \"", id_, "\" not found in tenant \"", tenant_,
                                            "\" and has no recorded interactions"));
  }
  if (!page.ok()) return page.status();
  for (v1::Interaction& interaction : page->interactions) *batch.emplace_back().mutable_interaction() = std::move(interaction);
  page_token_ = std::move(page->next_page_token);
  done_ = page_token_.empty();
  return batch;
}

}  // namespace pollinator
