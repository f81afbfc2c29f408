// FeatureIds: dense 32-bit ids for the 64-bit feature hashes of one tenant's
// texts. A text's terms are kept as sorted ids (see TermSet): 4 bytes a
// feature instead of an 8-byte hash, and a catalogue keeps hundreds of
// features per need, offer and description.
//
//   FeatureIds ids;
//   std::vector<uint32_t> out;
//   ids.Assign(hashes, out);                 // new hashes get new ids
//   uint32_t id = ids.Find(hash);            // kNoFeatureId if never assigned
//
// Ids are never reused or forgotten while the object lives, so that every
// TermSet built against it stays valid; the dictionary grows with the
// tenant's vocabulary, not with its number of texts.
//
// Thread-safe.
#ifndef POLLINATOR_INDEX_FEATURE_IDS_H_
#define POLLINATOR_INDEX_FEATURE_IDS_H_

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"

namespace pollinator {

inline constexpr uint32_t kNoFeatureId = std::numeric_limits<uint32_t>::max();

class FeatureIds {
 public:
  FeatureIds() = default;
  FeatureIds(const FeatureIds&) = delete;
  FeatureIds& operator=(const FeatureIds&) = delete;

  // Appends the id of each of `hashes` to `out`, assigning the next free id
  // to hashes not seen before; under one lock.
  void Assign(absl::Span<const uint64_t> hashes, std::vector<uint32_t>& out);
  // out[i] is the id of hashes[i], or kNoFeatureId; under one lock.
  void Find(absl::Span<const uint64_t> hashes, absl::Span<uint32_t> out) const;
  uint32_t Find(uint64_t hash) const;

  size_t size() const;

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<uint64_t, uint32_t> ids_ ABSL_GUARDED_BY(mu_);
};

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_FEATURE_IDS_H_
