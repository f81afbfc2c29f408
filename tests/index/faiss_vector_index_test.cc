#include "index/faiss_vector_index.h"

#include <cmath>
#include <fstream>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "index/vector_math.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace pollinator {
namespace {

using ::pollinator::testing::IsOk;
using ::pollinator::testing::StatusIs;
using ::pollinator::testing::TempDir;
using ::testing::ElementsAre;

constexpr int kDim = 8;

std::vector<float> RandomUnitVectors(int count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> all;
  for (int i = 0; i < count; ++i) {
    std::vector<float> v(kDim);
    for (float& x : v) x = normal(rng);
    NormalizeInPlace(v);
    all.insert(all.end(), v.begin(), v.end());
  }
  return all;
}

std::unique_ptr<FaissVectorIndex> MakeIndex(int count, uint32_t seed, std::vector<float>* vectors_out = nullptr) {
  auto index = FaissVectorIndex::Create(kDim);
  EXPECT_THAT(index, IsOk());
  std::vector<float> vectors = RandomUnitVectors(count, seed);
  std::vector<int64_t> ids(count);
  for (int i = 0; i < count; ++i) ids[i] = 1000 + i;
  EXPECT_THAT((*index)->Add(ids, vectors), IsOk());
  if (vectors_out) *vectors_out = vectors;
  return std::move(*index);
}

absl::Span<const float> Row(const std::vector<float>& all, int i) {
  return absl::Span<const float>(all).subspan(static_cast<size_t>(i) * kDim, kDim);
}

TEST(FaissVectorIndexTest, FindsExactVectorFirst) {
  std::vector<float> vectors;
  auto index = MakeIndex(200, 1, &vectors);
  auto hits = index->Search(Row(vectors, 42), SearchOptions{5, {}});
  ASSERT_THAT(hits, IsOk());
  ASSERT_EQ(hits->size(), 5u);
  EXPECT_EQ((*hits)[0].id, 1042);
  EXPECT_NEAR((*hits)[0].similarity, 1.0f, 1e-5);
}

TEST(FaissVectorIndexTest, FilterIsAppliedInsideSearchAndFillsK) {
  std::vector<float> vectors;
  auto index = MakeIndex(1000, 2, &vectors);
  // 0.5% selectivity: only ids divisible by 200 pass.
  SearchOptions options;
  options.k = 5;
  options.filter = [](int64_t id, const VectorFacts&) { return id % 200 == 0; };
  auto hits = index->Search(Row(vectors, 3), options);
  ASSERT_THAT(hits, IsOk());
  ASSERT_EQ(hits->size(), 5u);
  for (const VectorHit& hit : *hits) EXPECT_EQ(hit.id % 200, 0);
}

TEST(FaissVectorIndexTest, RemovedIdsAreNeverReturned) {
  std::vector<float> vectors;
  auto index = MakeIndex(50, 3, &vectors);
  const std::vector<int64_t> removed = {1007};
  ASSERT_THAT(index->Remove(removed), IsOk());
  EXPECT_EQ(index->size(), 49);
  auto hits = index->Search(Row(vectors, 7), SearchOptions{49, {}});
  ASSERT_THAT(hits, IsOk());
  for (const VectorHit& hit : *hits) EXPECT_NE(hit.id, 1007);
  EXPECT_THAT(index->Get(1007), StatusIs(absl::StatusCode::kNotFound));
}

TEST(FaissVectorIndexTest, GetReturnsStoredVector) {
  std::vector<float> vectors;
  auto index = MakeIndex(10, 4, &vectors);
  auto v = index->Get(1003);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(*v, std::vector<float>(Row(vectors, 3).begin(), Row(vectors, 3).end()));
}

TEST(FaissVectorIndexTest, SimilaritiesAreInnerProductsPerIdAndQueryWithNanForUnknownIds) {
  std::vector<float> vectors;
  auto index = MakeIndex(20, 6, &vectors);
  std::vector<float> queries(Row(vectors, 2).begin(), Row(vectors, 2).end());
  queries.insert(queries.end(), Row(vectors, 9).begin(), Row(vectors, 9).end());
  const std::vector<int64_t> ids = {1005, 42, 1009};
  std::vector<float> out(ids.size() * 2);
  ASSERT_THAT(index->Similarities(queries, ids, absl::MakeSpan(out)), IsOk());
  EXPECT_NEAR(out[0], Dot(Row(vectors, 5), Row(vectors, 2)), 1e-5);
  EXPECT_NEAR(out[1], Dot(Row(vectors, 5), Row(vectors, 9)), 1e-5);
  EXPECT_TRUE(std::isnan(out[2]));
  EXPECT_TRUE(std::isnan(out[3]));
  EXPECT_NEAR(out[4], Dot(Row(vectors, 9), Row(vectors, 2)), 1e-5);
  EXPECT_NEAR(out[5], 1.0f, 1e-5);
  // Queries that are not whole vectors, and an output of the wrong size.
  EXPECT_THAT(index->Similarities(absl::MakeSpan(queries).subspan(1), ids, absl::MakeSpan(out)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(index->Similarities(queries, ids, absl::MakeSpan(out).subspan(1)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(FaissVectorIndexTest, RejectsWrongDimensions) {
  auto index = MakeIndex(3, 5);
  std::vector<float> short_query(kDim - 1, 0.1f);
  EXPECT_THAT(index->Search(short_query, SearchOptions{}), StatusIs(absl::StatusCode::kInvalidArgument));
  const std::vector<int64_t> ids = {1, 2};
  EXPECT_THAT(index->Add(ids, std::vector<float>(kDim, 0.0f)), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(FaissVectorIndexTest, SaveAndLoadRoundTripWithTag) {
  TempDir dir;
  std::vector<float> vectors;
  auto index = MakeIndex(100, 6, &vectors);
  ASSERT_THAT(index->Save(dir.Sub("a.faiss"), 77), IsOk());
  auto loaded = FaissVectorIndex::Load(dir.Sub("a.faiss"));
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->tag, 77);
  EXPECT_EQ(loaded->index->Ids(), index->Ids());
  auto before = index->Search(Row(vectors, 9), SearchOptions{10, {}});
  auto after = loaded->index->Search(Row(vectors, 9), SearchOptions{10, {}});
  ASSERT_THAT(before, IsOk());
  ASSERT_THAT(after, IsOk());
  ASSERT_EQ(before->size(), after->size());
  for (size_t i = 0; i < before->size(); ++i) EXPECT_EQ((*before)[i].id, (*after)[i].id);
}

TEST(FaissVectorIndexTest, LoadDetectsMissingTruncatedAndCorruptFiles) {
  TempDir dir;
  EXPECT_THAT(FaissVectorIndex::Load(dir.Sub("missing.faiss")), StatusIs(absl::StatusCode::kNotFound));
  auto index = MakeIndex(20, 7);
  ASSERT_THAT(index->Save(dir.Sub("x.faiss"), 1), IsOk());
  std::string bytes;
  {
    std::ifstream in(dir.Sub("x.faiss"), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  {
    std::ofstream out(dir.Sub("truncated.faiss"), std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
  }
  EXPECT_THAT(FaissVectorIndex::Load(dir.Sub("truncated.faiss")), StatusIs(absl::StatusCode::kDataLoss));
  bytes[bytes.size() - 3] ^= 0x55;
  {
    std::ofstream out(dir.Sub("flipped.faiss"), std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  EXPECT_THAT(FaissVectorIndex::Load(dir.Sub("flipped.faiss")), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(FaissVectorIndexTest, IdsAreSorted) {
  auto index = FaissVectorIndex::Create(kDim);
  ASSERT_THAT(index, IsOk());
  const std::vector<int64_t> ids = {9, 3, 5};
  ASSERT_THAT((*index)->Add(ids, RandomUnitVectors(3, 8)), IsOk());
  EXPECT_THAT((*index)->Ids(), ElementsAre(3, 5, 9));
}

TEST(FaissVectorIndexTest, EmptyIndexReturnsNoHits) {
  auto index = FaissVectorIndex::Create(kDim);
  ASSERT_THAT(index, IsOk());
  auto hits = (*index)->Search(std::vector<float>(kDim, 0.5f), SearchOptions{});
  ASSERT_THAT(hits, IsOk());
  EXPECT_TRUE(hits->empty());
}

}  // namespace
}  // namespace pollinator
