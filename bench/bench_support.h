// What the latency benchmarks share: the bundled sample profiles as a pool
// to recombine, percentiles, the machine's load average.
//
//   absl::StatusOr<SamplePool> pool = ReadSamples("data/samples/ecosystem.jsonl");
//   double p99 = Percentile(latencies_us, 99);
#ifndef POLLINATOR_BENCH_BENCH_SUPPORT_H_
#define POLLINATOR_BENCH_BENCH_SUPPORT_H_

#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "pollinator/v1/profile.pb.h"

namespace pollinator {

struct SamplePool {
  std::vector<v1::Profile> profiles;
  std::vector<v1::Need> needs;
  std::vector<v1::Offer> offers;
};

// The profiles of a JSON Lines file and all their needs and offers.
// NotFound if the file cannot be opened (the message says to run from the
// repository root), InvalidArgument for a bad line or a pool without needs
// or offers.
absl::StatusOr<SamplePool> ReadSamples(const std::string& path);

// Nearest-rank percentile of `values` (sorted in place); 0 when empty.
double Percentile(std::vector<double>& values, double p);

// Uniform enough for picking among a few hundred items; std::mt19937_64's
// output is fixed by the standard, unlike the distributions.
inline size_t Pick(std::mt19937_64& rng, size_t n) { return static_cast<size_t>(rng() % n); }

// The first three fields of /proc/loadavg, or "unknown"; the numbers are
// only as good as the machine was quiet.
std::string LoadAverage();

}  // namespace pollinator

#endif  // POLLINATOR_BENCH_BENCH_SUPPORT_H_
