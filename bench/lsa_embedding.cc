#include "bench/lsa_embedding.h"

#include <exception>

#include <faiss/Index.h>
#include <faiss/VectorTransform.h>

#include "absl/strings/str_cat.h"
#include "index/vector_math.h"

namespace pollinator {

absl::StatusOr<std::unique_ptr<LsaEmbedding>> LsaEmbedding::Train(const std::vector<std::string>& texts,
                                                                   int hashed_dimension, int dimension) {
  if (texts.empty()) return absl::InvalidArgumentError("LSA: no texts to train on");
  std::unique_ptr<LsaEmbedding> lsa(new LsaEmbedding());
  for (const std::string& text : texts) lsa->statistics_.AddDocument(text);
  HashingEmbedderOptions options;
  options.dimension = hashed_dimension;
  lsa->hashing_ = std::make_unique<HashingEmbedder>(options, &lsa->statistics_);
  std::vector<float> matrix;
  matrix.reserve(texts.size() * hashed_dimension);
  for (const std::string& text : texts) {
    absl::StatusOr<std::vector<float>> vector = lsa->hashing_->Embed(text);
    if (!vector.ok()) return vector.status();
    matrix.insert(matrix.end(), vector->begin(), vector->end());
  }
  try {
    lsa->pca_ = std::make_unique<faiss::PCAMatrix>(hashed_dimension, dimension);
    lsa->pca_->train(static_cast<faiss::Index::idx_t>(texts.size()), matrix.data());
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("LSA: PCA training failed: ", e.what()));
  }
  return lsa;
}

LsaEmbedding::~LsaEmbedding() = default;

std::vector<float> LsaEmbedding::Embed(absl::string_view text) const {
  std::vector<float> hashed = *hashing_->Embed(text);
  std::vector<float> out(pca_->d_out);
  pca_->apply_noalloc(1, hashed.data(), out.data());
  NormalizeInPlace(out);
  return out;
}

}  // namespace pollinator
