// Lexical match of a query text against a document made of one or more
// texts, over the same word features (stemmed words, word pairs, WordNet
// concepts) and document frequencies the hashing embedder uses. It rewards
// the exact rare terms ("LiDAR", "perovskite") that hashed vectors blur.
// Coverage() is what matching uses: absolute, in [0, 1]. Score() is plain
// Okapi BM25, relative by nature, kept for ranking experiments.
//
//   TermCounts document = CountTerms({offer.text()}, options);
//   Bm25Query query(need.text(), tenant_statistics);
//   double coverage = query.Coverage(document);
//
// A Bm25Query is immutable after construction and safe to share.
#ifndef POLLINATOR_INDEX_LEXICAL_MATCH_H_
#define POLLINATOR_INDEX_LEXICAL_MATCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "index/term_statistics.h"
#include "index/text_features.h"

namespace pollinator {

// Word-feature frequencies of one document, sorted by feature hash. Sorted
// arrays take about a third of a hash map's memory (a catalogue keeps one
// per need and offer), and Coverage() meets them in one merge instead of a
// probe per query term.
class TermCounts {
 public:
  // Adds the word and concept features of one extracted text (for callers
  // that extract features once for several uses); only words count towards
  // length().
  void Add(const TextFeatures& features);

  bool Contains(uint64_t hash) const;
  // Occurrences of `hash`; 0 when absent.
  int32_t Count(uint64_t hash) const;
  bool empty() const { return hashes_.empty(); }
  // Distinct features, ascending.
  absl::Span<const uint64_t> hashes() const { return hashes_; }
  // Number of word features, with repeats.
  int64_t length() const { return length_; }

 private:
  std::vector<uint64_t> hashes_;
  // counts_[i] belongs to hashes_[i].
  std::vector<int32_t> counts_;
  int64_t length_ = 0;
};

TermCounts CountTerms(absl::Span<const std::string> texts, const TextFeatureOptions& options);

struct Bm25Parameters {
  double k1 = 1.2;
  double b = 0.75;
};

class Bm25Query {
 public:
  Bm25Query(absl::string_view text, const TermStatistics& statistics, Bm25Parameters parameters = {});

  // BM25 of the document; 0 when no query term occurs in it.
  // `average_length` is the mean length of the documents being ranked.
  double Score(const TermCounts& document, double average_length) const;

  // How much of the query the document covers, in [0, 1] and absolute: the
  // same pair gets the same coverage whatever else is ranked. It is the
  // share of the query's most specific words (see kCoverageWords), weighted
  // by IDF and WordNet specificity, found in the document (a synonym counts
  // half), with a
  // fifth of the weight on the query's word pairs among them. A long query
  // is judged by its most specific words, not diluted by all of them.
  double Coverage(const TermCounts& document) const;
  // Whether the query has any word Coverage() judges by (not only stop words
  // and numbers).
  bool HasCoverageWords() const { return coverage_word_weight_ > 0.0; }

  // Up to `limit` single query words that occur in the document, rarest
  // first, as written in the query (lower-cased). Skips words found in more
  // than a tenth of the tenant's documents (and more than three): they
  // explain nothing.
  std::vector<std::string> SharedRareWords(const TermCounts& document, size_t limit) const;

  bool empty() const { return terms_.empty(); }

 private:
  struct Term {
    std::string text;
    uint64_t hash = 0;
    bool bigram = false;
    // Occurrences in the query.
    int count = 0;
    double idf = 0.0;
    // Rare enough to name in an explanation.
    bool rare = false;
    // Concept features of a single word (see text_features.h).
    std::vector<uint64_t> concepts;
    // idf times the word's specificity: its weight in Coverage().
    double weight = 0.0;
  };

  // One hash Coverage() looks for: a judged word itself, one of its
  // concepts (a synonym), or a judged word pair. `slot` indexes the word in
  // coverage_words_, or the pair in coverage_pairs_ after the words.
  struct Probe {
    uint64_t hash = 0;
    uint32_t slot = 0;
    bool synonym = false;
  };

  Bm25Parameters parameters_;
  // Distinct query terms.
  std::vector<Term> terms_;
  // Indices into terms_ of the words and word pairs that Coverage() judges
  // by, and their weight sums.
  std::vector<size_t> coverage_words_;
  std::vector<size_t> coverage_pairs_;
  double coverage_word_weight_ = 0.0;
  double coverage_pair_weight_ = 0.0;
  // Every hash Coverage() looks for, ascending.
  std::vector<Probe> probes_;
};

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_LEXICAL_MATCH_H_
