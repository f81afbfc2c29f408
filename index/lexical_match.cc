#include "index/lexical_match.h"

#include <algorithm>
#include <cmath>

namespace pollinator {
namespace {

// Words found in more documents than this share (and more than
// kAlwaysRareCount) are too common to be named as a reason.
constexpr double kMaxExplainingShare = 0.1;
// In a small tenant every word is in a large share of the documents; a word
// in this few of them is rare regardless.
constexpr int64_t kAlwaysRareCount = 3;

}  // namespace

TermCounts CountTerms(absl::Span<const std::string> texts, const TextFeatureOptions& options) {
  TermCounts out;
  for (const std::string& text : texts) AddTerms(ExtractFeatures(text, options), out);
  return out;
}

void AddTerms(const TextFeatures& features, TermCounts& counts) {
  for (const auto& [feature, tf] : features.words) {
    counts.counts[feature] += tf;
    counts.length += tf;
  }
}

Bm25Query::Bm25Query(absl::string_view text, const TermStatistics& statistics, Bm25Parameters parameters)
    : parameters_(parameters) {
  absl::flat_hash_map<uint64_t, size_t> position;
  for (WordFeature& feature : ExtractWordFeatures(text, statistics.feature_options())) {
    auto [it, inserted] = position.try_emplace(feature.hash, terms_.size());
    if (inserted) terms_.push_back({std::move(feature.text), feature.hash, feature.bigram});
    ++terms_[it->second].count;
  }
  const double n = static_cast<double>(statistics.document_count());
  for (Term& term : terms_) {
    const double df = static_cast<double>(statistics.DocumentFrequency(term.hash));
    // The BM25 (Robertson-Sparck Jones) IDF, kept positive as in Lucene.
    term.idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    term.rare = df <= kAlwaysRareCount || df <= kMaxExplainingShare * n;
  }
}

double Bm25Query::Score(const TermCounts& document, double average_length) const {
  if (document.length == 0) return 0.0;
  const double length_ratio = average_length > 0 ? static_cast<double>(document.length) / average_length : 1.0;
  const double norm = parameters_.k1 * (1.0 - parameters_.b + parameters_.b * length_ratio);
  double score = 0.0;
  for (const Term& term : terms_) {
    auto it = document.counts.find(term.hash);
    if (it == document.counts.end()) continue;
    const double tf = it->second;
    // Repeated query words count once per repeat, as in a long query text.
    score += term.count * term.idf * tf * (parameters_.k1 + 1.0) / (tf + norm);
  }
  return score;
}

std::vector<std::string> Bm25Query::SharedRareWords(const TermCounts& document, size_t limit) const {
  std::vector<const Term*> shared;
  for (const Term& term : terms_) {
    if (term.bigram || !term.rare) continue;
    if (document.counts.contains(term.hash)) shared.push_back(&term);
  }
  std::stable_sort(shared.begin(), shared.end(), [](const Term* a, const Term* b) { return a->idf > b->idf; });
  std::vector<std::string> words;
  for (size_t i = 0; i < shared.size() && i < limit; ++i) words.push_back(shared[i]->text);
  return words;
}

}  // namespace pollinator
