// FaissVectorIndex: VectorIndex over flat float storage with a FAISS HNSW
// graph on top once the index is large, and a planner that picks, per
// search, between an exact scan and the graph.
//
// - Small indexes (below graph_min_vectors) are scanned exactly, with the
//   SIMD kernels of simd_kernels.h (Debian's FAISS computes at scalar speed).
// - Large ones get a faiss::HNSW graph, built through a FAISS
//   DistanceComputer that calls the same kernels, and searched by our own
//   loop over it (FAISS 1.7.3's search ignores a per-call search list). A
//   write only appends; a linker thread links new vectors into the graph in
//   short chunks, and searches scan the not yet linked ones exactly. A
//   search whose filters let through few vectors scans them exactly,
//   gathered from the country, kind and side posting lists when those
//   constrain it; otherwise it searches the graph with the filter inside and
//   a search list widened by the filter's selectivity, estimated from a
//   sample. A graph search that comes back short is searched again with a
//   longer list, then redone exactly, so filtered results stay complete.
// - HNSW cannot delete, so Remove leaves tombstones. Once they reach
//   compact_share of the slots the index is compacted: at once while it has
//   no graph (a copy), otherwise on a background thread that rebuilds the
//   graph from a copy of the live vectors and then, briefly under the write
//   lock, adds what was written meanwhile and swaps the result in. Searches
//   and writes go on during the rebuild.
//
// Every FAISS call is made in faiss_vector_index.cc, which catches
// FaissException so that none leaves the module.
//
//   auto index = FaissVectorIndex::Create(256);
//   auto loaded = FaissVectorIndex::Load("tenant.faiss");  // index and its tag
#ifndef POLLINATOR_INDEX_FAISS_VECTOR_INDEX_H_
#define POLLINATOR_INDEX_FAISS_VECTOR_INDEX_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "index/vector_index.h"

namespace pollinator {

struct FaissVectorIndexOptions {
  // Live vectors from which the index keeps an HNSW graph; below, every
  // search is exact.
  int64_t graph_min_vectors = 32768;
  // HNSW links per node (2M on the base level) and build-time search list.
  int hnsw_m = 16;
  int ef_construction = 64;
  // Smallest graph search list; widened for larger k and selective filters.
  int ef_search = 64;
  // Filters that pass a smaller share of the vectors are scanned exactly.
  double min_graph_selectivity = 0.05;
  // Share of tombstoned slots that triggers a compaction.
  double compact_share = 0.25;

  absl::Status Validate() const;
};

// What the index holds and how it has searched; for tests and benchmarks.
struct VectorIndexStats {
  int64_t slots = 0;
  int64_t live = 0;
  int64_t tombstones = 0;
  // Slots the HNSW graph covers (0: no graph).
  int64_t graph_vectors = 0;
  int64_t exact_searches = 0;
  // Searches that went to the graph. One that comes back short is searched
  // again with a longer list (graph_retries) until the exact scan would be
  // cheaper; then it is redone exactly (graph_fallbacks).
  int64_t graph_searches = 0;
  int64_t graph_retries = 0;
  int64_t graph_fallbacks = 0;
  int64_t compactions = 0;
};

class FaissVectorIndex final : public VectorIndex {
 public:
  struct Loaded {
    std::unique_ptr<FaissVectorIndex> index;
    int64_t tag = 0;
  };

  // `dimension` in [1, 65536].
  static absl::StatusOr<std::unique_ptr<FaissVectorIndex>> Create(int dimension,
                                                                  const FaissVectorIndexOptions& options = {});
  // Reads a file written by Save() (or Write() and a commit), graph included
  // (nothing is rebuilt).
  // NotFound if it does not exist, DataLoss if it is truncated or not an
  // index. Every vector has default facts until SetFacts().
  static absl::StatusOr<Loaded> Load(const std::string& path, const FaissVectorIndexOptions& options = {});

  // Waits for a running compaction to stop.
  ~FaissVectorIndex() override;

  int dimension() const override;
  int64_t size() const override;
  using VectorIndex::Add;
  absl::Status Add(absl::Span<const int64_t> ids, absl::Span<const float> vectors,
                   absl::Span<const VectorFacts> facts) override;
  absl::Status SetFacts(absl::Span<const int64_t> ids, absl::Span<const VectorFacts> facts) override;
  absl::Status Remove(absl::Span<const int64_t> ids) override;
  absl::StatusOr<std::vector<VectorHit>> Search(absl::Span<const float> query,
                                                const SearchOptions& options) const override;
  // When the planner scans exactly (the choice depends on the options, not
  // the query), one pass over the candidates scores every query: each row
  // is read from memory once for all of them.
  absl::StatusOr<std::vector<std::vector<VectorHit>>> SearchEach(absl::Span<const float> queries,
                                                                 const SearchOptions& options) const override;
  absl::StatusOr<std::vector<float>> Get(int64_t id) const override;
  absl::Status Similarities(absl::Span<const float> queries, absl::Span<const int64_t> ids,
                            absl::Span<float> out) const override;
  std::vector<int64_t> Ids() const override;
  absl::Status Write(int64_t tag, AtomicFile& file) const override;

  VectorIndexStats Stats() const;
  // Blocks until no compaction is running and every slot is linked into the
  // graph (tests and benchmarks).
  void WaitUntilIdle() const;

  // Slot-ordered vectors, their ids, facts, tombstones, posting lists and
  // graph; defined in the .cc so that FAISS headers stay out of this one.
  struct Storage;

 private:
  FaissVectorIndex(int dimension, const FaissVectorIndexOptions& options, std::unique_ptr<Storage> storage);

  // The linker thread: links written slots into the graph, a chunk at a
  // time under the write lock, so that a write only appends.
  void RunLinker();
  bool LinkerHasWorkLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool IdleLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Compacts at once (no graph) or starts the background rebuild, when the
  // tombstones call for it.
  void MaybeCompactLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RunBackgroundCompaction();
  // The exact scan of `slots` (all of them when null) for `count` queries
  // stored back to back: the hits of each.
  std::vector<std::vector<VectorHit>> ExactSearch(const float* queries, size_t count, int k,
                                                  const SearchOptions& options,
                                                  const std::vector<const std::vector<uint32_t>*>* slots) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Search() under the lock; `k` already bounded by the live vectors.
  std::vector<VectorHit> SearchLocked(const float* query, int k, const SearchOptions& options) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const int dimension_;
  const FaissVectorIndexOptions options_;
  mutable absl::Mutex mu_;
  std::unique_ptr<Storage> storage_ ABSL_GUARDED_BY(mu_);
  // Id -> slot of every live vector.
  absl::flat_hash_map<int64_t, uint32_t> slot_of_ ABSL_GUARDED_BY(mu_);
  bool compacting_ ABSL_GUARDED_BY(mu_) = false;
  std::thread compactor_;
  std::thread linker_;
  std::atomic<bool> stopping_{false};
  mutable std::atomic<int64_t> exact_searches_{0};
  mutable std::atomic<int64_t> graph_searches_{0};
  mutable std::atomic<int64_t> graph_retries_{0};
  mutable std::atomic<int64_t> graph_fallbacks_{0};
  std::atomic<int64_t> compactions_{0};
};

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_FAISS_VECTOR_INDEX_H_
