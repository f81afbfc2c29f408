// The SIMD kernels at each level this CPU runs, against FAISS's own
// fvec_inner_product, on lengths around every vector width (1 to 4096) and
// on unaligned pointers. A level the CPU lacks is skipped, and says so.
#include "index/simd_kernels.h"

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <faiss/utils/distances.h>
#include <gtest/gtest.h>

namespace pollinator {
namespace {

std::vector<float> RandomVector(size_t d, std::mt19937& rng) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> v(d);
  for (float& x : v) x = normal(rng);
  return v;
}

// What float rounding may move a sum of `d` products, relative to the sum
// of their magnitudes.
double Tolerance(const float* a, const float* b, size_t d) {
  double magnitude = 0;
  for (size_t i = 0; i < d; ++i) magnitude += std::fabs(static_cast<double>(a[i]) * b[i]);
  return 1e-6 * magnitude + 1e-6;
}

class SimdKernelsTest : public ::testing::TestWithParam<SimdLevel> {
 protected:
  void SetUp() override {
    if (!SimdLevelSupported(GetParam())) {
      GTEST_SKIP() << "this CPU has no " << SimdLevelName(GetParam());
    }
  }
};

TEST_P(SimdKernelsTest, InnerProductMatchesFaissAtEveryLength) {
  std::mt19937 rng(7);
  for (size_t d : {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 100, 255, 256, 383, 384, 385, 768,
                   1000, 1536, 4096}) {
    const std::vector<float> a = RandomVector(d, rng);
    const std::vector<float> b = RandomVector(d, rng);
    const float expected = faiss::fvec_inner_product(a.data(), b.data(), d);
    EXPECT_NEAR(InnerProductAt(GetParam(), a.data(), b.data(), d), expected, Tolerance(a.data(), b.data(), d))
        << "d=" << d;
  }
}

TEST_P(SimdKernelsTest, UnalignedPointersAndZeroLength) {
  std::mt19937 rng(11);
  const std::vector<float> a = RandomVector(400, rng);
  const std::vector<float> b = RandomVector(400, rng);
  for (size_t offset = 0; offset < 5; ++offset) {
    const size_t d = 384;
    const float expected = faiss::fvec_inner_product(a.data() + offset, b.data() + 3, d);
    EXPECT_NEAR(InnerProductAt(GetParam(), a.data() + offset, b.data() + 3, d), expected,
                Tolerance(a.data() + offset, b.data() + 3, d))
        << "offset=" << offset;
  }
  EXPECT_EQ(InnerProductAt(GetParam(), a.data(), b.data(), 0), 0.0f);
}

TEST_P(SimdKernelsTest, AScanScoresEveryVector) {
  std::mt19937 rng(13);
  const size_t n = 257;
  const size_t d = 384;
  const std::vector<float> query = RandomVector(d, rng);
  const std::vector<float> base = RandomVector(n * d, rng);
  std::vector<float> scores(n, -1.0f);
  InnerProductsAt(GetParam(), query.data(), base.data(), n, d, scores.data());
  std::vector<float> expected(n);
  faiss::fvec_inner_products_ny(expected.data(), query.data(), base.data(), d, n);
  for (size_t i = 0; i < n; ++i) {
    EXPECT_NEAR(scores[i], expected[i], Tolerance(query.data(), base.data() + i * d, d)) << "i=" << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Levels, SimdKernelsTest,
                         ::testing::Values(SimdLevel::kScalar, SimdLevel::kAvx2, SimdLevel::kAvx512),
                         [](const ::testing::TestParamInfo<SimdLevel>& info) {
                           return std::string(SimdLevelName(info.param));
                         });

TEST(SimdKernelsDispatchTest, TheBestLevelIsSupportedAndUsed) {
  const SimdLevel best = BestSimdLevel();
  EXPECT_TRUE(SimdLevelSupported(best));
  EXPECT_TRUE(SimdLevelSupported(SimdLevel::kScalar));
  std::mt19937 rng(17);
  const std::vector<float> a = RandomVector(384, rng);
  const std::vector<float> b = RandomVector(384, rng);
  // The dispatched kernel is the best level's, bit for bit.
  EXPECT_EQ(InnerProduct(a.data(), b.data(), 384), InnerProductAt(best, a.data(), b.data(), 384));
  std::vector<float> scores(1);
  InnerProducts(a.data(), b.data(), 1, 384, scores.data());
  EXPECT_EQ(scores[0], InnerProductAt(best, a.data(), b.data(), 384));
}

}  // namespace
}  // namespace pollinator
