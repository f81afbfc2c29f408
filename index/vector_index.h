// VectorIndex: nearest-neighbour search by inner product over unit vectors,
// each with a caller-chosen 64-bit id, with search-time filtering.
//
//   absl::StatusOr<std::unique_ptr<FaissVectorIndex>> index = FaissVectorIndex::Create(256);
//   (*index)->Add({7, 8}, vectors);                      // two vectors, 256 floats each
//   SearchOptions options;
//   options.k = 10;
//   options.filter = [&](int64_t id) { return allowed.contains(id); };
//   auto hits = (*index)->Search(query, options);
//
// Implementations are thread-safe: searches run concurrently, writes are
// exclusive.
#ifndef POLLINATOR_INDEX_VECTOR_INDEX_H_
#define POLLINATOR_INDEX_VECTOR_INDEX_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace pollinator {

struct VectorHit {
  int64_t id = 0;
  // Inner product with the query; cosine similarity for unit vectors.
  float similarity = 0.0f;
};

struct SearchOptions {
  // Number of hits wanted; fewer come back only when fewer ids pass the filter.
  int k = 10;
  // Only ids for which this returns true are considered; empty accepts all.
  // Called from the searching thread, possibly many times per search.
  std::function<bool(int64_t)> filter;
};

class VectorIndex {
 public:
  VectorIndex() = default;
  VectorIndex(const VectorIndex&) = delete;
  VectorIndex& operator=(const VectorIndex&) = delete;
  virtual ~VectorIndex() = default;

  virtual int dimension() const = 0;
  virtual int64_t size() const = 0;

  // Adds ids.size() vectors stored back to back in `vectors`. Ids must not be
  // in the index yet.
  virtual absl::Status Add(absl::Span<const int64_t> ids, absl::Span<const float> vectors) = 0;
  // Removes the ids that are present; unknown ids are ignored.
  virtual absl::Status Remove(absl::Span<const int64_t> ids) = 0;

  // Hits in decreasing similarity.
  virtual absl::StatusOr<std::vector<VectorHit>> Search(absl::Span<const float> query,
                                                        const SearchOptions& options) const = 0;

  // The stored vector of `id`, or NotFound.
  virtual absl::StatusOr<std::vector<float>> Get(int64_t id) const = 0;

  // Every id in the index, sorted.
  virtual std::vector<int64_t> Ids() const = 0;

  // The index and `tag` (an opaque version the caller can check on load) as
  // the bytes of an index file. Holds the index's lock only while copying.
  virtual absl::StatusOr<std::string> Serialize(int64_t tag) const = 0;

  // Serialize() written to `path` atomically: a crash leaves the old file or
  // the new one.
  absl::Status Save(const std::string& path, int64_t tag) const;
};

// Writes `bytes` to `path` through a synced temporary file and a rename, so
// that readers see the old file or the new one, never a torn one.
absl::Status WriteFileAtomically(const std::string& path, absl::string_view bytes);

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_VECTOR_INDEX_H_
