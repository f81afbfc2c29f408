// Text features shared by the hashing embedder and its term statistics:
// stemmed word unigrams and bigrams (English stop words dropped), WordNet
// concepts of each word, and character n-grams of each word, each
// identified by a stable 64-bit hash.
//
// The hash is FNV-1a, not absl::Hash, because absl::Hash is salted per process
// and vectors must be identical across restarts.
#ifndef POLLINATOR_INDEX_TEXT_FEATURES_H_
#define POLLINATOR_INDEX_TEXT_FEATURES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace pollinator {

enum class FeatureKind { kWord, kCharNgram, kConcept };

struct TextFeatureOptions {
  // Character n-gram lengths, inclusive. Words are padded with '<' and '>'
  // first, so "lidar" yields "<li", "lid", ..., "ar>".
  int min_char_ngram = 3;
  int max_char_ngram = 5;
  // Adds adjacent word pairs ("pilot line") as word features.
  bool word_bigrams = true;
  // Adds each word's WordNet synonyms as concept features (see concepts.h).
  bool concepts = true;
};

// Feature hash -> term frequency, one map per kind.
struct TextFeatures {
  absl::flat_hash_map<uint64_t, int> words;
  absl::flat_hash_map<uint64_t, int> char_ngrams;
  // Each word's own concept and those of its synonyms: "jeans" and "denim"
  // share the concepts of "jean" and "denim".
  absl::flat_hash_map<uint64_t, int> concepts;
};

// Lower-cases ASCII letters and splits on anything that is not a letter or
// digit. Bytes of multi-byte UTF-8 sequences count as letters, so "Müller"
// stays one token.
std::vector<std::string> Tokenize(absl::string_view text);

TextFeatures ExtractFeatures(absl::string_view text, const TextFeatureOptions& options);

// One word feature occurrence: a word or, with word_bigrams, a word pair.
struct WordFeature {
  // As written (lower-cased), for explanations.
  std::string text;
  // Of the stemmed word or pair.
  uint64_t hash = 0;
  bool bigram = false;
  // Concept features of a single word (its own and its synonyms'), when
  // options.concepts is set; empty for pairs.
  std::vector<uint64_t> concepts;
  // How specific the word is (see concepts.h); 1 for pairs, and for every
  // word without options.concepts.
  double specificity = 1.0;
};

// The word features of `text` in order of occurrence, with repeats; the same
// hashes as ExtractFeatures().words. For exact-term (lexical) matching.
std::vector<WordFeature> ExtractWordFeatures(absl::string_view text, const TextFeatureOptions& options);

uint64_t StableHash(absl::string_view bytes);

// The English (Porter 2) stem of a lower-cased word: "batteries" ->
// "batteri", "recycling" -> "recycl".
std::string Stem(absl::string_view word);

// Whether `word` is a stop word: a function word, or a word every need or
// offer uses ("need", "looking", "partner") that says nothing about fit.
bool IsStopWord(absl::string_view word);

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_TEXT_FEATURES_H_
