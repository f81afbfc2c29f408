// Fuzzes the default embedder (index/hashing_embedder.h) with arbitrary
// text, invalid UTF-8 included, as needs, offers and descriptions reach it.
//
// Input: the first byte picks the options (bits 0-2 the dimension, bits 3-4
// the weights, bit 5 IDF statistics or none, bit 6 the text counted as a
// document of those statistics first); the rest is the text.
//
// Invariants: Embed succeeds with a vector of the dimension, finite, of
// length 1 or 0; it is deterministic and equal to EmbedFeatures() of the
// text's features; and counting the text as a document and removing it
// again leaves the statistics, and so the vector, as they were, bit for bit
// (see CheckSame).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "fuzz/fuzz_check.h"
#include "index/hashing_embedder.h"
#include "index/term_statistics.h"
#include "index/text_features.h"

namespace pollinator {
namespace {

// The longest text validation lets through (kMaxTextBytes).
constexpr size_t kMaxText = 16 * 1024;
constexpr int kDimensions[] = {8, 13, 64, 256, 384, 1024, 3072, 4096};
constexpr double kWeights[][2] = {{0.45, 0.35}, {0.0, 0.0}, {1.0, 0.0}, {0.0, 1.0}};

// A tenant's worth of documents, so that IDF weights vary.
TermStatistics& Statistics() {
  static TermStatistics* statistics = [] {
    auto* made = new TermStatistics();
    for (absl::string_view text : {
             "We need access to an electrode coating and cell assembly pilot line with a dry room.",
             "Growth financing of roughly EUR 4-6 million for a semi-automated cell manufacturing line.",
             "Femtosecond laser test bench to qualify anti-reflection coatings (ISO 21254).",
             "Two optical engineers who know tolerance analysis in Zemax OpticStudio.",
             "Small-series aspheric lenses from 5 to 80 mm, coatings for 355 to 1064 nm.",
             "Detect early corrosion under insulation on pipe racks, from drones or fixed sensors.",
             "Müller Präzisionstechnik: Fräsen, Drehen und Schleifen für den Maschinenbau.",
         }) {
      made->AddDocument(text);
    }
    return made;
  }();
  return *statistics;
}

void CheckVector(const absl::StatusOr<std::vector<float>>& vector, int dimension) {
  POLLINATOR_FUZZ_CHECK(vector.ok(), vector.status().ToString());
  POLLINATOR_FUZZ_CHECK(static_cast<int>(vector->size()) == dimension,
                        absl::StrCat(vector->size(), " values, dimension ", dimension));
  double squared = 0.0;
  for (size_t i = 0; i < vector->size(); ++i) {
    POLLINATOR_FUZZ_CHECK(std::isfinite((*vector)[i]), absl::StrCat("value ", i, " is ", (*vector)[i]));
    squared += static_cast<double>((*vector)[i]) * (*vector)[i];
  }
  // Unit length, or the zero vector of a text without features.
  POLLINATOR_FUZZ_CHECK(squared == 0.0 || std::fabs(std::sqrt(squared) - 1.0) < 1e-3,
                        absl::StrCat("length ", std::sqrt(squared)));
}

// The largest difference between two vectors of one dimension.
double MaxDifference(const std::vector<float>& a, const std::vector<float>& b) {
  double largest = 0.0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    largest = std::max(largest, std::fabs(static_cast<double>(a[i]) - b[i]));
  }
  return largest;
}

// Whether two results are the same vector, bit for bit, as
// hashing_embedder.h promises (this target found sums that followed a
// hash map's order and rounded differently from call to call; fixed).
void CheckSame(const absl::StatusOr<std::vector<float>>& a, const absl::StatusOr<std::vector<float>>& b,
               absl::string_view what) {
  POLLINATOR_FUZZ_CHECK(a.ok() && b.ok() && a->size() == b->size(), what);
  const double difference = MaxDifference(*a, *b);
  POLLINATOR_FUZZ_CHECK(*a == *b,
                        absl::StrCat(what, ": values differ by up to ", difference));
}

}  // namespace
}  // namespace pollinator

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pollinator;
  if (size < 1 || size > kMaxText + 1) return 0;
  const uint8_t choice = data[0];
  const absl::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  HashingEmbedderOptions options;
  options.dimension = kDimensions[choice & 7];
  options.char_ngram_weight = kWeights[(choice >> 3) & 3][0];
  options.concept_weight = kWeights[(choice >> 3) & 3][1];
  POLLINATOR_FUZZ_CHECK(options.Validate().ok());
  TermStatistics* statistics = (choice & 0x20) ? &Statistics() : nullptr;
  const HashingEmbedder embedder(options, statistics);

  const absl::StatusOr<std::vector<float>> vector = embedder.Embed(text);
  CheckVector(vector, options.dimension);
  CheckSame(embedder.Embed(text), vector, "Embed is not deterministic");
  const absl::StatusOr<std::vector<float>> from_features =
      embedder.EmbedFeatures(ExtractFeatures(text, embedder.feature_options()));
  CheckSame(from_features, vector, "EmbedFeatures differs from Embed");

  if (statistics != nullptr && (choice & 0x40)) {
    const int64_t documents = statistics->document_count();
    statistics->AddDocument(text);
    CheckVector(embedder.Embed(text), options.dimension);
    statistics->RemoveDocument(text);
    POLLINATOR_FUZZ_CHECK(statistics->document_count() == documents);
    CheckSame(embedder.Embed(text), vector, "adding and removing the text changed its vector");
  }
  return 0;
}
