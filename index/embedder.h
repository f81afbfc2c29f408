// Embedder: turns a need, offer or description text into a vector.
//
// Matching compares vectors by inner product, so every implementation returns
// unit-length vectors of a fixed dimension.
//
//   std::unique_ptr<Embedder> embedder = ...;
//   absl::StatusOr<std::vector<float>> v = embedder->Embed("LiDAR test bench");
//
// Implementations are thread-safe for concurrent Embed() calls.
#ifndef POLLINATOR_INDEX_EMBEDDER_H_
#define POLLINATOR_INDEX_EMBEDDER_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "index/text_features.h"

namespace pollinator {

class Embedder {
 public:
  Embedder() = default;
  Embedder(const Embedder&) = delete;
  Embedder& operator=(const Embedder&) = delete;
  virtual ~Embedder() = default;

  // Length of every vector Embed() returns.
  virtual int dimension() const = 0;

  // Returns a unit-length vector, or the zero vector for a text without any
  // features (punctuation only). Fails only on invalid input.
  virtual absl::StatusOr<std::vector<float>> Embed(absl::string_view text) const = 0;
  // The same for a text whose features, extracted with feature_options(),
  // the caller already has: a write tokenises each text once, for the
  // vector and for the tenant's term statistics.
  virtual absl::StatusOr<std::vector<float>> EmbedFeatures(const TextFeatures& features) const = 0;
  virtual TextFeatureOptions feature_options() const = 0;
};

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_EMBEDDER_H_
