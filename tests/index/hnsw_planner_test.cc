// FaissVectorIndex above graph_min_vectors: the HNSW graph, the planner that
// chooses between it and an exact scan, posting lists, tombstones with the
// background compaction, and the graph kept across Save and Load. Each index
// under test is compared with an exact one (no graph) over the same vectors.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "index/faiss_vector_index.h"
#include "index/vector_math.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace pollinator {
namespace {

using ::pollinator::testing::IsOk;
using ::pollinator::testing::StatusIs;
using ::pollinator::testing::TempDir;

constexpr int kDim = 32;
constexpr int kK = 20;

// Vectors around 40 topics, as texts embed: neighbours are meaningful, which
// i.i.d. noise (pathological for HNSW) would not give.
struct Corpus {
  std::vector<int64_t> ids;
  std::vector<float> vectors;
  std::vector<VectorFacts> facts;

  absl::Span<const float> Row(size_t i) const {
    return absl::Span<const float>(vectors).subspan(i * kDim, kDim);
  }
};

Corpus MakeCorpus(int count, uint32_t seed, int64_t first_id = 1) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<std::vector<float>> topics(40, std::vector<float>(kDim));
  std::mt19937 topic_rng(7);  // the same topics for every corpus
  for (auto& topic : topics) {
    for (float& x : topic) x = normal(topic_rng);
  }
  Corpus corpus;
  for (int i = 0; i < count; ++i) {
    const std::vector<float>& topic = topics[rng() % topics.size()];
    std::vector<float> v(kDim);
    for (int j = 0; j < kDim; ++j) v[j] = topic[j] + 0.6f * normal(rng);
    NormalizeInPlace(v);
    corpus.ids.push_back(first_id + i);
    corpus.vectors.insert(corpus.vectors.end(), v.begin(), v.end());
    VectorFacts facts;
    facts.owner = static_cast<uint32_t>(i);
    // Countries 1..10 in equal shares, kinds 1..4.
    facts.country = static_cast<uint16_t>(1 + i % 10);
    facts.kind = static_cast<uint8_t>(1 + i % 4);
    corpus.facts.push_back(facts);
  }
  return corpus;
}

FaissVectorIndexOptions GraphOptions() {
  FaissVectorIndexOptions options;
  options.graph_min_vectors = 1000;
  return options;
}

std::unique_ptr<FaissVectorIndex> MakeIndex(const Corpus& corpus, const FaissVectorIndexOptions& options) {
  auto index = FaissVectorIndex::Create(kDim, options);
  EXPECT_THAT(index, IsOk());
  EXPECT_THAT((*index)->Add(corpus.ids, corpus.vectors, corpus.facts), IsOk());
  (*index)->WaitUntilIdle();
  return std::move(*index);
}

std::vector<int64_t> HitIds(const absl::StatusOr<std::vector<VectorHit>>& hits) {
  EXPECT_THAT(hits, IsOk());
  std::vector<int64_t> ids;
  if (hits.ok()) {
    for (const VectorHit& hit : *hits) ids.push_back(hit.id);
  }
  return ids;
}

double Recall(const std::vector<int64_t>& found, const std::vector<int64_t>& exact) {
  if (exact.empty()) return 1.0;
  const std::set<int64_t> truth(exact.begin(), exact.end());
  int hit = 0;
  for (const int64_t id : found) hit += truth.count(id);
  return static_cast<double>(hit) / static_cast<double>(exact.size());
}

// Owners whose number is divisible by `every` pass.
SearchOptions EveryNth(int every) {
  SearchOptions options;
  options.k = kK;
  options.filter = [every](int64_t, const VectorFacts& facts) { return facts.owner % every == 0; };
  return options;
}

TEST(HnswPlannerTest, TheGraphIsBuiltInTheBackgroundOnceTheIndexIsLarge) {
  const Corpus corpus = MakeCorpus(3000, 1);
  auto small = FaissVectorIndex::Create(kDim, GraphOptions());
  ASSERT_THAT(small, IsOk());
  const std::vector<int64_t> first(corpus.ids.begin(), corpus.ids.begin() + 999);
  ASSERT_THAT((*small)->Add(first, absl::Span<const float>(corpus.vectors).subspan(0, 999 * kDim)), IsOk());
  (*small)->WaitUntilIdle();
  EXPECT_EQ((*small)->Stats().graph_vectors, 0) << "below graph_min_vectors every search is exact";

  auto index = MakeIndex(corpus, GraphOptions());
  const VectorIndexStats stats = index->Stats();
  EXPECT_EQ(stats.graph_vectors, 3000);
  EXPECT_EQ(stats.live, 3000);
  EXPECT_GE(stats.compactions, 1);
}

TEST(HnswPlannerTest, GraphSearchesReachExactRecallAtBroadSelectivities) {
  const Corpus corpus = MakeCorpus(6000, 2);
  auto graph = MakeIndex(corpus, GraphOptions());
  auto exact = MakeIndex(corpus, FaissVectorIndexOptions());
  ASSERT_EQ(exact->Stats().graph_vectors, 0);
  for (const int every : {1, 2, 5, 10}) {
    const int64_t graph_before = graph->Stats().graph_searches;
    double recall = 0.0;
    const int queries = 100;
    for (int q = 0; q < queries; ++q) {
      SearchOptions options = every == 1 ? SearchOptions{kK, {}} : EveryNth(every);
      const absl::Span<const float> query = corpus.Row(static_cast<size_t>(q * 37 % 6000));
      const std::vector<int64_t> found = HitIds(graph->Search(query, options));
      const std::vector<int64_t> truth = HitIds(exact->Search(query, options));
      ASSERT_EQ(found.size(), static_cast<size_t>(kK));
      recall += Recall(found, truth) / queries;
      for (const int64_t id : found) EXPECT_EQ((id - 1) % every, 0) << "the filter holds inside the graph";
    }
    EXPECT_GE(recall, 0.95) << "1 in " << every << " passes";
    EXPECT_EQ(graph->Stats().graph_searches - graph_before, queries) << "the planner chose the graph";
  }
}

TEST(HnswPlannerTest, SelectiveFiltersAreScannedExactly) {
  const Corpus corpus = MakeCorpus(6000, 3);
  auto graph = MakeIndex(corpus, GraphOptions());
  auto exact = MakeIndex(corpus, FaissVectorIndexOptions());
  const VectorIndexStats before = graph->Stats();
  for (int q = 0; q < 20; ++q) {
    const absl::Span<const float> query = corpus.Row(static_cast<size_t>(q * 101));
    // 1 in 100 passes, below min_graph_selectivity (5 %).
    EXPECT_EQ(HitIds(graph->Search(query, EveryNth(100))), HitIds(exact->Search(query, EveryNth(100))));
  }
  const VectorIndexStats after = graph->Stats();
  EXPECT_EQ(after.exact_searches - before.exact_searches, 20);
  EXPECT_EQ(after.graph_searches, before.graph_searches);
}

// A profile's vectors sit in consecutive slots, so sides repeat every few
// slots. 5,120 slots give a sampling stride of 10, a multiple of the period
// 5: a strided sample would see one side only and read a filter admitting
// another side as admitting nothing, sending every search to an exact scan.
TEST(HnswPlannerTest, SelectivityIsEstimatedWithoutAliasingOnRepeatingLayouts) {
  Corpus corpus = MakeCorpus(5120, 11);
  for (size_t i = 0; i < corpus.facts.size(); ++i) corpus.facts[i].side = static_cast<uint8_t>(1 + i % 5);
  auto graph = MakeIndex(corpus, GraphOptions());
  auto exact = MakeIndex(corpus, FaissVectorIndexOptions());
  for (const uint8_t side : {1, 2, 3, 4, 5}) {
    SearchOptions options;
    options.k = kK;
    options.filter = [side](int64_t, const VectorFacts& facts) { return facts.side == side; };
    const VectorIndexStats before = graph->Stats();
    double recall = 0.0;
    const int queries = 20;
    for (int q = 0; q < queries; ++q) {
      const absl::Span<const float> query = corpus.Row(static_cast<size_t>(q * 97));
      const std::vector<int64_t> found = HitIds(graph->Search(query, options));
      ASSERT_EQ(found.size(), static_cast<size_t>(kK));
      for (const int64_t id : found) EXPECT_EQ(corpus.facts[static_cast<size_t>(id - 1)].side, side);
      recall += Recall(found, HitIds(exact->Search(query, options))) / queries;
    }
    const VectorIndexStats after = graph->Stats();
    EXPECT_EQ(after.graph_searches - before.graph_searches, queries) << "side " << int{side} << " admits 20 %";
    EXPECT_EQ(after.exact_searches, before.exact_searches) << "side " << int{side};
    EXPECT_GE(recall, 0.95) << "side " << int{side};
  }
}

TEST(HnswPlannerTest, SideConstraintsUsePostingListsAndHold) {
  Corpus corpus = MakeCorpus(6000, 12);
  for (size_t i = 0; i < corpus.facts.size(); ++i) corpus.facts[i].side = static_cast<uint8_t>(1 + i % 3);
  FaissVectorIndexOptions exact_only = GraphOptions();
  exact_only.min_graph_selectivity = 1.0;  // every search scans the side's list
  for (const FaissVectorIndexOptions& options : {GraphOptions(), exact_only}) {
    auto index = MakeIndex(corpus, options);
    auto exact = MakeIndex(corpus, FaissVectorIndexOptions());
    SearchOptions search;
    search.k = kK;
    search.sides = {2};
    for (int q = 0; q < 10; ++q) {
      const absl::Span<const float> query = corpus.Row(static_cast<size_t>(q * 173));
      const std::vector<int64_t> ids = HitIds(index->Search(query, search));
      ASSERT_EQ(ids.size(), static_cast<size_t>(kK));
      for (const int64_t id : ids) EXPECT_EQ(corpus.facts[static_cast<size_t>(id - 1)].side, 2);
      const std::vector<int64_t> truth = HitIds(exact->Search(query, search));
      if (options.min_graph_selectivity == 1.0) {
        EXPECT_EQ(ids, truth) << "the exact scan of the side's list";
      } else {
        EXPECT_GE(Recall(ids, truth), 0.95);
      }
    }
    search.sides = {9};  // no vector has this side
    EXPECT_TRUE(HitIds(index->Search(corpus.Row(0), search)).empty());
  }
}

// SearchEach gives each query exactly what Search gives it, whether the
// planner scans (one pass for all queries: the exact searches counted are
// one per query all the same) or searches the graph, with and without
// filters, including an empty answer.
TEST(HnswPlannerTest, SearchEachAnswersEveryQueryAsSearchDoes) {
  Corpus corpus = MakeCorpus(6000, 21);
  for (size_t i = 0; i < corpus.facts.size(); ++i) corpus.facts[i].side = static_cast<uint8_t>(1 + i % 3);
  FaissVectorIndexOptions exact_only = GraphOptions();
  exact_only.min_graph_selectivity = 1.0;
  std::vector<float> queries;
  for (int q = 0; q < 7; ++q) {
    const absl::Span<const float> row = corpus.Row(static_cast<size_t>(q * 431 + 5));
    queries.insert(queries.end(), row.begin(), row.end());
  }
  std::vector<SearchOptions> searches(4);
  searches[0].k = kK;
  searches[1].k = kK;
  searches[1].sides = {2};
  searches[2] = EveryNth(7);
  searches[2].countries = {3, 4};
  searches[3].k = kK;
  searches[3].sides = {9};  // nothing passes
  for (const FaissVectorIndexOptions& options : {GraphOptions(), exact_only, FaissVectorIndexOptions()}) {
    auto index = MakeIndex(corpus, options);
    for (size_t s = 0; s < searches.size(); ++s) {
      const int64_t exact_before = index->Stats().exact_searches;
      absl::StatusOr<std::vector<std::vector<VectorHit>>> each =
          index->SearchEach(queries, searches[s]);
      ASSERT_THAT(each, IsOk());
      ASSERT_EQ(each->size(), 7u);
      const int64_t exact_each = index->Stats().exact_searches - exact_before;
      for (size_t q = 0; q < 7; ++q) {
        absl::StatusOr<std::vector<VectorHit>> one =
            index->Search(absl::Span<const float>(queries).subspan(q * kDim, kDim), searches[s]);
        ASSERT_THAT(one, IsOk());
        ASSERT_EQ((*each)[q].size(), one->size()) << "search " << s << ", query " << q;
        for (size_t h = 0; h < one->size(); ++h) {
          EXPECT_EQ((*each)[q][h].id, (*one)[h].id) << "search " << s << ", query " << q << ", hit " << h;
          EXPECT_EQ((*each)[q][h].similarity, (*one)[h].similarity);
        }
      }
      const int64_t exact_one_by_one = index->Stats().exact_searches - exact_before - exact_each;
      EXPECT_EQ(exact_each, exact_one_by_one) << "search " << s;
    }
  }
  auto index = MakeIndex(corpus, exact_only);
  EXPECT_THAT(index->SearchEach(absl::Span<const float>(queries).subspan(0, kDim + 1), searches[0]),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(index->SearchEach({}, searches[0]), StatusIs(absl::StatusCode::kInvalidArgument));
}

// A filter that admits only the vectors farthest from the query: the
// graph's first pass, spent near the query, comes back short.
TEST(HnswPlannerTest, ShortGraphAnswersAreSearchedAgainBeforeAnExactScan) {
  const Corpus corpus = MakeCorpus(30000, 13);
  auto graph = MakeIndex(corpus, GraphOptions());
  auto exact = MakeIndex(corpus, FaissVectorIndexOptions());
  for (int q = 0; q < 5; ++q) {
    const absl::Span<const float> query = corpus.Row(static_cast<size_t>(q * 7919 % 30000));
    std::vector<std::pair<float, size_t>> by_similarity;
    for (size_t i = 0; i < corpus.ids.size(); ++i) by_similarity.emplace_back(Dot(query, corpus.Row(i)), i);
    std::sort(by_similarity.begin(), by_similarity.end());
    auto admitted = std::make_shared<std::vector<bool>>(corpus.ids.size(), false);
    for (size_t i = 0; i < corpus.ids.size() * 3 / 10; ++i) (*admitted)[by_similarity[i].second] = true;
    SearchOptions options;
    options.k = kK;
    options.filter = [admitted](int64_t, const VectorFacts& facts) { return (*admitted)[facts.owner]; };
    const VectorIndexStats before = graph->Stats();
    const std::vector<int64_t> found = HitIds(graph->Search(query, options));
    const VectorIndexStats after = graph->Stats();
    ASSERT_EQ(found.size(), static_cast<size_t>(kK));
    for (const int64_t id : found) EXPECT_TRUE((*admitted)[static_cast<size_t>(id - 1)]);
    EXPECT_EQ(after.graph_searches - before.graph_searches, 1);
    EXPECT_GE(after.graph_retries - before.graph_retries, 1) << "the short first pass is searched again";
    const bool redone = after.graph_fallbacks > before.graph_fallbacks;
    EXPECT_EQ(after.exact_searches - before.exact_searches, redone ? 1 : 0);
    EXPECT_GE(Recall(found, HitIds(exact->Search(query, options))), redone ? 1.0 : 0.9);
  }
}

TEST(HnswPlannerTest, CountryAndKindConstraintsUsePostingListsAndHold) {
  const Corpus corpus = MakeCorpus(6000, 4);
  auto graph = MakeIndex(corpus, GraphOptions());
  auto exact = MakeIndex(corpus, FaissVectorIndexOptions());
  SearchOptions options;
  options.k = kK;
  options.countries = {3};
  options.kinds = {3, 4};
  // Country 3 (owners 2 mod 10, 10 %) of kind 3 (2 mod 4) or 4 (3 mod 4,
  // none of them): owners 2 mod 20 pass, 5 %; the country list is the
  // shorter one.
  const int64_t exact_before = graph->Stats().exact_searches;
  for (int q = 0; q < 10; ++q) {
    const absl::Span<const float> query = corpus.Row(static_cast<size_t>(q * 211));
    const absl::StatusOr<std::vector<VectorHit>> hits = graph->Search(query, options);
    const std::vector<int64_t> ids = HitIds(hits);
    ASSERT_EQ(ids.size(), static_cast<size_t>(kK));
    for (const int64_t id : ids) {
      const VectorFacts& facts = corpus.facts[static_cast<size_t>(id - 1)];
      EXPECT_EQ(facts.country, 3);
      EXPECT_EQ(facts.kind, 3);
    }
    EXPECT_GE(Recall(ids, HitIds(exact->Search(query, options))), 0.95);
  }
  options.countries = {42};  // nobody
  EXPECT_TRUE(HitIds(graph->Search(corpus.Row(0), options)).empty());
  EXPECT_GT(graph->Stats().exact_searches, exact_before);
}

TEST(HnswPlannerTest, FiltersTooSelectiveForTheGraphStillFillK) {
  const Corpus corpus = MakeCorpus(4000, 5);
  FaissVectorIndexOptions options = GraphOptions();
  // Force the graph even at 0.5 %: short answers must be redone exactly.
  options.min_graph_selectivity = 0.001;
  auto graph = MakeIndex(corpus, options);
  auto exact = MakeIndex(corpus, FaissVectorIndexOptions());
  for (int q = 0; q < 20; ++q) {
    const absl::Span<const float> query = corpus.Row(static_cast<size_t>(q * 57));
    const std::vector<int64_t> found = HitIds(graph->Search(query, EveryNth(200)));
    EXPECT_EQ(found.size(), static_cast<size_t>(kK));
    EXPECT_GE(Recall(found, HitIds(exact->Search(query, EveryNth(200)))), 0.9);
  }
}

TEST(HnswPlannerTest, TombstonesAreNeverReturnedAndCompactionKeepsTheAnswers) {
  const Corpus corpus = MakeCorpus(5000, 6);
  auto graph = MakeIndex(corpus, GraphOptions());
  std::vector<int64_t> removed;
  for (int64_t id = 1; id <= 5000; id += 3) removed.push_back(id);  // a third
  const std::set<int64_t> gone(removed.begin(), removed.end());

  // Searches run while the removal and the compaction it triggers go on.
  std::atomic<bool> done{false};
  std::atomic<int> returned_removed{0};
  std::atomic<int> searches{0};
  std::thread searcher([&] {
    while (!done) {
      const absl::StatusOr<std::vector<VectorHit>> hits = graph->Search(corpus.Row(4), SearchOptions{kK, {}});
      ASSERT_THAT(hits, IsOk());
      ++searches;
    }
  });
  ASSERT_THAT(graph->Remove(removed), IsOk());
  // Held in a variable: a range-for over *Search(...) would read a
  // destroyed temporary.
  const absl::StatusOr<std::vector<VectorHit>> after_removal = graph->Search(corpus.Row(4), SearchOptions{kK, {}});
  ASSERT_THAT(after_removal, IsOk());
  for (const VectorHit& hit : *after_removal) {
    if (gone.count(hit.id)) ++returned_removed;
  }
  graph->WaitUntilIdle();
  done = true;
  searcher.join();
  EXPECT_EQ(returned_removed, 0);
  EXPECT_GT(searches, 0);

  const VectorIndexStats stats = graph->Stats();
  EXPECT_EQ(stats.tombstones, 0) << "the compaction dropped the removed slots";
  EXPECT_EQ(stats.slots, 5000 - static_cast<int64_t>(removed.size()));
  EXPECT_EQ(stats.graph_vectors, stats.slots);
  EXPECT_GE(stats.compactions, 2);

  // The compacted index answers like an exact index of the survivors.
  Corpus survivors;
  for (size_t i = 0; i < corpus.ids.size(); ++i) {
    if (gone.count(corpus.ids[i])) continue;
    survivors.ids.push_back(corpus.ids[i]);
    const absl::Span<const float> row = corpus.Row(i);
    survivors.vectors.insert(survivors.vectors.end(), row.begin(), row.end());
    survivors.facts.push_back(corpus.facts[i]);
  }
  auto exact = MakeIndex(survivors, FaissVectorIndexOptions());
  double recall = 0.0;
  for (int q = 0; q < 50; ++q) {
    const absl::Span<const float> query = corpus.Row(static_cast<size_t>(q * 89));
    const std::vector<int64_t> found = HitIds(graph->Search(query, SearchOptions{kK, {}}));
    for (const int64_t id : found) EXPECT_EQ(gone.count(id), 0u);
    recall += Recall(found, HitIds(exact->Search(query, SearchOptions{kK, {}}))) / 50;
  }
  EXPECT_GE(recall, 0.95);
  EXPECT_EQ(graph->Ids(), exact->Ids());
}

TEST(HnswPlannerTest, WritesDuringTheBackgroundBuildAreKept) {
  const Corpus corpus = MakeCorpus(3000, 7);
  auto index = FaissVectorIndex::Create(kDim, GraphOptions());
  ASSERT_THAT(index, IsOk());
  // 2000 vectors start the build; 1000 more and 200 removals land while
  // it runs (or after: either way nothing may be lost).
  const auto span = [&](size_t begin, size_t end) {
    return std::make_pair(absl::Span<const int64_t>(corpus.ids).subspan(begin, end - begin),
                          absl::Span<const float>(corpus.vectors).subspan(begin * kDim, (end - begin) * kDim));
  };
  auto [ids1, vectors1] = span(0, 2000);
  ASSERT_THAT((*index)->Add(ids1, vectors1), IsOk());
  auto [ids2, vectors2] = span(2000, 3000);
  ASSERT_THAT((*index)->Add(ids2, vectors2), IsOk());
  std::vector<int64_t> removed;
  for (int64_t id = 1; id <= 2000; id += 10) removed.push_back(id);
  ASSERT_THAT((*index)->Remove(removed), IsOk());
  (*index)->WaitUntilIdle();

  std::vector<int64_t> expected;
  for (int64_t id = 1; id <= 3000; ++id) {
    if ((id - 1) % 10 != 0 || id > 2000) expected.push_back(id);
  }
  EXPECT_EQ((*index)->Ids(), expected);
  const VectorIndexStats stats = (*index)->Stats();
  EXPECT_EQ(stats.live, 2800);
  EXPECT_EQ(stats.graph_vectors, stats.slots);
  // Vectors added during the build are found through the graph.
  int found_self = 0;
  for (size_t i = 2000; i < 3000; i += 50) {
    const absl::StatusOr<std::vector<VectorHit>> hits = (*index)->Search(corpus.Row(i), SearchOptions{kK, {}});
    ASSERT_THAT(hits, IsOk());
    if (!hits->empty() && (*hits)[0].id == corpus.ids[i]) ++found_self;
  }
  EXPECT_EQ(found_self, 20);
}

TEST(HnswPlannerTest, WrittenVectorsAreFoundBeforeAndAfterTheyAreLinked) {
  const Corpus corpus = MakeCorpus(4000, 11);
  auto index = FaissVectorIndex::Create(kDim, GraphOptions());
  ASSERT_THAT(index, IsOk());
  const auto ids = absl::Span<const int64_t>(corpus.ids);
  const auto vectors = absl::Span<const float>(corpus.vectors);
  ASSERT_THAT((*index)->Add(ids.subspan(0, 3000), vectors.subspan(0, 3000 * kDim)), IsOk());
  (*index)->WaitUntilIdle();
  ASSERT_EQ((*index)->Stats().graph_vectors, 3000);
  // A write only appends: whether or not the linker has reached them yet,
  // the new vectors are searchable at once (the unlinked ones exactly).
  for (size_t begin = 3000; begin < 4000; begin += 100) {
    ASSERT_THAT((*index)->Add(ids.subspan(begin, 100), vectors.subspan(begin * kDim, 100 * kDim)), IsOk());
    for (size_t i = begin; i < begin + 100; i += 25) {
      const absl::StatusOr<std::vector<VectorHit>> hits = (*index)->Search(corpus.Row(i), SearchOptions{kK, {}});
      ASSERT_THAT(hits, IsOk());
      ASSERT_FALSE(hits->empty());
      EXPECT_EQ((*hits)[0].id, corpus.ids[i]);
    }
  }
  (*index)->WaitUntilIdle();
  const VectorIndexStats stats = (*index)->Stats();
  EXPECT_EQ(stats.graph_vectors, 4000) << "the linker linked every written slot";
  for (size_t i = 3000; i < 4000; i += 50) {
    const absl::StatusOr<std::vector<VectorHit>> hits = (*index)->Search(corpus.Row(i), SearchOptions{kK, {}});
    ASSERT_THAT(hits, IsOk());
    EXPECT_EQ((*hits)[0].id, corpus.ids[i]) << "found through the graph";
  }
}

TEST(HnswPlannerTest, SaveAndLoadKeepTheGraphAndTheFactsAreSetAgain) {
  TempDir dir;
  const Corpus corpus = MakeCorpus(4000, 8);
  auto index = MakeIndex(corpus, GraphOptions());
  ASSERT_THAT(index->Remove(std::vector<int64_t>{5, 6, 7}), IsOk());
  ASSERT_THAT(index->Save(dir.Sub("graph.idx"), 12), IsOk());

  auto loaded = FaissVectorIndex::Load(dir.Sub("graph.idx"), GraphOptions());
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->tag, 12);
  const VectorIndexStats stats = loaded->index->Stats();
  EXPECT_EQ(stats.graph_vectors, 4000) << "the graph comes from the file";
  EXPECT_EQ(stats.compactions, 0) << "nothing was rebuilt";
  EXPECT_EQ(stats.tombstones, 3);
  EXPECT_EQ(loaded->index->Ids(), index->Ids());

  // Without facts, a facts filter passes nobody; once set, it matches.
  const SearchOptions even = EveryNth(2);
  EXPECT_TRUE(HitIds(loaded->index->Search(corpus.Row(1), SearchOptions{kK, {}, {3}, {}})).empty());
  std::vector<int64_t> live_ids;
  std::vector<VectorFacts> live_facts;
  for (size_t i = 0; i < corpus.ids.size(); ++i) {
    if (corpus.ids[i] >= 5 && corpus.ids[i] <= 7) continue;
    live_ids.push_back(corpus.ids[i]);
    live_facts.push_back(corpus.facts[i]);
  }
  ASSERT_THAT(loaded->index->SetFacts(live_ids, live_facts), IsOk());
  for (int q = 0; q < 20; ++q) {
    const absl::Span<const float> query = corpus.Row(static_cast<size_t>(q * 173));
    EXPECT_EQ(HitIds(loaded->index->Search(query, even)), HitIds(index->Search(query, even)));
    EXPECT_EQ(HitIds(loaded->index->Search(query, SearchOptions{kK, {}})),
              HitIds(index->Search(query, SearchOptions{kK, {}})));
  }
  EXPECT_THAT(loaded->index->SetFacts(std::vector<int64_t>{5}, std::vector<VectorFacts>(1)),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(HnswPlannerTest, ACorruptGraphIsRefused) {
  TempDir dir;
  auto index = MakeIndex(MakeCorpus(1500, 9), GraphOptions());
  ASSERT_THAT(index->Save(dir.Sub("a.idx"), 1), IsOk());
  std::string bytes;
  {
    std::ifstream in(dir.Sub("a.idx"), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  bytes[bytes.size() - 20] ^= 0x40;  // inside the graph's neighbour table
  {
    std::ofstream out(dir.Sub("b.idx"), std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  EXPECT_THAT(FaissVectorIndex::Load(dir.Sub("b.idx")), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(HnswPlannerTest, AddRefusesIdsAlreadyPresentAndBadOptions) {
  auto index = MakeIndex(MakeCorpus(10, 10), FaissVectorIndexOptions());
  const std::vector<float> vector(kDim, 0.25f);
  EXPECT_THAT(index->Add(std::vector<int64_t>{3}, vector), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(index->Add(std::vector<int64_t>{100, 100}, std::vector<float>(2 * kDim, 0.25f)),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(index->size(), 10);
  FaissVectorIndexOptions bad;
  bad.min_graph_selectivity = 0.0;
  EXPECT_THAT(FaissVectorIndex::Create(kDim, bad), StatusIs(absl::StatusCode::kInvalidArgument));
  bad = FaissVectorIndexOptions();
  bad.hnsw_m = 1;
  EXPECT_THAT(FaissVectorIndex::Create(kDim, bad), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace pollinator
