#include "index/hashing_embedder.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "index/concepts.h"
#include "index/vector_math.h"

namespace pollinator {
namespace {

// Adds the TF-IDF weighted features into `out` and L2-normalises that block.
void AddFeatureBlock(const absl::flat_hash_map<uint64_t, int>& counts,
                     const TermStatistics* statistics, std::vector<float>& out) {
  const int dimension = static_cast<int>(out.size());
  // Summed in feature order, not the map's (which varies with its address),
  // so that one text always gets the very same vector.
  std::vector<std::pair<uint64_t, double>> weights;
  weights.reserve(counts.size());
  const auto collect = [&](uint64_t feature, int tf, double idf) {
    weights.emplace_back(feature, (1.0 + std::log(static_cast<double>(tf))) * idf);
  };
  if (statistics == nullptr) {
    for (const auto& [feature, tf] : counts) collect(feature, tf, 1.0);
  } else {
    statistics->ForEachIdf(counts, collect);
  }
  std::sort(weights.begin(), weights.end());
  for (const auto& [feature, weight] : weights) {
    const int bucket = static_cast<int>(feature % static_cast<uint64_t>(dimension));
    // An independent bit of the hash picks the sign.
    const double sign = ((feature >> 63) & 1) ? -1.0 : 1.0;
    out[bucket] += static_cast<float>(sign * weight);
  }
  NormalizeInPlace(out);
}

}  // namespace

absl::Status HashingEmbedderOptions::Validate() const {
  if (dimension < 8 || dimension > 4096) {
    return absl::InvalidArgumentError(
        absl::StrCat("embedder dimension: ", dimension, " is outside [8, 4096]"));
  }
  if (!(char_ngram_weight >= 0.0 && char_ngram_weight <= 1.0)) {
    return absl::InvalidArgumentError("embedder char_ngram_weight: outside [0, 1]");
  }
  if (!(concept_weight >= 0.0 && concept_weight <= 1.0 - char_ngram_weight)) {
    return absl::InvalidArgumentError("embedder concept_weight: outside [0, 1 - char_ngram_weight]");
  }
  return absl::OkStatus();
}

int HashingEmbedder::Version() { return ConceptsAvailable() ? kVersion : -kVersion; }

HashingEmbedder::HashingEmbedder(const HashingEmbedderOptions& options,
                                 const TermStatistics* statistics)
    : options_(options), statistics_(statistics) {}

TextFeatureOptions HashingEmbedder::feature_options() const {
  return statistics_ == nullptr ? TextFeatureOptions{} : statistics_->feature_options();
}

absl::StatusOr<std::vector<float>> HashingEmbedder::Embed(absl::string_view text) const {
  return EmbedFeatures(ExtractFeatures(text, feature_options()));
}

absl::StatusOr<std::vector<float>> HashingEmbedder::EmbedFeatures(const TextFeatures& features) const {
  std::vector<float> words(options_.dimension, 0.0f);
  std::vector<float> ngrams(options_.dimension, 0.0f);
  std::vector<float> concepts(options_.dimension, 0.0f);
  AddFeatureBlock(features.words, statistics_, words);
  AddFeatureBlock(features.char_ngrams, statistics_, ngrams);
  AddFeatureBlock(features.concepts, statistics_, concepts);

  const float char_weight = static_cast<float>(options_.char_ngram_weight);
  const float concept_weight = static_cast<float>(options_.concept_weight);
  std::vector<float> vector(options_.dimension);
  for (int i = 0; i < options_.dimension; ++i) {
    vector[i] = (1.0f - char_weight - concept_weight) * words[i] + char_weight * ngrams[i] +
                concept_weight * concepts[i];
  }
  NormalizeInPlace(vector);
  return vector;
}

}  // namespace pollinator
