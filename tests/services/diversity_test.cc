#include "services/diversity.h"

#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pollinator {
namespace {

using ::testing::ElementsAre;

// Options 0-2 are near-duplicates of each other; 3 and 4 are unlike them and
// unlike each other.
double Similarity(size_t a, size_t b) {
  const bool a_clone = a < 3, b_clone = b < 3;
  if (a == b) return 1.0;
  return a_clone && b_clone ? 0.95 : 0.1;
}

const std::vector<RankedOption> kRanked = {{0.90, v1::PROFILE_KIND_SMB},
                                           {0.89, v1::PROFILE_KIND_SMB},
                                           {0.88, v1::PROFILE_KIND_SMB},
                                           {0.80, v1::PROFILE_KIND_UNIVERSITY},
                                           {0.70, v1::PROFILE_KIND_UNIVERSITY}};

TEST(DiversityTest, ZeroDiversityKeepsTheRanking) {
  EXPECT_THAT(SelectDiverse({0.0, 0}, 3, kRanked, Similarity), ElementsAre(0, 1, 2));
}

TEST(DiversityTest, MmrReplacesNearDuplicates) {
  EXPECT_THAT(SelectDiverse({0.5, 0}, 3, kRanked, Similarity), ElementsAre(0, 3, 4));
}

TEST(DiversityTest, PerKindCapSkipsFullKinds) {
  EXPECT_THAT(SelectDiverse({0.0, 1}, 3, kRanked, Similarity), ElementsAre(0, 3));
  EXPECT_THAT(SelectDiverse({0.0, 2}, 5, kRanked, Similarity), ElementsAre(0, 1, 3, 4));
}

TEST(DiversityTest, PoolIsFourTimesTopK) {
  // With top_k 1 the pool is the best 4; the fifth is never considered.
  std::vector<RankedOption> ranked(6, {0.5, v1::PROFILE_KIND_SMB});
  int calls = 0;
  SelectDiverse({0.5, 0}, 1, ranked, [&](size_t a, size_t b) {
    EXPECT_LT(a, 4u);
    EXPECT_LT(b, 4u);
    ++calls;
    return 0.0;
  });
  EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace pollinator
