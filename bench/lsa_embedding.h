// LsaEmbedding: latent semantic analysis for the quality benchmark's
// embedder experiment. Texts are embedded as hashed TF-IDF vectors (the
// service's HashingEmbedder at a high dimension, with IDF from the corpus),
// then projected onto the corpus's principal components with FAISS's
// PCAMatrix, so that words which co-occur across the corpus end up close.
// The benchmark sends the result as client vectors.
//
//   absl::StatusOr<std::unique_ptr<LsaEmbedding>> lsa = LsaEmbedding::Train(texts, 2048, 256);
//   std::vector<float> v = (*lsa)->Embed("battery cathode pilot line");
#ifndef POLLINATOR_BENCH_LSA_EMBEDDING_H_
#define POLLINATOR_BENCH_LSA_EMBEDDING_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "index/hashing_embedder.h"
#include "index/term_statistics.h"

namespace faiss {
struct PCAMatrix;
}

namespace pollinator {

class LsaEmbedding {
 public:
  // Trains on `texts` (the corpus documents). `hashed_dimension` is the
  // TF-IDF space, `dimension` the output.
  static absl::StatusOr<std::unique_ptr<LsaEmbedding>> Train(const std::vector<std::string>& texts,
                                                             int hashed_dimension, int dimension);
  ~LsaEmbedding();

  // L2-normalised.
  std::vector<float> Embed(absl::string_view text) const;

 private:
  LsaEmbedding() = default;

  TermStatistics statistics_;
  std::unique_ptr<HashingEmbedder> hashing_;
  std::unique_ptr<faiss::PCAMatrix> pca_;
};

}  // namespace pollinator

#endif  // POLLINATOR_BENCH_LSA_EMBEDDING_H_
