// HashingEmbedder: the built-in default embedder. It needs no network and no
// model: word and character n-gram features are hashed into `dimension`
// buckets (with a hash-derived sign, so collisions cancel instead of pile
// up), weighted by sublinear TF times the tenant's IDF, and L2-normalised.
//
//   TermStatistics stats;
//   HashingEmbedderOptions options;  // dimension 256
//   HashingEmbedder embedder(options, &stats);
//   auto vector = embedder.Embed("cathode coating pilot line");
//
// Deterministic: the same text and statistics always give the same vector,
// given the same Version() (which also says whether WordNet was found).
// Thread-safe.
#ifndef POLLINATOR_INDEX_HASHING_EMBEDDER_H_
#define POLLINATOR_INDEX_HASHING_EMBEDDER_H_

#include "absl/status/status.h"
#include "index/embedder.h"
#include "index/term_statistics.h"

namespace pollinator {

struct HashingEmbedderOptions {
  // Vector length; 8 to 4096.
  int dimension = 256;
  // Share of the vector's weight given to character n-grams (the rest goes to
  // words); n-grams let "photovoltaic" meet "photovoltaics". In [0, 1].
  double char_ngram_weight = 0.45;
  // Share given to WordNet concepts (synonyms), so that texts that say the
  // same thing in other words are close. In [0, 1], with char_ngram_weight
  // at most 1.
  double concept_weight = 0.35;

  absl::Status Validate() const;
};

class HashingEmbedder final : public Embedder {
 public:
  // Changes whenever the same text would embed differently (features,
  // weights): vectors of an older version are re-embedded on load.
  static constexpr int kVersion = 1;
  // kVersion, negated when WordNet is unavailable (its synonyms are then
  // missing from every vector): what a tenant records and compares.
  static int Version();

  // `statistics` supplies IDF weights and must outlive the embedder; null
  // means plain TF weighting. Options must be valid.
  HashingEmbedder(const HashingEmbedderOptions& options, const TermStatistics* statistics);

  int dimension() const override { return options_.dimension; }
  absl::StatusOr<std::vector<float>> Embed(absl::string_view text) const override;
  absl::StatusOr<std::vector<float>> EmbedFeatures(const TextFeatures& features) const override;
  TextFeatureOptions feature_options() const override;

 private:
  const HashingEmbedderOptions options_;
  const TermStatistics* const statistics_;
};

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_HASHING_EMBEDDER_H_
