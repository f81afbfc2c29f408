#include "index/lexical_match.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

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

// Coverage leaps through a document's sorted features; the query's words
// must be found however many other features lie before, between and after
// them.
TEST_F(LexicalMatchTest, CoverageFindsTheQuerysWordsAmongManyOthers) {
  auto filler = [](int first, int count) {
    std::string text;
    for (int i = first; i < first + count; ++i) {
      // Letters only (numbers are not words), distinct for every i.
      std::string word = "zz";
      for (int n = i; n > 0; n /= 26) word.push_back(static_cast<char>('a' + n % 26));
      absl::StrAppend(&text, text.empty() ? "" : " ", word);
    }
    return text;
  };
  // Ids are given in the order features are first seen: these words' ids
  // come before the query's words', the second pool's after them.
  // Past 4,096 ids, so that features below the query's share their bits in
  // Coverage's filter without being probes.
  const TermSet before_pool = Document({filler(1, 1500)});
  const std::vector<std::string> found = {"perovskite", "solar", "modules", "solar modules", "perovskite modules",
                                          "perovskite solar modules"};
  std::vector<TermSet> alone;
  for (const std::string& text : found) alone.push_back(Document({text}));
  const TermSet after_pool = Document({filler(1501, 400)});
  ASSERT_GT(before_pool.ids().back(), 4096u);
  // The found words at many positions: behind 0 to 1500 words (and their
  // pairs) with fewer or more after them. Every document is built before the
  // query, as a query only knows the features of documents before it.
  struct Placed {
    size_t found;
    int before;
    int after;
    TermSet document;
  };
  std::vector<Placed> placed;
  for (size_t i = 0; i < found.size(); ++i) {
    for (int before : {0, 1, 2, 3, 5, 9, 17, 33, 64, 100, 129, 257, 400, 1500}) {
      for (int after : {0, 7, 400}) {
        placed.push_back({i, before, after, Document({filler(1, before), found[i], filler(1501, after)})});
      }
    }
  }
  const TermSet neither = Document({filler(1, 1500), filler(1501, 400)});
  const Bm25Query query = Query("perovskite solar modules");
  for (size_t i = 0; i < found.size(); ++i) ASSERT_GT(query.Coverage(alone[i]), 0.0) << found[i];
  EXPECT_DOUBLE_EQ(query.Coverage(alone.back()), 1.0);
  for (const Placed& p : placed) {
    EXPECT_DOUBLE_EQ(query.Coverage(p.document), query.Coverage(alone[p.found]))
        << found[p.found] << " behind " << p.before << " words, before " << p.after;
  }
  EXPECT_EQ(query.Coverage(neither), 0.0);
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
