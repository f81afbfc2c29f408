#include "bench/scale/hnswlib_baseline.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "hnswlib/hnswlib.h"

namespace pollinator {

struct HnswlibIndex::Impl {
  explicit Impl(int dimension, int64_t count, int m, int ef_construction)
      : space(static_cast<size_t>(dimension)), graph(&space, static_cast<size_t>(count), m, ef_construction) {}
  hnswlib::InnerProductSpace space;
  hnswlib::HierarchicalNSW<float> graph;
};

HnswlibIndex::HnswlibIndex(const float* vectors, int64_t count, int dimension, int m, int ef_construction,
                           int threads)
    : impl_(std::make_unique<Impl>(dimension, count, m, ef_construction)) {
  // addPoint is thread-safe for distinct labels.
  std::atomic<int64_t> next{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < std::max(1, threads); ++t) {
    workers.emplace_back([&] {
      for (int64_t i = next++; i < count; i = next++) {
        impl_->graph.addPoint(vectors + i * dimension, static_cast<hnswlib::labeltype>(i));
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
}

HnswlibIndex::~HnswlibIndex() = default;

void HnswlibIndex::SetEf(int ef) { impl_->graph.setEf(static_cast<size_t>(ef)); }

std::vector<int64_t> HnswlibIndex::Search(const float* query, int k) const {
  auto queue = impl_->graph.searchKnn(query, static_cast<size_t>(k));
  std::vector<int64_t> labels(queue.size());
  // The queue pops the farthest first.
  for (size_t i = labels.size(); i-- > 0; queue.pop()) labels[i] = static_cast<int64_t>(queue.top().second);
  return labels;
}

bool HnswlibIndex::UsesAvx() {
#if defined(USE_AVX)
  return true;
#else
  return false;
#endif
}

}  // namespace pollinator
