#include "index/lexical_match.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
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
  for (const std::string& text : texts) out.Add(ExtractFeatures(text, options));
  return out;
}

void TermCounts::Add(const TextFeatures& features) {
  std::vector<std::pair<uint64_t, int32_t>> added(features.words.begin(), features.words.end());
  for (const auto& [feature, tf] : features.words) length_ += tf;
  // Concepts are looked up, never scored by BM25: they add no length.
  added.insert(added.end(), features.concepts.begin(), features.concepts.end());
  if (added.empty()) return;
  std::sort(added.begin(), added.end());
  // One merge of the sorted old and new entries; equal hashes add up.
  std::vector<uint64_t> hashes;
  std::vector<int32_t> counts;
  hashes.reserve(hashes_.size() + added.size());
  counts.reserve(hashes_.size() + added.size());
  size_t old = 0;
  for (const auto& [hash, count] : added) {
    for (; old < hashes_.size() && hashes_[old] < hash; ++old) {
      hashes.push_back(hashes_[old]);
      counts.push_back(counts_[old]);
    }
    if (!hashes.empty() && hashes.back() == hash) {
      counts.back() += count;
    } else {
      const bool present = old < hashes_.size() && hashes_[old] == hash;
      hashes.push_back(hash);
      counts.push_back(present ? counts_[old++] + count : count);
    }
  }
  hashes.insert(hashes.end(), hashes_.begin() + static_cast<std::ptrdiff_t>(old), hashes_.end());
  counts.insert(counts.end(), counts_.begin() + static_cast<std::ptrdiff_t>(old), counts_.end());
  hashes.shrink_to_fit();
  counts.shrink_to_fit();
  hashes_ = std::move(hashes);
  counts_ = std::move(counts);
}

bool TermCounts::Contains(uint64_t hash) const { return std::binary_search(hashes_.begin(), hashes_.end(), hash); }

int32_t TermCounts::Count(uint64_t hash) const {
  auto it = std::lower_bound(hashes_.begin(), hashes_.end(), hash);
  return it != hashes_.end() && *it == hash ? counts_[static_cast<size_t>(it - hashes_.begin())] : 0;
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
  for (size_t k = 0; k < coverage_words_.size(); ++k) {
    const Term& word = terms_[coverage_words_[k]];
    probes_.push_back({word.hash, static_cast<uint32_t>(k), /*synonym=*/false});
    for (uint64_t concept_hash : word.concepts) probes_.push_back({concept_hash, static_cast<uint32_t>(k), true});
  }
  for (size_t k = 0; k < coverage_pairs_.size(); ++k) {
    probes_.push_back({terms_[coverage_pairs_[k]].hash, static_cast<uint32_t>(coverage_words_.size() + k), false});
  }
  std::sort(probes_.begin(), probes_.end(), [](const Probe& a, const Probe& b) { return a.hash < b.hash; });
}

double Bm25Query::Coverage(const TermCounts& document) const {
  if (coverage_word_weight_ <= 0.0 || document.empty()) return 0.0;
  // Per judged word: 2 when found itself, 1 when only through a synonym;
  // per judged pair: 2 when found.
  absl::InlinedVector<uint8_t, 64> found(coverage_words_.size() + coverage_pairs_.size(), 0);
  const absl::Span<const uint64_t> hashes = document.hashes();
  size_t at = 0;
  for (const Probe& probe : probes_) {
    while (at < hashes.size() && hashes[at] < probe.hash) ++at;
    if (at == hashes.size()) break;
    if (hashes[at] == probe.hash) found[probe.slot] = std::max<uint8_t>(found[probe.slot], probe.synonym ? 1 : 2);
  }
  double words = 0.0;
  for (size_t k = 0; k < coverage_words_.size(); ++k) {
    const double presence = found[k] == 2 ? 1.0 : found[k] == 1 ? kSynonymCredit : 0.0;
    words += terms_[coverage_words_[k]].weight * presence;
  }
  words /= coverage_word_weight_;
  if (coverage_pair_weight_ <= 0.0) return words;
  double pairs = 0.0;
  for (size_t k = 0; k < coverage_pairs_.size(); ++k) {
    if (found[coverage_words_.size() + k] != 0) pairs += terms_[coverage_pairs_[k]].weight;
  }
  return (1.0 - kPairShare) * words + kPairShare * pairs / coverage_pair_weight_;
}

double Bm25Query::Score(const TermCounts& document, double average_length) const {
  if (document.length() == 0) return 0.0;
  const double length_ratio = average_length > 0 ? static_cast<double>(document.length()) / average_length : 1.0;
  const double norm = parameters_.k1 * (1.0 - parameters_.b + parameters_.b * length_ratio);
  double score = 0.0;
  for (const Term& term : terms_) {
    const int32_t count = document.Count(term.hash);
    if (count == 0) continue;
    const double tf = count;
    // Repeated query words count once per repeat, as in a long query text.
    score += term.count * term.idf * tf * (parameters_.k1 + 1.0) / (tf + norm);
  }
  return score;
}

std::vector<std::string> Bm25Query::SharedRareWords(const TermCounts& document, size_t limit) const {
  std::vector<const Term*> shared;
  for (const Term& term : terms_) {
    if (term.bigram || !term.rare || term.text.size() < kMinShownWordLength || IsNumber(term.text)) continue;
    if (document.Contains(term.hash)) shared.push_back(&term);
  }
  std::stable_sort(shared.begin(), shared.end(), [](const Term* a, const Term* b) { return a->idf > b->idf; });
  std::vector<std::string> words;
  for (size_t i = 0; i < shared.size() && i < limit; ++i) words.push_back(shared[i]->text);
  return words;
}

}  // namespace pollinator
