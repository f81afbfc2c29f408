#include "bench/fasttext_embedding.h"

#include <fasttext/fasttext.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "index/text_features.h"
#include "index/vector_math.h"

namespace pollinator {
namespace {

constexpr int kPowerIterations = 50;

// One line per synset of a WordNet data file: its lemmas, then its gloss.
absl::Status AppendGlosses(const std::string& path, std::ostream& out, size_t& lines) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path, " (Debian package wordnet-base)"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == ' ') continue;  // The licence header.
    std::istringstream fields(line);
    std::string offset, lexfile, pos, count_hex;
    fields >> offset >> lexfile >> pos >> count_hex;
    const int count = std::stoi(count_hex, nullptr, 16);
    std::vector<std::string> lemmas;
    for (int i = 0; i < count; ++i) {
      std::string lemma, lex_id;
      fields >> lemma >> lex_id;
      lemmas.push_back(absl::StrReplaceAll(lemma, {{"_", " "}}));
    }
    const size_t bar = line.find(" | ");
    const std::string gloss = bar == std::string::npos ? "" : line.substr(bar + 3);
    out << absl::StrJoin(Tokenize(absl::StrCat(absl::StrJoin(lemmas, " "), " ", gloss)), " ") << "\n";
    ++lines;
  }
  return absl::OkStatus();
}

}  // namespace

FastTextEmbedding::~FastTextEmbedding() = default;

absl::StatusOr<std::unique_ptr<FastTextEmbedding>> FastTextEmbedding::Train(
    const std::vector<std::string>& tenant_texts, const FastTextOptions& options) {
  std::unique_ptr<FastTextEmbedding> embedding(new FastTextEmbedding());
  const std::string corpus = (std::filesystem::path(options.work_dir) / "pollinator-fasttext-corpus.txt").string();
  {
    std::ofstream out(corpus);
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", corpus));
    for (const char* part : {"data.noun", "data.verb", "data.adj", "data.adv"}) {
      absl::Status s = AppendGlosses((std::filesystem::path(options.wordnet_dir) / part).string(), out,
                                     embedding->background_lines_);
      if (!s.ok()) return s;
    }
    for (int r = 0; r < options.tenant_repeats; ++r) {
      for (const std::string& text : tenant_texts) out << absl::StrJoin(Tokenize(text), " ") << "\n";
    }
  }
  fasttext::Args args;
  args.input = corpus;
  args.model = fasttext::model_name::sg;
  args.dim = options.dimension;
  args.epoch = options.epochs;
  args.minCount = 1;
  args.minn = 3;
  args.maxn = 6;
  args.thread = 2;
  args.verbose = 0;
  embedding->model_ = std::make_unique<fasttext::FastText>();
  embedding->model_->train(args);
  std::filesystem::remove(corpus);
  embedding->dimension_ = options.dimension;
  embedding->sif_a_ = options.sif_a;

  const std::shared_ptr<const fasttext::Dictionary> dictionary = embedding->model_->getDictionary();
  const std::vector<int64_t> counts = dictionary->getCounts(fasttext::entry_type::word);
  double total = 0;
  for (int64_t c : counts) total += static_cast<double>(c);
  for (int32_t i = 0; i < dictionary->nwords(); ++i) {
    embedding->probability_[dictionary->getWord(i)] = static_cast<double>(counts[i]) / total;
  }

  // The common direction of all texts (SIF's first principal component),
  // by power iteration on the tenant texts' averages.
  std::vector<std::vector<float>> averages;
  for (const std::string& text : tenant_texts) averages.push_back(embedding->Average(text));
  std::vector<float> component(options.dimension, 1.0f);
  NormalizeInPlace(component);
  for (int iteration = 0; iteration < kPowerIterations; ++iteration) {
    std::vector<float> next(options.dimension, 0.0f);
    for (const std::vector<float>& v : averages) {
      const float projection = Dot(v, component);
      for (int d = 0; d < options.dimension; ++d) next[d] += projection * v[d];
    }
    NormalizeInPlace(next);
    component = std::move(next);
  }
  embedding->component_ = std::move(component);
  return embedding;
}

std::vector<float> FastTextEmbedding::Average(absl::string_view text) const {
  std::vector<float> sum(dimension_, 0.0f);
  fasttext::Vector word_vector(dimension_);
  for (const std::string& word : Tokenize(text)) {
    if (IsStopWord(word)) continue;
    auto it = probability_.find(word);
    const double p = it == probability_.end() ? 0.0 : it->second;
    const double weight = sif_a_ / (sif_a_ + p);
    model_->getWordVector(word_vector, word);
    for (int d = 0; d < dimension_; ++d) sum[d] += static_cast<float>(weight * word_vector[d]);
  }
  return sum;
}

std::vector<float> FastTextEmbedding::Embed(absl::string_view text) const {
  std::vector<float> v = Average(text);
  if (!component_.empty()) {
    const float projection = Dot(v, component_);
    for (int d = 0; d < dimension_; ++d) v[d] -= projection * component_[d];
  }
  NormalizeInPlace(v);
  return v;
}

}  // namespace pollinator
