#include "index/text_features.h"

#include <algorithm>
#include <string>

#include <xapian.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "index/concepts.h"

namespace pollinator {
namespace {

// Function words, and words that nearly every need or offer uses to frame
// what it says ("we are looking for a partner who can provide..."). IDF
// down-weights the rest of the common vocabulary once a tenant has data.
const absl::flat_hash_set<absl::string_view>& StopWords() {
  static const auto* const kStopWords = new absl::flat_hash_set<absl::string_view>{
      "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "being",
      "between", "both", "but", "by", "can", "could", "do", "does", "each", "either", "etc", "for", "from", "get",
      "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "just", "like", "may", "me",
      "more", "most", "much", "must", "my", "no", "nor", "not", "of", "on", "one", "only", "or", "other", "our",
      "ours", "out", "over", "own", "per", "same", "should", "so", "some", "such", "than", "that", "the",
      "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "up", "upon",
      "us", "very", "via", "was", "we", "were", "what", "when", "where", "whether", "which", "while", "who",
      "whom", "why", "will", "with", "within", "without", "would", "you", "your",
      // Framing words of needs and offers.
      "need", "needs", "needed", "looking", "seek", "seeking", "want", "wanted", "require", "requires",
      "required", "offer", "offers", "offering", "provide", "provides", "providing", "partner", "partners",
      "help", "helps", "support", "supports", "someone", "company", "companies", "based", "able", "new",
      "using", "use", "used", "well", "including", "especially", "various", "interested"};
  return *kStopWords;
}

bool IsTokenByte(unsigned char c) { return absl::ascii_isalnum(c) || c >= 0x80; }

uint64_t HashWithKind(FeatureKind kind, absl::string_view bytes) {
  // Mixing the kind in keeps the word "lid" apart from the n-gram "lid".
  uint64_t h = StableHash(bytes);
  switch (kind) {
    case FeatureKind::kWord:
      return h;
    case FeatureKind::kCharNgram:
      return h ^ 0x9e3779b97f4a7c15ULL;
    case FeatureKind::kConcept:
      return h ^ 0xc2b2ae3d27d4eb4fULL;
  }
  return h;
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

std::string Stem(absl::string_view word) {
  // Xapian::Stem keeps state between calls: one per thread.
  thread_local Xapian::Stem stemmer("english");
  return stemmer(std::string(word));
}

bool IsStopWord(absl::string_view word) { return StopWords().contains(word); }

namespace {

// Tokens that carry meaning: no stop words and no single characters.
std::vector<std::string> ContentWords(absl::string_view text) {
  std::vector<std::string> words;
  for (std::string& token : Tokenize(text)) {
    if (token.size() > 1 && !IsStopWord(token)) words.push_back(std::move(token));
  }
  return words;
}

// The concept features of one word: its own stem's and its synonyms'.
std::vector<uint64_t> ConceptsOf(const WordConcepts& known, const std::string& stem) {
  std::vector<uint64_t> concepts = {HashWithKind(FeatureKind::kConcept, stem)};
  for (const std::string& synonym : known.synonyms) {
    const uint64_t hash = HashWithKind(FeatureKind::kConcept, Stem(synonym));
    if (std::find(concepts.begin(), concepts.end(), hash) == concepts.end()) concepts.push_back(hash);
  }
  return concepts;
}

}  // namespace

std::vector<WordFeature> ExtractWordFeatures(absl::string_view text, const TextFeatureOptions& options) {
  const std::vector<std::string> words = ContentWords(text);
  std::vector<std::string> stems;
  stems.reserve(words.size());
  for (const std::string& word : words) stems.push_back(Stem(word));
  std::vector<WordFeature> features;
  features.reserve(options.word_bigrams ? 2 * words.size() : words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    WordFeature word{words[i], HashWithKind(FeatureKind::kWord, stems[i]), false, {}};
    if (options.concepts) {
      const WordConcepts& known = LookUpWord(words[i]);
      word.concepts = ConceptsOf(known, stems[i]);
      word.specificity = Specificity(known);
    }
    features.push_back(std::move(word));
    if (options.word_bigrams && i + 1 < words.size()) {
      features.push_back({words[i] + ' ' + words[i + 1],
                          HashWithKind(FeatureKind::kWord, stems[i] + ' ' + stems[i + 1]), true, {}});
    }
  }
  return features;
}

TextFeatures ExtractFeatures(absl::string_view text, const TextFeatureOptions& options) {
  TextFeatures features;
  for (const WordFeature& word : ExtractWordFeatures(text, options)) {
    ++features.words[word.hash];
    for (uint64_t concept_hash : word.concepts) ++features.concepts[concept_hash];
  }
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
