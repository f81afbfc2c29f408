// FaissVectorIndex: VectorIndex backed by FAISS IndexIDMap2 over IndexFlatIP.
//
// Exact search keeps filtered results complete at any filter selectivity and
// supports remove_ids (HNSW in FAISS 1.7.3 does not). Every FAISS call is made
// in faiss_vector_index.cc, which catches FaissException so that none leaves
// the module.
//
//   auto index = FaissVectorIndex::Create(256);
//   auto loaded = FaissVectorIndex::Load("tenant.faiss");  // index and its tag
#ifndef POLLINATOR_INDEX_FAISS_VECTOR_INDEX_H_
#define POLLINATOR_INDEX_FAISS_VECTOR_INDEX_H_

#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "index/vector_index.h"

namespace pollinator {

class FaissVectorIndex final : public VectorIndex {
 public:
  struct Loaded {
    std::unique_ptr<FaissVectorIndex> index;
    int64_t tag = 0;
  };

  // `dimension` in [1, 65536].
  static absl::StatusOr<std::unique_ptr<FaissVectorIndex>> Create(int dimension);
  // Reads a file written by Save(). NotFound if it does not exist, DataLoss if
  // it is truncated or not an index.
  static absl::StatusOr<Loaded> Load(const std::string& path);

  ~FaissVectorIndex() override;

  int dimension() const override;
  int64_t size() const override;
  absl::Status Add(absl::Span<const int64_t> ids, absl::Span<const float> vectors) override;
  absl::Status Remove(absl::Span<const int64_t> ids) override;
  absl::StatusOr<std::vector<VectorHit>> Search(absl::Span<const float> query,
                                                const SearchOptions& options) const override;
  absl::StatusOr<std::vector<float>> Get(int64_t id) const override;
  std::vector<int64_t> Ids() const override;
  absl::StatusOr<std::string> Serialize(int64_t tag) const override;

 private:
  // Holds the faiss::IndexIDMap2, so that FAISS headers stay out of this one.
  struct Faiss;
  explicit FaissVectorIndex(std::unique_ptr<Faiss> faiss);

  mutable absl::Mutex mu_;
  const std::unique_ptr<Faiss> faiss_ ABSL_GUARDED_BY(mu_);
};

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_FAISS_VECTOR_INDEX_H_
