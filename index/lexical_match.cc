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

TermSet TermsOf(absl::Span<const std::string> texts, const TextFeatureOptions& options, FeatureIds& ids) {
  TermSet out;
  for (const std::string& text : texts) out.Add(ExtractFeatures(text, options), ids);
  return out;
}

void TermSet::Add(const TextFeatures& features, FeatureIds& ids) {
  std::vector<uint64_t> hashes;
  hashes.reserve(features.words.size() + features.concepts.size());
  for (const auto& [hash, tf] : features.words) hashes.push_back(hash);
  for (const auto& [hash, tf] : features.concepts) hashes.push_back(hash);
  if (hashes.empty()) return;
  std::vector<uint32_t> added;
  added.reserve(ids_.size() + hashes.size());
  added.assign(ids_.begin(), ids_.end());
  ids.Assign(hashes, added);
  std::sort(added.begin(), added.end());
  added.erase(std::unique(added.begin(), added.end()), added.end());
  added.shrink_to_fit();
  ids_ = std::move(added);
}

bool TermSet::Contains(uint32_t id) const { return std::binary_search(ids_.begin(), ids_.end(), id); }

Bm25Query::Bm25Query(absl::string_view text, const TermStatistics& statistics, const FeatureIds& ids) {
  absl::flat_hash_set<uint64_t> seen;
  for (WordFeature& feature : ExtractWordFeatures(text, statistics.feature_options())) {
    if (!seen.insert(feature.hash).second) continue;
    Term term;
    term.text = std::move(feature.text);
    term.hash = feature.hash;
    term.bigram = feature.bigram;
    term.concepts = std::move(feature.concepts);
    term.weight = feature.specificity;
    terms_.push_back(std::move(term));
  }
  std::vector<uint64_t> term_hashes;
  term_hashes.reserve(terms_.size());
  for (const Term& term : terms_) term_hashes.push_back(term.hash);
  std::vector<uint32_t> term_ids(terms_.size());
  ids.Find(term_hashes, absl::MakeSpan(term_ids));
  for (size_t i = 0; i < terms_.size(); ++i) terms_[i].id = term_ids[i];
  const double n = static_cast<double>(statistics.document_count());
  for (Term& term : terms_) {
    const double df = static_cast<double>(statistics.DocumentFrequency(term.hash));
    // The BM25 (Robertson-Sparck Jones) IDF, kept positive as in Lucene.
    term.idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    term.rare = df <= kAlwaysRareCount || df <= kMaxExplainingShare * n;
    term.weight *= term.idf;
  }

  // The most specific words, and the pairs made only of them.
  // Numbers ("38", "2024") name no capability: they do not count towards
  // coverage.
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
  // Words and pairs have their ids already; synonyms' concepts are looked
  // up together. A feature without an id is in no document: no probe.
  std::vector<uint64_t> concept_hashes;
  std::vector<uint32_t> concept_slots;
  for (size_t k = 0; k < coverage_words_.size(); ++k) {
    const Term& word = terms_[coverage_words_[k]];
    if (word.id != kNoFeatureId) probes_.push_back({word.id, static_cast<uint32_t>(k), /*synonym=*/false});
    for (uint64_t concept_hash : word.concepts) {
      concept_hashes.push_back(concept_hash);
      concept_slots.push_back(static_cast<uint32_t>(k));
    }
  }
  std::vector<uint32_t> concept_ids(concept_hashes.size());
  ids.Find(concept_hashes, absl::MakeSpan(concept_ids));
  for (size_t i = 0; i < concept_ids.size(); ++i) {
    if (concept_ids[i] != kNoFeatureId) probes_.push_back({concept_ids[i], concept_slots[i], /*synonym=*/true});
  }
  for (size_t k = 0; k < coverage_pairs_.size(); ++k) {
    const Term& pair = terms_[coverage_pairs_[k]];
    if (pair.id != kNoFeatureId) {
      probes_.push_back({pair.id, static_cast<uint32_t>(coverage_words_.size() + k), /*synonym=*/false});
    }
  }
  std::sort(probes_.begin(), probes_.end(), [](const Probe& a, const Probe& b) { return a.id < b.id; });
  for (const Probe& probe : probes_) {
    const uint32_t bit = probe.id % kProbeFilterBits;
    probe_filter_[bit / 64] |= uint64_t{1} << (bit % 64);
  }
}

double Bm25Query::Coverage(const TermSet& document) const {
  if (coverage_word_weight_ <= 0.0 || document.empty()) return 0.0;
  // Per judged word: 2 when found itself, 1 when only through a synonym;
  // per judged pair: 2 when found.
  absl::InlinedVector<uint8_t, 64> found(coverage_words_.size() + coverage_pairs_.size(), 0);
  const auto probe_order = [](const Probe& probe, uint32_t id) { return probe.id < id; };
  for (const uint32_t id : document.ids()) {
    const uint32_t bit = id % kProbeFilterBits;
    if ((probe_filter_[bit / 64] >> (bit % 64) & 1) == 0) continue;
    // Several probes share an id when two judged words have a concept in
    // common.
    for (auto probe = std::lower_bound(probes_.begin(), probes_.end(), id, probe_order);
         probe != probes_.end() && probe->id == id; ++probe) {
      found[probe->slot] = std::max<uint8_t>(found[probe->slot], probe->synonym ? 1 : 2);
    }
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

std::vector<std::string> Bm25Query::SharedRareWords(const TermSet& document, size_t limit) const {
  std::vector<const Term*> shared;
  for (const Term& term : terms_) {
    if (term.bigram || !term.rare || term.text.size() < kMinShownWordLength || IsNumber(term.text)) continue;
    if (term.id != kNoFeatureId && document.Contains(term.id)) shared.push_back(&term);
  }
  std::stable_sort(shared.begin(), shared.end(), [](const Term* a, const Term* b) { return a->idf > b->idf; });
  std::vector<std::string> words;
  for (size_t i = 0; i < shared.size() && i < limit; ++i) words.push_back(shared[i]->text);
  return words;
}

}  // namespace pollinator
