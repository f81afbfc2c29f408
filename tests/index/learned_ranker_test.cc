#include "index/learned_ranker.h"

#include <random>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>


namespace pollinator {
namespace {

// Candidates whose outcome depends on relevance and, among the relevant,
// on a network link: what a tenant's history might teach.
std::vector<RankingGroup> History(int groups, unsigned seed, bool reward_low_relevance = false) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  std::vector<RankingGroup> out(groups);
  for (RankingGroup& group : out) {
    for (int i = 0; i < 20; ++i) {
      v1::ScoreBreakdown c;
      c.set_pair_relevance(0.2 + 0.6 * uniform(random));
      c.set_relevance(c.pair_relevance());
      c.set_semantic(uniform(random));
      c.set_lexical(uniform(random));
      c.set_geography(uniform(random));
      c.set_sector(uniform(random));
      c.set_kind_fit(uniform(random));
      c.set_experience(uniform(random));
      c.set_network(uniform(random) < 0.3 ? 1.0 : 0.0);
      group.candidates.push_back(RankerFeaturesOf(c));
      const bool relevant_enough = reward_low_relevance ? c.pair_relevance() < 0.4 : c.pair_relevance() > 0.4;
      group.labels.push_back(c.network() > 0 && relevant_enough ? 1.0f : 0.0f);
    }
  }
  return out;
}

// Scores by relevance alone: the hand-set order of partners with no priors.
std::vector<std::vector<float>> ByRelevance(const std::vector<RankingGroup>& groups) {
  std::vector<std::vector<float>> scores;
  for (const RankingGroup& group : groups) {
    std::vector<float>& s = scores.emplace_back();
    for (const RankerFeatures& f : group.candidates) s.push_back(f[0]);
  }
  return scores;
}

std::vector<std::vector<float>> ByModel(const LearnedRanker& ranker, const std::vector<RankingGroup>& groups) {
  std::vector<std::vector<float>> scores;
  for (const RankingGroup& group : groups) {
    absl::StatusOr<std::vector<float>> s = ranker.Score(group.candidates);
    EXPECT_TRUE(s.ok()) << s.status();
    scores.push_back(s.ok() ? *s : std::vector<float>(group.candidates.size(), 0.0f));
  }
  return scores;
}

class LearnedRankerTest : public ::testing::TestWithParam<Booster> {};

TEST_P(LearnedRankerTest, LearnsWhatTheOutcomesRewardOnUnseenQueries) {
  RankerOptions options;
  options.booster = GetParam();
  absl::StatusOr<LearnedRanker> ranker = LearnedRanker::Train(History(200, 1), options);
  ASSERT_TRUE(ranker.ok()) << ranker.status();
  const std::vector<RankingGroup> unseen = History(100, 2);
  const double learned = MeanNdcg(unseen, ByModel(*ranker, unseen), 10);
  const double hand = MeanNdcg(unseen, ByRelevance(unseen), 10);
  EXPECT_GT(learned, hand + 0.1) << "learned " << learned << ", relevance alone " << hand;
}

TEST_P(LearnedRankerTest, BytesRoundTripToTheSameScores) {
  RankerOptions options;
  options.booster = GetParam();
  absl::StatusOr<LearnedRanker> ranker = LearnedRanker::Train(History(50, 3), options);
  ASSERT_TRUE(ranker.ok()) << ranker.status();
  absl::StatusOr<std::string> bytes = ranker->ToBytes();
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<LearnedRanker> loaded = LearnedRanker::FromBytes(*bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const std::vector<RankingGroup> queries = History(5, 4);
  EXPECT_EQ(ByModel(*ranker, queries), ByModel(*loaded, queries));
}

INSTANTIATE_TEST_SUITE_P(Boosters, LearnedRankerTest, ::testing::Values(Booster::kLinear, Booster::kShallowTrees));

// Outcomes that reward less relevance (say, askers who kept picking the
// near and cheap): the model must still not rank more substance lower.
TEST(LearnedRankerTrees, NeverRankLowerForMoreRelevance) {
  RankerOptions options;
  options.booster = Booster::kShallowTrees;
  absl::StatusOr<LearnedRanker> ranker = LearnedRanker::Train(History(200, 5, /*reward_low_relevance=*/true), options);
  ASSERT_TRUE(ranker.ok()) << ranker.status();
  for (const RankingGroup& group : History(20, 6)) {
    for (RankerFeatures less : group.candidates) {
      RankerFeatures more = less;
      for (int f = 0; f < 4; ++f) more[f] = std::min(1.0f, more[f] + 0.2f);
      absl::StatusOr<std::vector<float>> scores = ranker->Score({less, more});
      ASSERT_TRUE(scores.ok()) << scores.status();
      EXPECT_GE((*scores)[1], (*scores)[0]);
    }
  }
}

TEST(LearnedRankerLinear, IsRefusedWhenItWouldWeighRelevanceNegatively) {
  EXPECT_EQ(LearnedRanker::Train(History(200, 5, /*reward_low_relevance=*/true), RankerOptions()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<LearnedRanker> ranker = LearnedRanker::Train(History(200, 5), RankerOptions());
  ASSERT_TRUE(ranker.ok()) << ranker.status();
  EXPECT_EQ(ranker->booster(), Booster::kLinear);
}

TEST(LearnedRankerTrain, RefusesHistoriesThatTeachNothing) {
  RankingGroup all_negative;
  all_negative.candidates.resize(3);
  all_negative.labels = {0, 0, 0};
  EXPECT_EQ(LearnedRanker::Train({all_negative}, RankerOptions()).status().code(),
            absl::StatusCode::kInvalidArgument);
  RankingGroup mismatched;
  mismatched.candidates.resize(2);
  mismatched.labels = {1};
  EXPECT_EQ(LearnedRanker::Train({mismatched}, RankerOptions()).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(LearnedRankerFromBytes, RefusesOtherBytesAndOtherFeatureLayouts) {
  EXPECT_EQ(LearnedRanker::FromBytes("{}").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LearnedRanker::FromBytes("pollinator-ranker:999:{}").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LearnedRanker::FromBytes(std::string("pollinator-ranker:") + std::to_string(kRankerFeatureVersion) +
                                     ":not json")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MeanNdcg, IsOneForThePerfectOrderAndSkipsGroupsWithoutPositives) {
  RankingGroup group;
  group.candidates.resize(3);
  group.labels = {0, 1, 0};
  RankingGroup empty;
  empty.candidates.resize(2);
  empty.labels = {0, 0};
  EXPECT_DOUBLE_EQ(MeanNdcg({group, empty}, {{0.1f, 0.9f, 0.5f}, {1, 2}}, 10), 1.0);
  EXPECT_NEAR(MeanNdcg({group}, {{0.9f, 0.1f, 0.5f}}, 10), 1.0 / std::log2(4.0), 1e-9);
}

}  // namespace
}  // namespace pollinator
