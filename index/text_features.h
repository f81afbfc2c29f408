// Text features shared by the hashing embedder and its term statistics:
// lower-cased word unigrams and bigrams (English stop words dropped) and
// character n-grams of each word, each identified by a stable 64-bit hash.
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

enum class FeatureKind { kWord, kCharNgram };

struct TextFeatureOptions {
  // Character n-gram lengths, inclusive. Words are padded with '<' and '>'
  // first, so "lidar" yields "<li", "lid", ..., "ar>".
  int min_char_ngram = 3;
  int max_char_ngram = 5;
  // Adds adjacent word pairs ("pilot line") as word features.
  bool word_bigrams = true;
};

// Feature hash -> term frequency, one map per kind.
struct TextFeatures {
  absl::flat_hash_map<uint64_t, int> words;
  absl::flat_hash_map<uint64_t, int> char_ngrams;
};

// Lower-cases ASCII letters and splits on anything that is not a letter or
// digit. Bytes of multi-byte UTF-8 sequences count as letters, so "Müller"
// stays one token.
std::vector<std::string> Tokenize(absl::string_view text);

TextFeatures ExtractFeatures(absl::string_view text, const TextFeatureOptions& options);

// One word feature occurrence: a word or, with word_bigrams, a word pair.
struct WordFeature {
  std::string text;
  uint64_t hash = 0;
  bool bigram = false;
};

// The word features of `text` in order of occurrence, with repeats; the same
// hashes as ExtractFeatures().words. For exact-term (lexical) matching.
std::vector<WordFeature> ExtractWordFeatures(absl::string_view text, const TextFeatureOptions& options);

uint64_t StableHash(absl::string_view bytes);

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_TEXT_FEATURES_H_
