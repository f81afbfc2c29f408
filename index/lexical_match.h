// Lexical match of a query text against a document made of one or more
// texts, over the same word features (stemmed words, word pairs, WordNet
// concepts) and document frequencies the hashing embedder uses. It rewards
// the exact rare terms ("LiDAR", "perovskite") that hashed vectors blur.
// Coverage() is absolute, in [0, 1], with BM25's inverse document frequency
// as the weight of each word.
//
//   FeatureIds ids;                                  // one per tenant
//   TermSet document = TermsOf({offer.text()}, options, ids);
//   Bm25Query query(need.text(), tenant_statistics, ids);
//   double coverage = query.Coverage(document);
//
// A Bm25Query is immutable after construction and safe to share. It only
// meets TermSets built against the same FeatureIds, and only those built
// before it (later ones may hold features it did not know).
#ifndef POLLINATOR_INDEX_LEXICAL_MATCH_H_
#define POLLINATOR_INDEX_LEXICAL_MATCH_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "index/feature_ids.h"
#include "index/term_statistics.h"
#include "index/text_features.h"

namespace pollinator {

// The distinct word and concept features of one document, as sorted
// FeatureIds. Matching asks only whether a feature is there, so no counts are
// kept: a catalogue holds one TermSet per need, offer and description, and
// at 4 bytes a feature it takes a third of sorted hashes with counts.
// Coverage() tests each of its features once.
class TermSet {
 public:
  // Adds the word and concept features of one extracted text, assigning
  // their ids in `ids`.
  void Add(const TextFeatures& features, FeatureIds& ids);

  bool Contains(uint32_t id) const;
  bool empty() const { return ids_.empty(); }
  // Distinct feature ids, ascending.
  absl::Span<const uint32_t> ids() const { return ids_; }

 private:
  std::vector<uint32_t> ids_;
};

TermSet TermsOf(absl::Span<const std::string> texts, const TextFeatureOptions& options, FeatureIds& ids);

class Bm25Query {
 public:
  Bm25Query(absl::string_view text, const TermStatistics& statistics, const FeatureIds& ids);

  // How much of the query the document covers, in [0, 1] and absolute: the
  // same pair gets the same coverage whatever else is ranked. It is the
  // share of the query's most specific words (see kCoverageWords), weighted
  // by IDF and WordNet specificity, found in the document (a synonym counts
  // half), with a
  // fifth of the weight on the query's word pairs among them. A long query
  // is judged by its most specific words, not diluted by all of them.
  double Coverage(const TermSet& document) const;
  // Whether the query has any word Coverage() judges by (not only stop words
  // and numbers).
  bool HasCoverageWords() const { return coverage_word_weight_ > 0.0; }

  // Up to `limit` single query words that occur in the document, rarest
  // first, as written in the query (lower-cased). Skips words found in more
  // than a tenth of the tenant's documents (and more than three): they
  // explain nothing.
  std::vector<std::string> SharedRareWords(const TermSet& document, size_t limit) const;

  bool empty() const { return terms_.empty(); }

 private:
  struct Term {
    std::string text;
    uint64_t hash = 0;
    // kNoFeatureId when no TermSet built before this query has it.
    uint32_t id = kNoFeatureId;
    bool bigram = false;
    double idf = 0.0;
    // Rare enough to name in an explanation.
    bool rare = false;
    // Concept features of a single word (see text_features.h).
    std::vector<uint64_t> concepts;
    // idf times the word's specificity: its weight in Coverage().
    double weight = 0.0;
  };

  // One feature Coverage() looks for: a judged word itself, one of its
  // concepts (a synonym), or a judged word pair. `slot` indexes the word in
  // coverage_words_, or the pair in coverage_pairs_ after the words.
  struct Probe {
    uint32_t id = 0;
    uint32_t slot = 0;
    bool synonym = false;
  };

  // Distinct query terms.
  std::vector<Term> terms_;
  // Indices into terms_ of the words and word pairs that Coverage() judges
  // by, and their weight sums.
  std::vector<size_t> coverage_words_;
  std::vector<size_t> coverage_pairs_;
  double coverage_word_weight_ = 0.0;
  double coverage_pair_weight_ = 0.0;
  // Every known feature Coverage() looks for, by ascending id.
  std::vector<Probe> probes_;
  // Bit (id mod kProbeFilterBits) is set for every probe's id. A document's
  // features are few (about a hundred) but met millions of times per
  // second, and most are no probe: one bit test each turns them away, where
  // a merge with the probes mispredicts a branch at nearly every step.
  static constexpr uint32_t kProbeFilterBits = 4096;
  std::array<uint64_t, kProbeFilterBits / 64> probe_filter_{};
};

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_LEXICAL_MATCH_H_
