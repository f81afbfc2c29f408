#include "index/text_features.h"

#include <algorithm>
#include <string>

#include <xapian.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "index/bounded_memo.h"
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

// Words whose facts are remembered per process (see BoundedMemo).
constexpr size_t kMaxRememberedWords = 200000;

// What the features take from one word alone.
struct WordFacts {
  std::string stem;
  // The stem's word feature.
  uint64_t hash = 0;
  // Its own stem's concept and its synonyms' (see concepts.h).
  std::vector<uint64_t> concepts;
  double specificity = 1.0;
  // Character n-grams for the default TextFeatureOptions.
  std::vector<uint64_t> char_ngrams;
};

void AddCharNgrams(absl::string_view word, const TextFeatureOptions& options, std::vector<uint64_t>& out) {
  const std::string padded = absl::StrCat("<", word, ">");
  for (int n = options.min_char_ngram; n <= options.max_char_ngram; ++n) {
    if (static_cast<size_t>(n) > padded.size()) break;
    for (size_t start = 0; start + n <= padded.size(); ++start) {
      out.push_back(HashWithKind(FeatureKind::kCharNgram, absl::string_view(padded).substr(start, n)));
    }
  }
}

WordFacts WorkOutWord(const std::string& word) {
  WordFacts facts;
  facts.stem = Stem(word);
  facts.hash = HashWithKind(FeatureKind::kWord, facts.stem);
  const WordConcepts& known = LookUpWord(word);
  facts.concepts = {HashWithKind(FeatureKind::kConcept, facts.stem)};
  for (const std::string& synonym : known.synonyms) {
    const uint64_t hash = HashWithKind(FeatureKind::kConcept, Stem(synonym));
    if (std::find(facts.concepts.begin(), facts.concepts.end(), hash) == facts.concepts.end()) {
      facts.concepts.push_back(hash);
    }
  }
  facts.specificity = Specificity(known);
  AddCharNgrams(word, TextFeatureOptions(), facts.char_ngrams);
  return facts;
}

// Stemming a word, and each of its WordNet synonyms, again at every
// occurrence was most of the cost of tokenising a text; a catalogue's texts
// share their vocabulary, so each word is worked out once. Past
// kMaxRememberedWords the reference is valid until this thread's next call.
const WordFacts& FactsOf(const std::string& word) {
  static auto* const memo = new BoundedMemo<WordFacts>(kMaxRememberedWords);
  return memo->Get(word, [&] { return WorkOutWord(word); });
}

// The word feature of two adjacent words, by their stems.
uint64_t PairHash(absl::string_view first_stem, absl::string_view second_stem) {
  return HashWithKind(FeatureKind::kWord, absl::StrCat(first_stem, " ", second_stem));
}

bool DefaultCharNgrams(const TextFeatureOptions& options) {
  const TextFeatureOptions defaults;
  return options.min_char_ngram == defaults.min_char_ngram && options.max_char_ngram == defaults.max_char_ngram;
}

}  // namespace

std::vector<WordFeature> ExtractWordFeatures(absl::string_view text, const TextFeatureOptions& options) {
  const std::vector<std::string> words = ContentWords(text);
  std::vector<WordFeature> features;
  features.reserve(options.word_bigrams ? 2 * words.size() : words.size());
  // The facts are copied at once: past kMaxRememberedWords the next lookup
  // overwrites them.
  std::string stem, previous_stem;
  for (size_t i = 0; i < words.size(); ++i) {
    const WordFacts& facts = FactsOf(words[i]);
    stem = facts.stem;
    WordFeature word{words[i], facts.hash, false, {}};
    if (options.concepts) {
      word.concepts = facts.concepts;
      word.specificity = facts.specificity;
    }
    if (options.word_bigrams && i > 0) {
      features.push_back({absl::StrCat(words[i - 1], " ", words[i]),
                          PairHash(previous_stem, stem), true, {}});
    }
    features.push_back(std::move(word));
    std::swap(stem, previous_stem);
  }
  return features;
}

TextFeatures ExtractFeatures(absl::string_view text, const TextFeatureOptions& options) {
  TextFeatures features;
  const bool default_ngrams = DefaultCharNgrams(options);
  std::vector<uint64_t> ngrams;
  std::string previous_stem;
  bool first = true;
  for (const std::string& word : ContentWords(text)) {
    const WordFacts& facts = FactsOf(word);
    ++features.words[facts.hash];
    if (options.concepts) {
      for (uint64_t concept_hash : facts.concepts) ++features.concepts[concept_hash];
    }
    if (options.word_bigrams && !first) {
      ++features.words[PairHash(previous_stem, facts.stem)];
    }
    first = false;
    previous_stem = facts.stem;
    if (default_ngrams) {
      for (uint64_t ngram : facts.char_ngrams) ++features.char_ngrams[ngram];
    } else {
      ngrams.clear();
      AddCharNgrams(word, options, ngrams);
      for (uint64_t ngram : ngrams) ++features.char_ngrams[ngram];
    }
  }
  return features;
}

}  // namespace pollinator
