#include "index/simd_kernels.h"

#include <immintrin.h>

namespace pollinator {
namespace {

float ScalarInnerProduct(const float* a, const float* b, size_t d) {
  // Four partial sums, as the wide kernels keep several: it shortens the
  // dependency chain and lets the compiler vectorise within SSE2.
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= d; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < d; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

__attribute__((target("avx2,fma"))) float Avx2InnerProduct(const float* a, const float* b, size_t d) {
  // Two accumulators of 8 lanes hide the FMA latency.
  __m256 acc0 = _mm256_setzero_ps();
  __m256 acc1 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= d; i += 16) {
    acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
  }
  if (i + 8 <= d) {
    acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    i += 8;
  }
  const __m256 acc = _mm256_add_ps(acc0, acc1);
  __m128 sum = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
  sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
  sum = _mm_add_ss(sum, _mm_movehdup_ps(sum));
  float total = _mm_cvtss_f32(sum);
  for (; i < d; ++i) total += a[i] * b[i];
  return total;
}

__attribute__((target("avx512f"))) float Avx512InnerProduct(const float* a, const float* b, size_t d) {
  __m512 acc0 = _mm512_setzero_ps();
  __m512 acc1 = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= d; i += 32) {
    acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
    acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), acc1);
  }
  for (; i + 16 <= d; i += 16) {
    acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
  }
  if (i < d) {
    // The tail in one masked step: lanes past the end load as zero.
    const __mmask16 mask = static_cast<__mmask16>((1u << (d - i)) - 1);
    acc1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, a + i), _mm512_maskz_loadu_ps(mask, b + i), acc1);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
}

using Kernel = float (*)(const float*, const float*, size_t);

Kernel KernelAt(SimdLevel level) {
  switch (level) {
    case SimdLevel::kAvx512: return Avx512InnerProduct;
    case SimdLevel::kAvx2: return Avx2InnerProduct;
    case SimdLevel::kScalar: break;
  }
  return ScalarInnerProduct;
}

Kernel BestKernel() {
  static const Kernel kernel = KernelAt(BestSimdLevel());
  return kernel;
}

}  // namespace

bool SimdLevelSupported(SimdLevel level) {
  switch (level) {
    case SimdLevel::kAvx512: return __builtin_cpu_supports("avx512f");
    case SimdLevel::kAvx2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case SimdLevel::kScalar: return true;
  }
  return false;
}

SimdLevel BestSimdLevel() {
  static const SimdLevel best = SimdLevelSupported(SimdLevel::kAvx512) ? SimdLevel::kAvx512
                                : SimdLevelSupported(SimdLevel::kAvx2) ? SimdLevel::kAvx2
                                                                       : SimdLevel::kScalar;
  return best;
}

const char* SimdLevelName(SimdLevel level) {
  switch (level) {
    case SimdLevel::kAvx512: return "avx512";
    case SimdLevel::kAvx2: return "avx2";
    case SimdLevel::kScalar: break;
  }
  return "scalar";
}

float InnerProduct(const float* a, const float* b, size_t d) { return BestKernel()(a, b, d); }

float InnerProductAt(SimdLevel level, const float* a, const float* b, size_t d) { return KernelAt(level)(a, b, d); }

void InnerProducts(const float* query, const float* base, size_t n, size_t d, float* scores) {
  const Kernel kernel = BestKernel();
  for (size_t i = 0; i < n; ++i) scores[i] = kernel(query, base + i * d, d);
}

void InnerProductsAt(SimdLevel level, const float* query, const float* base, size_t n, size_t d, float* scores) {
  const Kernel kernel = KernelAt(level);
  for (size_t i = 0; i < n; ++i) scores[i] = kernel(query, base + i * d, d);
}

}  // namespace pollinator
