// FastTextEmbedding: distributional sentence vectors for the judged
// benchmark's embedder experiment. fastText (Debian libfasttext-dev) trains
// skipgram word vectors with subwords on WordNet's glosses (each synset's
// lemmas with its definition and examples, from Debian's wordnet-base) plus
// the tenant's own texts; a text's vector is the SIF average of its words
// (Arora, Liang and Ma 2017: a word weighs a / (a + p(w))) with the corpus's
// first principal component removed. The benchmark sends the result as
// client vectors.
//
//   absl::StatusOr<std::unique_ptr<FastTextEmbedding>> ft = FastTextEmbedding::Train(texts, options);
//   std::vector<float> v = (*ft)->Embed("keep strawberries from going mouldy");
#ifndef POLLINATOR_BENCH_FASTTEXT_EMBEDDING_H_
#define POLLINATOR_BENCH_FASTTEXT_EMBEDDING_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace fasttext {
class FastText;
}

namespace pollinator {

struct FastTextOptions {
  int dimension = 100;
  int epochs = 5;
  // Times each tenant text is repeated in the corpus, so that the tenant's
  // own usage weighs against the much larger background.
  int tenant_repeats = 5;
  // SIF's a.
  double sif_a = 1e-3;
  std::string wordnet_dir = "/usr/share/wordnet";
  // Where the training corpus is written (fastText trains from a file).
  std::string work_dir = "/tmp";
};

class FastTextEmbedding {
 public:
  static absl::StatusOr<std::unique_ptr<FastTextEmbedding>> Train(const std::vector<std::string>& tenant_texts,
                                                                  const FastTextOptions& options);
  ~FastTextEmbedding();

  int dimension() const { return dimension_; }
  // L2-normalised; zero for a text without words.
  std::vector<float> Embed(absl::string_view text) const;

  // Glosses read, for the benchmark's report.
  size_t background_lines() const { return background_lines_; }

 private:
  FastTextEmbedding() = default;
  std::vector<float> Average(absl::string_view text) const;

  std::unique_ptr<fasttext::FastText> model_;
  int dimension_ = 0;
  double sif_a_ = 0;
  size_t background_lines_ = 0;
  // Word -> probability in the training corpus.
  absl::flat_hash_map<std::string, double> probability_;
  // The first principal component of the tenant texts' averages.
  std::vector<float> component_;
};

}  // namespace pollinator

#endif  // POLLINATOR_BENCH_FASTTEXT_EMBEDDING_H_
