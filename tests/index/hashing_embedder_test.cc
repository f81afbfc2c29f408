#include "index/hashing_embedder.h"

#include <cmath>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "index/vector_math.h"
#include "tests/testing/status_matchers.h"

namespace pollinator {
namespace {

using ::pollinator::testing::IsOk;
using ::pollinator::testing::StatusIs;

std::vector<float> EmbedOrDie(const Embedder& embedder, absl::string_view text) {
  absl::StatusOr<std::vector<float>> v = embedder.Embed(text);
  EXPECT_THAT(v, IsOk());
  return v.ok() ? *v : std::vector<float>();
}

TEST(HashingEmbedderTest, ReturnsUnitVectorsOfConfiguredDimension) {
  HashingEmbedderOptions options;
  options.dimension = 64;
  HashingEmbedder embedder(options, nullptr);
  const std::vector<float> v = EmbedOrDie(embedder, "Pilot line for battery cathodes");
  ASSERT_EQ(v.size(), 64u);
  EXPECT_NEAR(Dot(v, v), 1.0f, 1e-5);
}

TEST(HashingEmbedderTest, IsDeterministicAcrossInstances) {
  TermStatistics stats_a, stats_b;
  for (TermStatistics* stats : {&stats_a, &stats_b}) {
    stats->AddDocument("LiDAR sensors for forestry");
    stats->AddDocument("seed funding for hardware startups");
  }
  HashingEmbedder a(HashingEmbedderOptions(), &stats_a);
  HashingEmbedder b(HashingEmbedderOptions(), &stats_b);
  EXPECT_EQ(EmbedOrDie(a, "LiDAR point clouds"), EmbedOrDie(b, "LiDAR point clouds"));
}

// The fuzzer's find: with IDF weights the sums followed each feature map's
// order, which varies with its address, so one text's vectors differed in
// the last bits from call to call.
TEST(HashingEmbedderTest, WithStatisticsOneTextGetsTheVerySameVectorEveryTime) {
  TermStatistics stats;
  stats.AddDocument("LiDAR test-bench (ISO 21254) 4-6 M\xE2\x82\xAC 20Ah LFP");
  stats.AddDocument("seed funding for hardware startups");
  HashingEmbedderOptions options;
  options.dimension = 8;
  HashingEmbedder embedder(options, &stats);
  const std::string text = "LiDAR test-bench (ISO 21254) 4-6 M\xE2\x82\xAC 20Ah LFP";
  const std::vector<float> first = EmbedOrDie(embedder, text);
  for (int run = 0; run < 50; ++run) {
    ASSERT_EQ(EmbedOrDie(embedder, text), first) << "run " << run;
    absl::StatusOr<std::vector<float>> from_features =
        embedder.EmbedFeatures(ExtractFeatures(text, embedder.feature_options()));
    ASSERT_THAT(from_features, IsOk());
    ASSERT_EQ(*from_features, first) << "run " << run;
  }
}

TEST(HashingEmbedderTest, RelatedTextsAreCloserThanUnrelatedOnes) {
  HashingEmbedder embedder(HashingEmbedderOptions(), nullptr);
  const auto need = EmbedOrDie(embedder, "access to a pilot line for lithium battery cathode coating");
  const auto related = EmbedOrDie(embedder, "battery cell pilot line with cathode coating and calendering");
  const auto unrelated = EmbedOrDie(embedder, "seed investment for consumer mobile apps");
  EXPECT_GT(Dot(need, related), Dot(need, unrelated) + 0.2f);
}

TEST(HashingEmbedderTest, CharacterNgramsMatchWordVariants) {
  HashingEmbedder embedder(HashingEmbedderOptions(), nullptr);
  const auto singular = EmbedOrDie(embedder, "photovoltaic");
  const auto plural = EmbedOrDie(embedder, "photovoltaics");
  const auto other = EmbedOrDie(embedder, "regulatory");
  // Different words share no word feature, so all similarity here comes from
  // the n-gram share of the vector (35%).
  EXPECT_GT(Dot(singular, plural), 0.15f);
  EXPECT_GT(Dot(singular, plural), 4 * std::abs(Dot(singular, other)));
}

TEST(HashingEmbedderTest, IdfDownWeightsCommonWords) {
  TermStatistics stats;
  for (int i = 0; i < 50; ++i) stats.AddDocument("innovation partner wanted " + std::to_string(i));
  stats.AddDocument("perovskite tandem cells");
  HashingEmbedder with_idf(HashingEmbedderOptions(), &stats);
  HashingEmbedder without_idf(HashingEmbedderOptions(), nullptr);
  const std::string query = "innovation partner for perovskite";
  const std::string rare_match = "perovskite";
  const std::string common_match = "innovation partner";
  // With IDF, sharing the rare term counts for more than sharing common ones.
  EXPECT_GT(Dot(EmbedOrDie(with_idf, query), EmbedOrDie(with_idf, rare_match)),
            Dot(EmbedOrDie(with_idf, query), EmbedOrDie(with_idf, common_match)));
  EXPECT_LT(Dot(EmbedOrDie(without_idf, query), EmbedOrDie(without_idf, rare_match)),
            Dot(EmbedOrDie(without_idf, query), EmbedOrDie(without_idf, common_match)));
}

TEST(HashingEmbedderTest, PunctuationOnlyTextGivesZeroVector) {
  HashingEmbedder embedder(HashingEmbedderOptions(), nullptr);
  const auto v = EmbedOrDie(embedder, "!!! ---");
  EXPECT_EQ(Dot(v, v), 0.0f);
}

TEST(HashingEmbedderOptionsTest, RejectsDimensionOutOfRange) {
  HashingEmbedderOptions options;
  options.dimension = 4;
  EXPECT_THAT(options.Validate(), StatusIs(absl::StatusCode::kInvalidArgument));
  options.dimension = 5000;
  EXPECT_THAT(options.Validate(), StatusIs(absl::StatusCode::kInvalidArgument));
  options.dimension = 256;
  EXPECT_THAT(options.Validate(), IsOk());
}

TEST(TermStatisticsTest, RemoveUndoesAdd) {
  TermStatistics stats;
  const uint64_t feature = StableHash("zzz-unused");
  const double empty_idf = stats.Idf(feature);
  stats.AddDocument("battery pilot line");
  stats.RemoveDocument("battery pilot line");
  EXPECT_EQ(stats.document_count(), 0);
  EXPECT_EQ(stats.Idf(feature), empty_idf);
}

TEST(TermStatisticsTest, BatchCountsTheSameAsDocumentByDocument) {
  const std::vector<std::string> texts = {"battery pilot line", "pilot line for solar cells", "battery recycling"};
  TermStatistics one_by_one, batched;
  TermStatistics::Batch batch;
  for (const std::string& text : texts) {
    one_by_one.AddDocument(text);
    batch.AddDocument(ExtractFeatures(text, batched.feature_options()));
  }
  batched.Add(batch);
  EXPECT_EQ(batched.document_count(), 3);
  for (const std::string& text : texts) {
    const TextFeatures features = ExtractFeatures(text, batched.feature_options());
    for (const auto* kind : {&features.words, &features.char_ngrams, &features.concepts}) {
      for (const auto& [feature, tf] : *kind) {
        EXPECT_EQ(batched.DocumentFrequency(feature), one_by_one.DocumentFrequency(feature)) << text;
      }
    }
  }
  EXPECT_EQ(batched.DocumentFrequency(ExtractFeatures("pilot", batched.feature_options()).words.begin()->first), 2);
}

TEST(TextFeaturesTest, CharNgramsFollowTheOptionsAlsoForWordsSeenBefore) {
  // "<lidar>": 5 trigrams, 4 four-grams and 3 five-grams by default.
  const TextFeatures defaults = ExtractFeatures("lidar", TextFeatureOptions());
  int occurrences = 0;
  for (const auto& [ngram, tf] : defaults.char_ngrams) occurrences += tf;
  EXPECT_EQ(occurrences, 12);
  TextFeatureOptions short_ngrams;
  short_ngrams.min_char_ngram = 2;
  short_ngrams.max_char_ngram = 3;
  // 6 bigrams and 5 trigrams, though the word's default n-grams are known.
  occurrences = 0;
  for (const auto& [ngram, tf] : ExtractFeatures("lidar", short_ngrams).char_ngrams) occurrences += tf;
  EXPECT_EQ(occurrences, 11);
  EXPECT_EQ(ExtractFeatures("lidar", TextFeatureOptions()).char_ngrams, defaults.char_ngrams);
}

TEST(TextFeaturesTest, TokenizeLowercasesAndKeepsUtf8Words) {
  EXPECT_THAT(Tokenize("Müller-Optik GmbH: LiDAR!"), ::testing::ElementsAre("müller", "optik", "gmbh", "lidar"));
}

}  // namespace
}  // namespace pollinator
