#include "index/concepts.h"

#include <sys/stat.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "index/bounded_memo.h"

extern "C" {
#include <wn.h>
}

namespace pollinator {
namespace {

// Words shorter than this are abbreviations or fragments whose first sense
// is rarely the one meant ("ai" is a sloth in WordNet).
constexpr size_t kMinWordLength = 4;
// Longer tokens are no words (WordNet's own buffers stop at 256 bytes).
constexpr size_t kMaxWordLength = 64;
// Words remembered per process (see BoundedMemo).
constexpr size_t kMaxCachedWords = 500000;
// A synset with more lemmas than this is a loose bag ("get", "make"): its
// members are not interchangeable.
constexpr int kMaxSynsetLemmas = 6;
// Each sense beyond the first lowers specificity by this share of the rest:
// 2 senses 0.8, 5 senses 0.5, 10 senses 0.31, 50 senses 0.08.
constexpr double kPerExtraSense = 0.25;

class WordNet {
 public:
  WordNet() {
    available_ = wninit() == 0;
    if (available_) ReadFilesIntoMemory();
  }

  bool available() const { return available_; }

  const WordConcepts& LookUpWord(absl::string_view word) {
    // The WordNet library is not thread-safe: the memo's lock serialises it.
    return cache_.Get(word, [&] { return available_ ? LookUp(std::string(word)) : WordConcepts(); });
  }

 private:
  // The WordNet library binary-searches its index and data files with fseek,
  // getc and fgets; on a file stream every probe is a read system call, and
  // a cold start-up spent most of its time in the kernel. Each file is read
  // into memory once (about 28 MiB in all) and the library's stream swapped
  // for an fmemopen() stream over that copy, so probes stay in user space.
  // The copies live as long as the process (the instance is never
  // destroyed). A file that cannot be copied keeps its file stream.
  void ReadFilesIntoMemory() {
    for (int part = 1; part <= NUMPARTS; ++part) {
      for (FILE** stream : {&datafps[part], &indexfps[part]}) {
        FILE* file = *stream;
        struct stat info;
        if (file == nullptr || fstat(fileno(file), &info) != 0 || info.st_size <= 0) continue;
        const size_t size = static_cast<size_t>(info.st_size);
        auto contents = std::make_unique<char[]>(size);
        if (fseek(file, 0, SEEK_SET) != 0 || fread(contents.get(), 1, size, file) != size) continue;
        FILE* in_memory = fmemopen(contents.get(), size, "r");
        if (in_memory == nullptr) continue;
        fclose(file);
        *stream = in_memory;
        file_contents_.push_back(std::move(contents));
      }
    }
  }

  // Called under cache_'s lock only.
  WordConcepts LookUp(const std::string& word) {
    WordConcepts out;
    if (word.size() < kMinWordLength || word.size() > kMaxWordLength) return out;
    absl::flat_hash_set<std::string> seen = {word};
    for (int pos : {NOUN, VERB, ADJ}) {
      // The base form ("berries" -> "berry"); the word itself if it is one.
      std::string base = word;
      if (char* morph = morphstr(base.data(), pos); morph != nullptr) base = morph;
      IndexPtr index = index_lookup(base.data(), pos);
      if (index == nullptr) continue;
      seen.insert(base);
      out.senses += index->off_cnt;
      if (index->off_cnt > 0) {
        // Offsets are in sense order: the first is the most frequent sense.
        SynsetPtr synset = read_synset(pos, static_cast<long>(index->offset[0]), base.data());
        if (synset != nullptr) {
          if (synset->wcount <= kMaxSynsetLemmas) {
            for (int i = 0; i < synset->wcount; ++i) {
              std::string lemma = absl::AsciiStrToLower(synset->words[i]);
              // Adjective lemmas may carry a syntax marker: "model(a)".
              if (const size_t marker = lemma.find('('); marker != std::string::npos) lemma.resize(marker);
              if (lemma.empty() || lemma.find_first_of("_-") != std::string::npos) continue;
              if (seen.insert(lemma).second) out.synonyms.push_back(std::move(lemma));
            }
          }
          free_synset(synset);
        }
      }
      free_index(index);
    }
    return out;
  }

  bool available_ = false;
  std::vector<std::unique_ptr<char[]>> file_contents_;
  BoundedMemo<WordConcepts> cache_{kMaxCachedWords};
};

WordNet& Instance() {
  static WordNet* const wordnet = new WordNet();
  return *wordnet;
}

}  // namespace

const WordConcepts& LookUpWord(absl::string_view word) { return Instance().LookUpWord(word); }

double Specificity(const WordConcepts& word) {
  return word.senses <= 1 ? 1.0 : 1.0 / (1.0 + kPerExtraSense * (word.senses - 1));
}

bool ConceptsAvailable() { return Instance().available(); }

}  // namespace pollinator
