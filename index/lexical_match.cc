#include "index/lexical_match.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"

namespace pollinator {
namespace {

// Words found in more documents than this share (and more than
// kAlwaysRareCount) are too common to be named as a reason.
constexpr double kMaxExplainingShare = 0.1;
// In a small tenant every word is in a large share of the documents; a word
// in this few of them is rare regardless.
constexpr int64_t kAlwaysRareCount = 3;
// Coverage judges a query by this many of its most specific words: enough
// for a need of two sentences, few enough that a long text is not diluted.
constexpr size_t kCoverageWords = 24;
// What a word found only through a synonym counts for in coverage.
constexpr double kSynonymCredit = 0.5;
// Share of coverage given to the query's word pairs.
constexpr double kPairShare = 0.2;
// Shown shared words are content words: not numbers or short fragments.
constexpr size_t kMinShownWordLength = 3;

bool IsNumber(absl::string_view word) {
  return std::all_of(word.begin(), word.end(), [](char c) { return absl::ascii_isdigit(c); });
}

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
  // Concepts are looked up, never scored by BM25: they add no length.
  for (const auto& [feature, tf] : features.concepts) counts.counts[feature] += tf;
}

Bm25Query::Bm25Query(absl::string_view text, const TermStatistics& statistics, Bm25Parameters parameters)
    : parameters_(parameters) {
  absl::flat_hash_map<uint64_t, size_t> position;
  for (WordFeature& feature : ExtractWordFeatures(text, statistics.feature_options())) {
    auto [it, inserted] = position.try_emplace(feature.hash, terms_.size());
    if (inserted) {
      Term term;
      term.text = std::move(feature.text);
      term.hash = feature.hash;
      term.bigram = feature.bigram;
      term.concepts = std::move(feature.concepts);
      term.weight = feature.specificity;
      terms_.push_back(std::move(term));
    }
    ++terms_[it->second].count;
  }
  const double n = static_cast<double>(statistics.document_count());
  for (Term& term : terms_) {
    const double df = static_cast<double>(statistics.DocumentFrequency(term.hash));
    // The BM25 (Robertson-Sparck Jones) IDF, kept positive as in Lucene.
    term.idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    term.rare = df <= kAlwaysRareCount || df <= kMaxExplainingShare * n;
    term.weight *= term.idf;
  }

  // The most specific words, and the pairs made only of them.
  // Numbers ("38", "2024") name no capability: they are matched by BM25
  // but do not count towards coverage.
  for (size_t i = 0; i < terms_.size(); ++i) {
    if (!terms_[i].bigram && !IsNumber(terms_[i].text)) coverage_words_.push_back(i);
  }
  std::stable_sort(coverage_words_.begin(), coverage_words_.end(),
                   [this](size_t a, size_t b) { return terms_[a].weight > terms_[b].weight; });
  if (coverage_words_.size() > kCoverageWords) coverage_words_.resize(kCoverageWords);
  absl::flat_hash_set<absl::string_view> chosen;
  for (size_t i : coverage_words_) {
    chosen.insert(terms_[i].text);
    coverage_word_weight_ += terms_[i].weight;
  }
  for (size_t i = 0; i < terms_.size(); ++i) {
    if (!terms_[i].bigram) continue;
    const absl::string_view pair = terms_[i].text;
    const size_t space = pair.find(' ');
    if (chosen.contains(pair.substr(0, space)) && chosen.contains(pair.substr(space + 1))) {
      coverage_pairs_.push_back(i);
      coverage_pair_weight_ += terms_[i].weight;
    }
  }
}

double Bm25Query::Presence(const Term& term, const TermCounts& document) {
  if (document.counts.contains(term.hash)) return 1.0;
  for (uint64_t concept_hash : term.concepts) {
    if (document.counts.contains(concept_hash)) return kSynonymCredit;
  }
  return 0.0;
}

double Bm25Query::Coverage(const TermCounts& document) const {
  if (coverage_word_weight_ <= 0.0 || document.counts.empty()) return 0.0;
  double words = 0.0;
  for (size_t i : coverage_words_) words += terms_[i].weight * Presence(terms_[i], document);
  words /= coverage_word_weight_;
  if (coverage_pair_weight_ <= 0.0) return words;
  double pairs = 0.0;
  for (size_t i : coverage_pairs_) {
    if (document.counts.contains(terms_[i].hash)) pairs += terms_[i].weight;
  }
  return (1.0 - kPairShare) * words + kPairShare * pairs / coverage_pair_weight_;
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
    if (term.bigram || !term.rare || term.text.size() < kMinShownWordLength || IsNumber(term.text)) continue;
    if (document.counts.contains(term.hash)) shared.push_back(&term);
  }
  std::stable_sort(shared.begin(), shared.end(), [](const Term* a, const Term* b) { return a->idf > b->idf; });
  std::vector<std::string> words;
  for (size_t i = 0; i < shared.size() && i < limit; ++i) words.push_back(shared[i]->text);
  return words;
}

}  // namespace pollinator
