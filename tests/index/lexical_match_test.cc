#include "index/lexical_match.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pollinator {
namespace {

using ::testing::ElementsAre;

class LexicalMatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* text : {"perovskite solar cells", "silicon solar cells", "solar farm maintenance",
                             "solar panel cleaning", "solar roofs", "bakery supplies", "office cleaning", "tax advice",
                             "legal advice", "freight by rail", "event catering", "print shop", "web design"}) {
      statistics_.AddDocument(text);
    }
  }

  TermCounts Document(std::vector<std::string> texts) { return CountTerms(texts, statistics_.feature_options()); }

  TermStatistics statistics_;
};

TEST_F(LexicalMatchTest, RareSharedTermOutscoresCommonOne) {
  const Bm25Query query("perovskite solar modules", statistics_);
  const double rare = query.Score(Document({"perovskite coatings"}), 2.0);
  const double common = query.Score(Document({"solar coatings"}), 2.0);
  EXPECT_GT(common, 0.0);
  EXPECT_GT(rare, common);
  EXPECT_EQ(query.Score(Document({"bakery supplies"}), 2.0), 0.0);
}

TEST_F(LexicalMatchTest, LongerDocumentsScoreLowerForTheSameMatch) {
  const Bm25Query query("perovskite", statistics_);
  const double short_doc = query.Score(Document({"perovskite coatings"}), 4.0);
  const double long_doc = query.Score(Document({"perovskite coatings for glass, metal, wood, textiles and paper"}), 4.0);
  EXPECT_GT(short_doc, long_doc);
}

TEST_F(LexicalMatchTest, CountTermsSpansAllTextsAndIgnoresStopWords) {
  const TermCounts counts = Document({"the solar cells", "solar"});
  // "solar", "cells", "solar cells" in the first text, "solar" in the second.
  EXPECT_EQ(counts.length(), 4);
}

TEST_F(LexicalMatchTest, CountTermsAddsUpRepeatsAcrossTextsAndKeepsHashesSorted) {
  const TermCounts counts = Document({"solar cells", "wind and solar"});
  const TextFeatures solar = ExtractFeatures("solar", statistics_.feature_options());
  ASSERT_EQ(solar.words.size(), 1u);
  EXPECT_EQ(counts.Count(solar.words.begin()->first), 2);
  EXPECT_TRUE(counts.Contains(solar.words.begin()->first));
  const TextFeatures bakery = ExtractFeatures("bakery", statistics_.feature_options());
  EXPECT_EQ(counts.Count(bakery.words.begin()->first), 0);
  EXPECT_FALSE(counts.Contains(bakery.words.begin()->first));
  EXPECT_TRUE(std::is_sorted(counts.hashes().begin(), counts.hashes().end()));
  EXPECT_EQ(std::adjacent_find(counts.hashes().begin(), counts.hashes().end()), counts.hashes().end());
}

TEST_F(LexicalMatchTest, SharedRareWordsAreRarestFirstAndSkipCommonWords) {
  const Bm25Query query("Perovskite and silicon solar cells", statistics_);
  // "solar" is in 5 of 13 documents (over a tenth, and more than three):
  // too common to name. "cells" (2 documents) is rare, but less so.
  EXPECT_THAT(query.SharedRareWords(Document({"silicon and perovskite solar cells"}), 5),
              ElementsAre("perovskite", "silicon", "cells"));
  EXPECT_THAT(query.SharedRareWords(Document({"silicon and perovskite solar cells"}), 1), ElementsAre("perovskite"));
}

TEST_F(LexicalMatchTest, CoverageIsTheShareOfTheQuerysSpecificWordsFound) {
  const Bm25Query query("perovskite solar modules", statistics_);
  EXPECT_DOUBLE_EQ(query.Coverage(Document({"perovskite solar modules"})), 1.0);
  EXPECT_EQ(query.Coverage(Document({"bakery supplies"})), 0.0);
  const double rare = query.Coverage(Document({"perovskite coatings"}));
  const double common = query.Coverage(Document({"solar coatings"}));
  EXPECT_GT(rare, common);
  EXPECT_GT(common, 0.0);
  // Absolute: more text in the document does not dilute it, and stems meet.
  EXPECT_DOUBLE_EQ(query.Coverage(Document({"perovskite module testing with long reports in many languages"})),
                   query.Coverage(Document({"perovskite modules"})));
}

TEST_F(LexicalMatchTest, SynonymsCountHalf) {
  const Bm25Query query("old denim", statistics_);
  EXPECT_DOUBLE_EQ(query.Coverage(Document({"old denim"})), 1.0);
  // In reverse order the query's word pair is not met, so only the words
  // differ between these three.
  const double exact = query.Coverage(Document({"denim, old"}));
  const double synonym = query.Coverage(Document({"jeans, old"}));
  const double neither = query.Coverage(Document({"linoleum, old"}));
  EXPECT_GT(neither, 0.0);
  EXPECT_NEAR(synonym - neither, (exact - neither) / 2, 1e-12);
}

}  // namespace
}  // namespace pollinator
