#include "bench/scale/retrieval_comparison.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/bench_support.h"
#include "bench/scale/hnswlib_baseline.h"
#include "bench/scale/workload.h"
#include "faiss/IndexFlat.h"
#include "faiss/IndexHNSW.h"
#include "faiss/impl/FaissException.h"
#include "faiss/impl/IDSelector.h"
#include "index/faiss_vector_index.h"
#include "index/hashing_embedder.h"
#include "index/term_statistics.h"
#include "index/text_features.h"

namespace pollinator {
namespace {

using Clock = std::chrono::steady_clock;

// The graph parameters every HNSW here is built with (Pollinator's defaults).
constexpr int kHnswM = 16;
constexpr int kEfConstruction = 64;
constexpr int kEfSearch = 64;
constexpr size_t kChunk = 4096;

double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Runs body(i) for i in [begin, end) on `threads` threads.
void ParallelFor(size_t begin, size_t end, int threads, const std::function<void(size_t)>& body) {
  std::atomic<size_t> next{begin};
  std::vector<std::thread> workers;
  for (int t = 0; t < std::max(1, threads); ++t) {
    workers.emplace_back([&] {
      for (size_t i = next++; i < end; i = next++) body(i);
    });
  }
  for (std::thread& worker : workers) worker.join();
}

struct Corpus {
  int dimension = 0;
  // Vector i is row i; its FAISS label and Pollinator id are both i.
  std::vector<float> vectors;
  std::vector<uint16_t> country;
  absl::flat_hash_map<std::string, uint16_t> country_code;
  // The vector of each query (an asker's first need).
  std::vector<int64_t> query_rows;
};

// Embeds every text of every profile with the built-in embedder, IDF taken
// from all of them (as a tenant's statistics would be), on `threads` threads.
// Texts are tokenised twice (statistics, then vectors) rather than kept, so
// that memory stays at the vectors.
Corpus Embed(const std::vector<v1::Profile>& profiles, const RetrievalOptions& options) {
  HashingEmbedderOptions embedder_options;
  embedder_options.dimension = options.dimension;
  const TextFeatureOptions feature_options = HashingEmbedder(embedder_options, nullptr).feature_options();
  TermStatistics statistics(feature_options);
  HashingEmbedder embedder(embedder_options, &statistics);

  Corpus corpus;
  corpus.dimension = options.dimension;
  std::vector<const std::string*> texts;
  std::vector<int64_t> first_need_row(profiles.size(), -1);
  for (size_t p = 0; p < profiles.size(); ++p) {
    const v1::Profile& profile = profiles[p];
    auto [it, inserted] = corpus.country_code.try_emplace(profile.location().country(),
                                                          static_cast<uint16_t>(corpus.country_code.size() + 1));
    const auto add = [&](const std::string& text) {
      texts.push_back(&text);
      corpus.country.push_back(it->second);
    };
    if (!profile.description().empty()) add(profile.description());
    for (const v1::Need& need : profile.needs()) {
      if (first_need_row[p] < 0) first_need_row[p] = static_cast<int64_t>(texts.size());
      add(need.text());
    }
    for (const v1::Offer& offer : profile.offers()) add(offer.text());
  }
  for (size_t begin = 0; begin < texts.size(); begin += kChunk) {
    const size_t end = std::min(texts.size(), begin + kChunk);
    std::vector<TextFeatures> features(end - begin);
    ParallelFor(begin, end, options.threads,
                [&](size_t i) { features[i - begin] = ExtractFeatures(*texts[i], feature_options); });
    for (const TextFeatures& f : features) statistics.AddDocument(f);
  }
  std::cerr << "scale_bench: retrieval: statistics over " << texts.size() << " texts\n";
  corpus.vectors.resize(texts.size() * static_cast<size_t>(options.dimension));
  ParallelFor(0, texts.size(), options.threads, [&](size_t i) {
    absl::StatusOr<std::vector<float>> vector = embedder.Embed(*texts[i]);
    if (vector.ok()) std::copy(vector->begin(), vector->end(), corpus.vectors.begin() + i * options.dimension);
  });
  std::mt19937_64 rng(options.seed);
  while (corpus.query_rows.size() < static_cast<size_t>(options.queries)) {
    const int64_t row = first_need_row[Pick(rng, profiles.size())];
    if (row >= 0) corpus.query_rows.push_back(row);
  }
  return corpus;
}

// A top-k search under the country filter of `selectivity` (1.0: none).
using FilteredSearch = std::function<absl::StatusOr<std::vector<int64_t>>(const float* query, double selectivity)>;

struct Timed {
  std::vector<std::vector<int64_t>> results;
  double p50_us = 0.0;
  double p99_us = 0.0;
};

// Times search(query row) over every query, one at a time on this thread.
absl::StatusOr<Timed> TimeQueries(const Corpus& corpus,
                                  const std::function<absl::StatusOr<std::vector<int64_t>>(const float*)>& search) {
  Timed timed;
  std::vector<double> micros;
  for (int64_t row : corpus.query_rows) {
    const float* query = corpus.vectors.data() + row * corpus.dimension;
    const auto start = Clock::now();
    absl::StatusOr<std::vector<int64_t>> ids = search(query);
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    if (!ids.ok()) return ids.status();
    timed.results.push_back(*std::move(ids));
  }
  timed.p50_us = Percentile(micros, 50);
  timed.p99_us = Percentile(micros, 99);
  return timed;
}

double Recall(const Timed& found, const Timed& exact) {
  double sum = 0.0;
  for (size_t q = 0; q < exact.results.size(); ++q) {
    if (exact.results[q].empty()) {
      sum += 1.0;
      continue;
    }
    const absl::flat_hash_set<int64_t> truth(exact.results[q].begin(), exact.results[q].end());
    int hits = 0;
    for (int64_t id : found.results[q]) hits += truth.contains(id) ? 1 : 0;
    sum += static_cast<double>(hits) / static_cast<double>(truth.size());
  }
  return exact.results.empty() ? 0.0 : sum / static_cast<double>(exact.results.size());
}

// Selectivity 1.0 stands for "no filter".
std::vector<double> Selectivities() {
  std::vector<double> all = {1.0};
  all.insert(all.end(), std::begin(kFilterSelectivities), std::end(kFilterSelectivities));
  return all;
}

uint16_t CodeFor(const Corpus& corpus, double selectivity) {
  const auto it = corpus.country_code.find(CountryFor(selectivity));
  return it == corpus.country_code.end() ? 0 : it->second;
}

absl::StatusOr<std::unique_ptr<FaissVectorIndex>> BuildPollinatorIndex(const Corpus& corpus,
                                                                       const FaissVectorIndexOptions& index_options) {
  absl::StatusOr<std::unique_ptr<FaissVectorIndex>> index = FaissVectorIndex::Create(corpus.dimension, index_options);
  if (!index.ok()) return index.status();
  const size_t count = corpus.country.size();
  for (size_t begin = 0; begin < count; begin += kChunk) {
    const size_t end = std::min(count, begin + kChunk);
    std::vector<int64_t> ids;
    std::vector<VectorFacts> facts;
    for (size_t i = begin; i < end; ++i) {
      ids.push_back(static_cast<int64_t>(i));
      VectorFacts f;
      f.owner = static_cast<uint32_t>(i);
      f.country = corpus.country[i];
      facts.push_back(f);
    }
    absl::Status added = (*index)->Add(
        ids, absl::MakeConstSpan(corpus.vectors.data() + begin * corpus.dimension, (end - begin) * corpus.dimension),
        facts);
    if (!added.ok()) return added;
  }
  (*index)->WaitUntilIdle();
  return index;
}

absl::StatusOr<std::vector<int64_t>> SearchPollinator(const FaissVectorIndex& index, const float* query, int k,
                                                      uint16_t country) {
  SearchOptions search;
  search.k = k;
  if (country != 0) search.countries = {country};
  absl::StatusOr<std::vector<VectorHit>> hits = index.Search(absl::MakeConstSpan(query, index.dimension()), search);
  if (!hits.ok()) return hits.status();
  std::vector<int64_t> ids;
  for (const VectorHit& hit : *hits) ids.push_back(hit.id);
  return ids;
}

// FAISS filters for each selectivity's country: one bit per label (labels
// are rows), built once and shared by every FAISS index.
class CountrySelectors {
 public:
  explicit CountrySelectors(const Corpus& corpus) {
    for (double selectivity : kFilterSelectivities) {
      const uint16_t country = CodeFor(corpus, selectivity);
      std::vector<uint8_t>& bitmap = bitmaps_[selectivity];
      bitmap.assign((corpus.country.size() + 7) / 8, 0);
      for (size_t i = 0; i < corpus.country.size(); ++i) {
        if (corpus.country[i] == country) bitmap[i / 8] |= static_cast<uint8_t>(1u << (i % 8));
      }
      selectors_[selectivity] = std::make_unique<faiss::IDSelectorBitmap>(corpus.country.size(), bitmap.data());
    }
  }
  // Null for 1.0 (no filter).
  faiss::IDSelector* For(double selectivity) const {
    const auto it = selectors_.find(selectivity);
    return it == selectors_.end() ? nullptr : it->second.get();
  }

 private:
  std::map<double, std::vector<uint8_t>> bitmaps_;
  std::map<double, std::unique_ptr<faiss::IDSelectorBitmap>> selectors_;
};

std::vector<int64_t> Labels(const std::vector<faiss::Index::idx_t>& labels) {
  std::vector<int64_t> ids;
  for (faiss::Index::idx_t label : labels) {
    if (label >= 0) ids.push_back(label);
  }
  return ids;
}

}  // namespace

absl::StatusOr<RetrievalReport> CompareRetrieval(const std::vector<v1::Profile>& profiles,
                                                 const RetrievalOptions& options) {
  RetrievalReport report;
  auto start = Clock::now();
  const Corpus corpus = Embed(profiles, options);
  report.embed_s = Since(start);
  report.vectors = static_cast<int64_t>(corpus.country.size());
  const int64_t n = report.vectors;
  const int k = options.k;
  std::cerr << "scale_bench: retrieval: " << n << " vectors embedded in " << absl::StrFormat("%.1f", report.embed_s)
            << " s\n";
  const auto add_row = [&](const std::string& method, double selectivity, const Timed& timed, double recall,
                           double build_s) {
    report.rows.push_back({method, selectivity, timed.p50_us, timed.p99_us, recall, build_s});
  };
  // The exact scan's answers per selectivity: the ground truth of the others.
  std::map<double, Timed> exact;
  // One row per selectivity for `search`; without `exact` answers yet, this
  // is the exact scan and its answers become them.
  const auto add_rows = [&](const std::string& method, double build_s, const FilteredSearch& search) -> absl::Status {
    const bool is_exact = exact.empty();
    for (double selectivity : Selectivities()) {
      absl::StatusOr<Timed> timed = TimeQueries(corpus, [&](const float* q) { return search(q, selectivity); });
      if (!timed.ok()) return timed.status();
      add_row(method, selectivity, *timed, is_exact ? 1.0 : Recall(*timed, exact[selectivity]),
              selectivity == 1.0 ? build_s : -1.0);
      if (is_exact) exact[selectivity] = *std::move(timed);
    }
    return absl::OkStatus();
  };
  const auto pollinator_search = [&](const FaissVectorIndex& index) -> FilteredSearch {
    return [&index, &corpus, k](const float* q, double selectivity) {
      return SearchPollinator(index, q, k, selectivity < 1.0 ? CodeFor(corpus, selectivity) : 0);
    };
  };

  // Ground truth: Pollinator's exact scan (no graph, posting lists for the
  // country filters).
  {
    FaissVectorIndexOptions exact_options;
    exact_options.graph_min_vectors = std::numeric_limits<int64_t>::max();
    start = Clock::now();
    absl::StatusOr<std::unique_ptr<FaissVectorIndex>> index = BuildPollinatorIndex(corpus, exact_options);
    if (!index.ok()) return index.status();
    if (absl::Status s = add_rows("pollinator exact scan", Since(start), pollinator_search(**index)); !s.ok()) return s;
  }
  std::cerr << "scale_bench: retrieval: exact scans done\n";
  {
    start = Clock::now();
    absl::StatusOr<std::unique_ptr<FaissVectorIndex>> index = BuildPollinatorIndex(corpus, FaissVectorIndexOptions());
    if (!index.ok()) return index.status();
    absl::Status rows = add_rows("pollinator planner (HNSW)", Since(start), pollinator_search(**index));
    if (!rows.ok()) return rows;
    const VectorIndexStats stats = (*index)->Stats();
    report.notes.push_back(absl::StrFormat(
        "pollinator planner: %d graph searches, %d exact, %d graph answers redone exactly; graph covers %d of %d "
        "vectors; built by one linker thread",
        stats.graph_searches, stats.exact_searches, stats.graph_fallbacks, stats.graph_vectors, stats.live));
  }
  std::cerr << "scale_bench: retrieval: Pollinator graph done\n";

  const CountrySelectors selectors(corpus);
  // `params.sel` is set per search to the selectivity's selector (none
  // unfiltered).
  const auto faiss_search = [&](const faiss::Index& index, faiss::SearchParameters& params) -> FilteredSearch {
    return [&index, &params, &selectors, k](const float* q, double selectivity) -> absl::StatusOr<std::vector<int64_t>> {
      params.sel = selectors.For(selectivity);
      std::vector<float> distances(k);
      std::vector<faiss::Index::idx_t> labels(k);
      index.search(1, q, k, distances.data(), labels.data(), &params);
      return Labels(labels);
    };
  };
  try {
    faiss::IndexFlatIP flat(corpus.dimension);
    start = Clock::now();
    flat.add(n, corpus.vectors.data());
    faiss::SearchParameters params;
    if (absl::Status s = add_rows("FAISS IndexFlatIP", Since(start), faiss_search(flat, params)); !s.ok()) return s;
  } catch (const faiss::FaissException& e) {
    report.notes.push_back(absl::StrCat("FAISS IndexFlatIP: ", e.what()));
  }
  std::cerr << "scale_bench: retrieval: FAISS flat done\n";
  try {
    faiss::IndexHNSWFlat hnsw(corpus.dimension, kHnswM, faiss::METRIC_INNER_PRODUCT);
    hnsw.hnsw.efConstruction = kEfConstruction;
    start = Clock::now();
    hnsw.add(n, corpus.vectors.data());
    const double build_s = Since(start);
    faiss::SearchParametersHNSW params;
    params.efSearch = std::max(kEfSearch, k);
    // FAISS 1.7.3 sizes the search list from the member, not from params.
    hnsw.hnsw.efSearch = params.efSearch;
    absl::Status rows = add_rows("FAISS IndexHNSWFlat (filter inside)", build_s, faiss_search(hnsw, params));
    if (!rows.ok()) return rows;
  } catch (const faiss::FaissException& e) {
    report.notes.push_back(absl::StrCat("FAISS IndexHNSWFlat: ", e.what()));
  }
  std::cerr << "scale_bench: retrieval: FAISS HNSW done\n";
  {
    start = Clock::now();
    HnswlibIndex hnswlib(corpus.vectors.data(), n, corpus.dimension, kHnswM, kEfConstruction, options.threads);
    const double build_s = Since(start);
    hnswlib.SetEf(std::max(kEfSearch, k));
    absl::StatusOr<Timed> timed = TimeQueries(
        corpus, [&](const float* q) -> absl::StatusOr<std::vector<int64_t>> { return hnswlib.Search(q, k); });
    if (!timed.ok()) return timed.status();
    add_row(HnswlibIndex::UsesAvx() ? "hnswlib (AVX)" : "hnswlib (no AVX)", 1.0, *timed, Recall(*timed, exact[1.0]),
            build_s);
    report.notes.push_back(
        "hnswlib 0.6.2 has no search-time filter, so it is timed without one; graphs: M 16, efConstruction 64, "
        "efSearch 64");
  }
  return report;
}

}  // namespace pollinator
