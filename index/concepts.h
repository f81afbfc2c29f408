// Concepts: what WordNet knows of a word. Its synonyms, so that a need and
// an offer that name the same thing with different words ("jeans" and
// "denim", "mould" and "mold") share a feature; and how many senses it has,
// because a word of many senses ("make", "line", "cell") is weak evidence
// that two texts mean the same thing, while a word of one sense ("anode")
// or none WordNet knows ("lycopene") is strong evidence.
//
//   const WordConcepts& jeans = LookUpWord("jeans");  // synonyms jean, denim, ...
//   double weight = Specificity(jeans);
//
// Only each part of speech's first (most frequent) sense is used: every
// further sense multiplies the homonyms ("cell" the compartment, the
// battery, the prison, the phone) faster than it adds true synonyms.
// Multi-word lemmas are skipped; the words of a phrase match on their own.
//
// WordNet ships as Debian's wordnet-base. Without it (or when it fails to
// open) every word has no synonyms and matching falls back to plain words.
//
// Thread-safe: the WordNet C library is not, so lookups are serialised and
// cached.
#ifndef POLLINATOR_INDEX_CONCEPTS_H_
#define POLLINATOR_INDEX_CONCEPTS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace pollinator {

struct WordConcepts {
  // The other single-word lemmas of the word's first noun, verb and
  // adjective senses, lower-case and unstemmed.
  std::vector<std::string> synonyms;
  // Senses over all parts of speech; 0 for words WordNet does not know.
  int senses = 0;
};

// What WordNet knows of a lower-case word; empty for unknown ones. The
// reference stays valid for the process, except once kMaxCachedWords words
// are cached (concepts.cc): then only until this thread's next lookup.
const WordConcepts& LookUpWord(absl::string_view word);

// How much a shared word says about two texts meaning the same, in (0, 1]:
// 1 for a word of one sense or unknown to WordNet, falling with each
// further sense.
double Specificity(const WordConcepts& word);

// Whether WordNet's database could be opened.
bool ConceptsAvailable();

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_CONCEPTS_H_
