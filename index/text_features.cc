#include "index/text_features.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"

namespace pollinator {
namespace {

// Words that carry no meaning for matching. Kept short on purpose: IDF
// down-weights the rest of the common vocabulary once a tenant has data.
const absl::flat_hash_set<absl::string_view>& StopWords() {
  static const auto* const kStopWords = new absl::flat_hash_set<absl::string_view>{
      "a",    "an",   "and",  "are",   "as",   "at",   "be",   "by",    "for",
      "from", "has",  "have", "in",    "into", "is",   "it",   "its",   "of",
      "on",   "or",   "our",  "that",  "the",  "their", "this", "to",   "we",
      "with", "who",  "will", "which", "can",  "us",   "you",  "your",  "also"};
  return *kStopWords;
}

bool IsTokenByte(unsigned char c) { return absl::ascii_isalnum(c) || c >= 0x80; }

uint64_t HashWithKind(FeatureKind kind, absl::string_view bytes) {
  // Mixing the kind in keeps the word "lid" apart from the n-gram "lid".
  uint64_t h = StableHash(bytes);
  return kind == FeatureKind::kWord ? h : h ^ 0x9e3779b97f4a7c15ULL;
}

}  // namespace

uint64_t StableHash(absl::string_view bytes) {
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::vector<std::string> Tokenize(absl::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  for (unsigned char c : text) {
    if (IsTokenByte(c)) {
      current.push_back(static_cast<char>(absl::ascii_tolower(c)));
    } else if (!current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

namespace {

std::vector<std::string> ContentWords(absl::string_view text) {
  std::vector<std::string> words;
  for (std::string& token : Tokenize(text)) {
    if (!StopWords().contains(token)) words.push_back(std::move(token));
  }
  return words;
}

}  // namespace

std::vector<WordFeature> ExtractWordFeatures(absl::string_view text, const TextFeatureOptions& options) {
  const std::vector<std::string> words = ContentWords(text);
  std::vector<WordFeature> features;
  features.reserve(options.word_bigrams ? 2 * words.size() : words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    features.push_back({words[i], HashWithKind(FeatureKind::kWord, words[i]), false});
    if (options.word_bigrams && i + 1 < words.size()) {
      std::string pair = words[i] + ' ' + words[i + 1];
      const uint64_t hash = HashWithKind(FeatureKind::kWord, pair);
      features.push_back({std::move(pair), hash, true});
    }
  }
  return features;
}

TextFeatures ExtractFeatures(absl::string_view text, const TextFeatureOptions& options) {
  TextFeatures features;
  for (const WordFeature& word : ExtractWordFeatures(text, options)) ++features.words[word.hash];
  for (const std::string& word : ContentWords(text)) {
    const std::string padded = '<' + word + '>';
    for (int n = options.min_char_ngram; n <= options.max_char_ngram; ++n) {
      if (static_cast<size_t>(n) > padded.size()) break;
      for (size_t start = 0; start + n <= padded.size(); ++start) {
        ++features.char_ngrams[HashWithKind(FeatureKind::kCharNgram,
                                            absl::string_view(padded).substr(start, n))];
      }
    }
  }
  return features;
}

}  // namespace pollinator
