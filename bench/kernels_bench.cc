// Micro-benchmarks (Google Benchmark) of the SIMD inner-product kernels
// (index/simd_kernels.h) against FAISS's own fvec_inner_product, which
// Debian builds without AVX2, and of the built-in embedder in texts/s.
//
//   build/bin/kernels_bench --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
//
// After Google Benchmark's table it prints each kernel's time as a ratio
// of FAISS's on the same input, in the same run (medians when repeated).
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <faiss/utils/distances.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "index/hashing_embedder.h"
#include "index/simd_kernels.h"

namespace pollinator {
namespace {

std::vector<float> RandomVectors(size_t count, size_t d, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> v(count * d);
  for (float& x : v) x = normal(rng);
  return v;
}

// One inner product of two d-vectors; range(0) is d.
void BM_InnerProductFaiss(benchmark::State& state) {
  const size_t d = static_cast<size_t>(state.range(0));
  const std::vector<float> a = RandomVectors(1, d, 1), b = RandomVectors(1, d, 2);
  for (auto _ : state) benchmark::DoNotOptimize(faiss::fvec_inner_product(a.data(), b.data(), d));
}

void BM_InnerProduct(benchmark::State& state, SimdLevel level) {
  if (!SimdLevelSupported(level)) {
    state.SkipWithError(absl::StrCat("this CPU has no ", SimdLevelName(level)).c_str());
    return;
  }
  const size_t d = static_cast<size_t>(state.range(0));
  const std::vector<float> a = RandomVectors(1, d, 1), b = RandomVectors(1, d, 2);
  for (auto _ : state) benchmark::DoNotOptimize(InnerProductAt(level, a.data(), b.data(), d));
}

// An exact scan: one query against range(1) vectors of d = range(0); 2,000
// fit in the caches (what a filtered scan of a selective filter reads), 100k
// do not (memory bandwidth decides).
void BM_ScanFaiss(benchmark::State& state) {
  const size_t d = static_cast<size_t>(state.range(0)), n = static_cast<size_t>(state.range(1));
  const std::vector<float> query = RandomVectors(1, d, 3), base = RandomVectors(n, d, 4);
  std::vector<float> scores(n);
  for (auto _ : state) {
    faiss::fvec_inner_products_ny(scores.data(), query.data(), base.data(), d, n);
    benchmark::DoNotOptimize(scores.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}

void BM_Scan(benchmark::State& state, SimdLevel level) {
  if (!SimdLevelSupported(level)) {
    state.SkipWithError(absl::StrCat("this CPU has no ", SimdLevelName(level)).c_str());
    return;
  }
  const size_t d = static_cast<size_t>(state.range(0)), n = static_cast<size_t>(state.range(1));
  const std::vector<float> query = RandomVectors(1, d, 3), base = RandomVectors(n, d, 4);
  std::vector<float> scores(n);
  for (auto _ : state) {
    InnerProductsAt(level, query.data(), base.data(), n, d, scores.data());
    benchmark::DoNotOptimize(scores.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}

// The built-in embedder on need-like sentences, without IDF statistics.
void BM_Embedder(benchmark::State& state) {
  const std::vector<std::string> texts = {
      "Pilot line for solid-state battery cells and electrode coating at small series scale",
      "Machine learning to detect leaks in district heating pipes from acoustic sensor data",
      "Seed funding of EUR 2 million to industrialise our perception stack for forestry machines",
      "Low-carbon concrete with at least 40 % less CO2 that meets Eurocode strength classes",
  };
  HashingEmbedderOptions options;
  options.dimension = static_cast<int>(state.range(0));
  const HashingEmbedder embedder(options, nullptr);
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(embedder.Embed(texts[i++ % texts.size()]));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

BENCHMARK(BM_InnerProductFaiss)->Arg(256)->Arg(384);
BENCHMARK_CAPTURE(BM_InnerProduct, scalar, SimdLevel::kScalar)->Arg(256)->Arg(384);
BENCHMARK_CAPTURE(BM_InnerProduct, avx2, SimdLevel::kAvx2)->Arg(256)->Arg(384);
BENCHMARK_CAPTURE(BM_InnerProduct, avx512, SimdLevel::kAvx512)->Arg(256)->Arg(384);
BENCHMARK(BM_ScanFaiss)->Args({384, 2000})->Args({384, 100000});
BENCHMARK_CAPTURE(BM_Scan, scalar, SimdLevel::kScalar)->Args({384, 2000})->Args({384, 100000});
BENCHMARK_CAPTURE(BM_Scan, avx2, SimdLevel::kAvx2)->Args({384, 2000})->Args({384, 100000});
BENCHMARK_CAPTURE(BM_Scan, avx512, SimdLevel::kAvx512)->Args({384, 2000})->Args({384, 100000});
BENCHMARK(BM_Embedder)->Arg(256);

// Google Benchmark's console table, plus each run's time kept by name (the
// median when repeated) for the ratios.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  // Plain text, so that the output can be recorded as it is.
  RatioReporter() : ConsoleReporter(OO_Tabular) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      if (run.run_type == Run::RT_Iteration || median) times_[Base(run.benchmark_name())] = run.GetAdjustedRealTime();
    }
  }

  void PrintRatios() const {
    std::printf("\n%-28s %12s %12s %10s\n", "kernel", "ns", "FAISS ns", "vs FAISS");
    for (const auto& [name, time] : times_) {
      std::string faiss_name;
      if (absl::StartsWith(name, "BM_InnerProduct/")) faiss_name = absl::StrCat("BM_InnerProductFaiss/", Args(name));
      if (absl::StartsWith(name, "BM_Scan/")) faiss_name = absl::StrCat("BM_ScanFaiss/", Args(name));
      auto faiss = times_.find(faiss_name);
      if (faiss_name.empty() || faiss == times_.end()) continue;
      std::printf("%-28s %12.1f %12.1f %9.2fx\n", name.c_str(), time, faiss->second, faiss->second / time);
    }
  }

 private:
  // "BM_Scan/avx2/384/100000_median" -> "BM_Scan/avx2/384/100000".
  static std::string Base(const std::string& name) { return name.substr(0, name.find('_', 3)); }
  // The arguments after the level: "BM_Scan/avx2/384/100000" -> "384/100000".
  static std::string Args(const std::string& name) {
    const size_t level = name.find('/');
    return name.substr(name.find('/', level + 1) + 1);
  }

  std::map<std::string, double> times_;
};

}  // namespace
}  // namespace pollinator

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::printf("kernels_bench: best SIMD level of this CPU: %s\n",
              pollinator::SimdLevelName(pollinator::BestSimdLevel()));
  pollinator::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  return 0;
}
