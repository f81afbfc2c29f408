#include "index/feature_ids.h"

namespace pollinator {

void FeatureIds::Assign(absl::Span<const uint64_t> hashes, std::vector<uint32_t>& out) {
  absl::MutexLock lock(&mu_);
  for (uint64_t hash : hashes) {
    // A tenant's vocabulary stays far below the four billion ids (their map
    // alone would take 64 GB), so the next id never reaches kNoFeatureId.
    out.push_back(ids_.try_emplace(hash, static_cast<uint32_t>(ids_.size())).first->second);
  }
}

void FeatureIds::Find(absl::Span<const uint64_t> hashes, absl::Span<uint32_t> out) const {
  absl::ReaderMutexLock lock(&mu_);
  for (size_t i = 0; i < hashes.size() && i < out.size(); ++i) {
    auto it = ids_.find(hashes[i]);
    out[i] = it == ids_.end() ? kNoFeatureId : it->second;
  }
}

uint32_t FeatureIds::Find(uint64_t hash) const {
  uint32_t id = kNoFeatureId;
  Find(absl::MakeConstSpan(&hash, 1), absl::MakeSpan(&id, 1));
  return id;
}

size_t FeatureIds::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return ids_.size();
}

}  // namespace pollinator
