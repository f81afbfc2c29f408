// hnswlib (Debian libhnswlib-dev) as a reference ANN index for the scale
// benchmark. Its translation unit is compiled with AVX2 and FMA, so that
// hnswlib's own SIMD distance kernels are in; the benchmark therefore needs
// an AVX2 machine to run this part.
#ifndef POLLINATOR_BENCH_SCALE_HNSWLIB_BASELINE_H_
#define POLLINATOR_BENCH_SCALE_HNSWLIB_BASELINE_H_

#include <cstdint>
#include <memory>
#include <vector>

namespace pollinator {

class HnswlibIndex {
 public:
  // Inner-product space over `count` vectors of `dimension` floats in
  // `vectors`, labelled 0..count-1, inserted on `threads` threads.
  HnswlibIndex(const float* vectors, int64_t count, int dimension, int m, int ef_construction, int threads);
  ~HnswlibIndex();

  void SetEf(int ef);
  // Labels of the k nearest, best first.
  std::vector<int64_t> Search(const float* query, int k) const;
  // True when hnswlib was compiled with its AVX kernels.
  static bool UsesAvx();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pollinator

#endif  // POLLINATOR_BENCH_SCALE_HNSWLIB_BASELINE_H_
