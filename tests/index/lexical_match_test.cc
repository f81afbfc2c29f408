#include "index/lexical_match.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/container/flat_hash_set.h"

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

  // Documents are built before the queries that meet them, as in a tenant.
  TermSet Document(std::vector<std::string> texts) { return TermsOf(texts, statistics_.feature_options(), ids_); }
  Bm25Query Query(absl::string_view text) { return Bm25Query(text, statistics_, ids_); }

  TermStatistics statistics_;
  FeatureIds ids_;
};

TEST_F(LexicalMatchTest, TermSetSpansAllTextsWithSortedDistinctIds) {
  const TermSet terms = Document({"solar cells", "wind and solar"});
  const TextFeatures solar = ExtractFeatures("solar", statistics_.feature_options());
  ASSERT_EQ(solar.words.size(), 1u);
  const uint32_t solar_id = ids_.Find(solar.words.begin()->first);
  ASSERT_NE(solar_id, kNoFeatureId);
  EXPECT_TRUE(terms.Contains(solar_id));
  EXPECT_TRUE(std::is_sorted(terms.ids().begin(), terms.ids().end()));
  EXPECT_EQ(std::adjacent_find(terms.ids().begin(), terms.ids().end()), terms.ids().end());
  // "solar", "cells", "solar cells", "wind", "wind solar" and their concepts:
  // "solar" once although both texts have it.
  const TextFeatures first = ExtractFeatures("solar cells", statistics_.feature_options());
  const TextFeatures second = ExtractFeatures("wind and solar", statistics_.feature_options());
  absl::flat_hash_set<uint64_t> distinct;
  for (const TextFeatures* f : {&first, &second}) {
    for (const auto& [hash, tf] : f->words) distinct.insert(hash);
    for (const auto& [hash, tf] : f->concepts) distinct.insert(hash);
  }
  EXPECT_EQ(terms.ids().size(), distinct.size());
  // Stop words are no terms.
  const TextFeatures bakery = ExtractFeatures("bakery", statistics_.feature_options());
  EXPECT_EQ(ids_.Find(bakery.words.begin()->first), kNoFeatureId);
  EXPECT_EQ(Document({"the and of"}).ids().size(), 0u);
}

TEST(FeatureIdsTest, AssignsDenseIdsOnceAndFindsThem) {
  FeatureIds ids;
  std::vector<uint32_t> out;
  ids.Assign({uint64_t{900}, uint64_t{7}, uint64_t{900}}, out);
  EXPECT_THAT(out, ElementsAre(0u, 1u, 0u));
  ids.Assign({uint64_t{7}, uint64_t{1} << 63}, out);
  EXPECT_THAT(out, ElementsAre(0u, 1u, 0u, 1u, 2u));
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids.Find(uint64_t{1} << 63), 2u);
  EXPECT_EQ(ids.Find(uint64_t{8}), kNoFeatureId);
  std::vector<uint32_t> found(2);
  ids.Find({uint64_t{900}, uint64_t{5}}, absl::MakeSpan(found));
  EXPECT_THAT(found, ElementsAre(0u, kNoFeatureId));
}

TEST_F(LexicalMatchTest, WordsOfNoDocumentAreNotFound) {
  const TermSet document = Document({"perovskite coatings"});
  const Bm25Query query = Query("graphene coatings");
  // "graphene" is in no document of the tenant: half the words are covered
  // at most, and it is never named as shared.
  EXPECT_GT(query.Coverage(document), 0.0);
  EXPECT_LT(query.Coverage(document), 1.0);
  EXPECT_THAT(query.SharedRareWords(document, 5), ElementsAre("coatings"));
}

TEST_F(LexicalMatchTest, SharedRareWordsAreRarestFirstAndSkipCommonWords) {
  const TermSet document = Document({"silicon and perovskite solar cells"});
  const Bm25Query query = Query("Perovskite and silicon solar cells");
  // "solar" is in 5 of 13 documents (over a tenth, and more than three):
  // too common to name. "cells" (2 documents) is rare, but less so.
  EXPECT_THAT(query.SharedRareWords(document, 5), ElementsAre("perovskite", "silicon", "cells"));
  EXPECT_THAT(query.SharedRareWords(document, 1), ElementsAre("perovskite"));
}

TEST_F(LexicalMatchTest, CoverageIsTheShareOfTheQuerysSpecificWordsFound) {
  const TermSet same = Document({"perovskite solar modules"});
  const TermSet unrelated = Document({"bakery supplies"});
  const TermSet rare_word = Document({"perovskite coatings"});
  const TermSet common_word = Document({"solar coatings"});
  const TermSet long_text = Document({"perovskite module testing with long reports in many languages"});
  const TermSet short_text = Document({"perovskite modules"});
  const Bm25Query query = Query("perovskite solar modules");
  EXPECT_DOUBLE_EQ(query.Coverage(same), 1.0);
  EXPECT_EQ(query.Coverage(unrelated), 0.0);
  const double rare = query.Coverage(rare_word);
  const double common = query.Coverage(common_word);
  EXPECT_GT(rare, common);
  EXPECT_GT(common, 0.0);
  // Absolute: more text in the document does not dilute it, and stems meet.
  EXPECT_DOUBLE_EQ(query.Coverage(long_text), query.Coverage(short_text));
}

TEST_F(LexicalMatchTest, SynonymsCountHalf) {
  const TermSet same = Document({"old denim"});
  const TermSet reversed = Document({"denim, old"});
  const TermSet synonym_text = Document({"jeans, old"});
  const TermSet neither_text = Document({"linoleum, old"});
  const Bm25Query query = Query("old denim");
  EXPECT_DOUBLE_EQ(query.Coverage(same), 1.0);
  // In reverse order the query's word pair is not met, so only the words
  // differ between these three.
  const double exact = query.Coverage(reversed);
  const double synonym = query.Coverage(synonym_text);
  const double neither = query.Coverage(neither_text);
  EXPECT_GT(neither, 0.0);
  EXPECT_NEAR(synonym - neither, (exact - neither) / 2, 1e-12);
}

}  // namespace
}  // namespace pollinator
