// VectorIndex: nearest-neighbour search by inner product over unit vectors,
// each with a caller-chosen 64-bit id, with search-time filtering.
//
//   absl::StatusOr<std::unique_ptr<FaissVectorIndex>> index = FaissVectorIndex::Create(256);
//   (*index)->Add({7, 8}, vectors);                      // two vectors, 256 floats each
//   SearchOptions options;
//   options.k = 10;
//   options.filter = [&](int64_t id, const VectorFacts&) { return allowed.contains(id); };
//   auto hits = (*index)->Search(query, options);
//
// Each vector may carry VectorFacts, the compact attributes search filters
// read, so that filtering needs no lookup outside the index.
//
// Implementations are thread-safe: searches run concurrently, writes are
// exclusive.
#ifndef POLLINATOR_INDEX_VECTOR_INDEX_H_
#define POLLINATOR_INDEX_VECTOR_INDEX_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "index/atomic_file.h"

namespace pollinator {

struct VectorHit {
  int64_t id = 0;
  // Inner product with the query; cosine similarity for unit vectors.
  float similarity = 0.0f;
};

// What filters know of a vector without a lookup: the codes are the caller's
// (services/tenant_state.h fills them in for profiles' needs and offers).
struct VectorFacts {
  static constexpr int32_t kNeverExpires = std::numeric_limits<int32_t>::max();

  // The caller's dense number for the vector's owner.
  uint32_t owner = 0;
  // The last day the vector matches, as yyyymmdd.
  int32_t last_day = kNeverExpires;
  // The owner's country and kind, the vector's side and component.
  uint16_t country = 0;
  uint8_t kind = 0;
  uint8_t side = 0;
  uint8_t component = 0;
  uint8_t flags = 0;
};

struct SearchOptions {
  // Number of hits wanted; fewer come back only when fewer ids pass the
  // filters.
  int k = 10;
  // Only vectors for which this returns true are considered; empty accepts
  // all. Called from the searching thread, possibly many times per search;
  // it must neither throw nor allocate.
  std::function<bool(int64_t id, const VectorFacts& facts)> filter;
  // Only vectors whose facts carry one of these countries (kinds); empty
  // accepts any. The index applies them itself, from posting lists, so that
  // a selective search reads only the vectors it may return.
  std::vector<uint16_t> countries;
  std::vector<uint8_t> kinds;
  // Only vectors whose facts carry one of these sides; empty accepts any.
  // Applied from posting lists too: a search of one side scans only it.
  std::vector<uint8_t> sides;
};

class VectorIndex {
 public:
  VectorIndex() = default;
  VectorIndex(const VectorIndex&) = delete;
  VectorIndex& operator=(const VectorIndex&) = delete;
  virtual ~VectorIndex() = default;

  virtual int dimension() const = 0;
  virtual int64_t size() const = 0;

  // Adds ids.size() vectors stored back to back in `vectors`, with their
  // facts (facts.size() == ids.size(), or empty for default facts). Ids must
  // not be in the index yet.
  virtual absl::Status Add(absl::Span<const int64_t> ids, absl::Span<const float> vectors,
                           absl::Span<const VectorFacts> facts) = 0;
  absl::Status Add(absl::Span<const int64_t> ids, absl::Span<const float> vectors) { return Add(ids, vectors, {}); }
  // Replaces the facts of vectors in the index; unknown ids are NotFound.
  virtual absl::Status SetFacts(absl::Span<const int64_t> ids, absl::Span<const VectorFacts> facts) = 0;
  // Removes the ids that are present; unknown ids are ignored.
  virtual absl::Status Remove(absl::Span<const int64_t> ids) = 0;

  // Hits in decreasing similarity.
  virtual absl::StatusOr<std::vector<VectorHit>> Search(absl::Span<const float> query,
                                                        const SearchOptions& options) const = 0;
  // Search() of each of the queries stored back to back in `queries`, with
  // the same options: the same hits as one Search() after the other, which
  // an index may find together.
  virtual absl::StatusOr<std::vector<std::vector<VectorHit>>> SearchEach(absl::Span<const float> queries,
                                                                         const SearchOptions& options) const = 0;

  // The stored vector of `id`, or NotFound.
  virtual absl::StatusOr<std::vector<float>> Get(int64_t id) const = 0;
  // The inner products of stored vectors with query vectors, under one lock
  // and with no copy of the stored ones: `queries` holds query vectors of
  // dimension() back to back, and out[i * queries + q] becomes ids[i] ·
  // query q, or NaN when ids[i] is not in the index. `out` must hold
  // ids.size() times the number of queries.
  virtual absl::Status Similarities(absl::Span<const float> queries, absl::Span<const int64_t> ids,
                                    absl::Span<float> out) const = 0;

  // Every id in the index, sorted.
  virtual std::vector<int64_t> Ids() const = 0;

  // Appends the index and `tag` (an opaque version the caller can check on
  // load) to `file` as an index file; facts are not saved (the caller sets
  // them again after loading). Streams from the index itself under its
  // lock, with no copy of it in memory; the caller commits the file.
  virtual absl::Status Write(int64_t tag, AtomicFile& file) const = 0;

  // Write() to `path`, committed: a crash leaves the old file or the new one.
  absl::Status Save(const std::string& path, int64_t tag) const;
};

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_VECTOR_INDEX_H_
