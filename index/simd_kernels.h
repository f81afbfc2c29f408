// Inner-product kernels for the exact scans and the re-ranking, with the
// widest instructions the CPU has, chosen once at run time: AVX-512F, else
// AVX2 with FMA, else portable scalar code. Debian's FAISS 1.7.3 is built
// without AVX2, so its own fvec_inner_product runs at scalar speed.
//
//   float score = InnerProduct(query.data(), vector.data(), query.size());
//   InnerProducts(query.data(), base.data(), n, d, scores.data());
//
// Stateless and thread-safe. Results equal a scalar sum up to float
// rounding (the lanes add in a different order).
#ifndef POLLINATOR_INDEX_SIMD_KERNELS_H_
#define POLLINATOR_INDEX_SIMD_KERNELS_H_

#include <cstddef>

namespace pollinator {

enum class SimdLevel { kScalar, kAvx2, kAvx512 };

// The widest level this CPU runs (what InnerProduct uses).
SimdLevel BestSimdLevel();
bool SimdLevelSupported(SimdLevel level);
// "scalar", "avx2" or "avx512".
const char* SimdLevelName(SimdLevel level);

// a · b over `d` floats, at BestSimdLevel().
float InnerProduct(const float* a, const float* b, size_t d);
// The same at a given level, which must be supported (tests and
// benchmarks compare the levels).
float InnerProductAt(SimdLevel level, const float* a, const float* b, size_t d);

// scores[i] = query · base[i * d, (i + 1) * d) for i < n: an exact scan of
// `n` contiguous vectors, at BestSimdLevel().
void InnerProducts(const float* query, const float* base, size_t n, size_t d, float* scores);
void InnerProductsAt(SimdLevel level, const float* query, const float* base, size_t n, size_t d, float* scores);

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_SIMD_KERNELS_H_
