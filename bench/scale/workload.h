// The scale benchmark's catalogue: N profiles with realistic texts and a
// country mix that gives filters known selectivities.
//
//   absl::StatusOr<TextSource> texts = LoadTextSource(cordis_dir, pool);
//   v1::Profile p = MakeScaleProfile(pool, *texts, 42, /*seed=*/7);
//   v1::MatchFilters f = CountryFilterFor(0.01);   // admits 1 % of profiles
//
// Texts are sentences of CORDIS project objectives when the data set is
// there, otherwise the bundled sample texts with a varied tail. Each profile
// has a description, two needs and two offers: five vectors. Profile i is the
// same for every N and seed, whatever the order of generation.
#ifndef POLLINATOR_BENCH_SCALE_WORKLOAD_H_
#define POLLINATOR_BENCH_SCALE_WORKLOAD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/bench_support.h"
#include "pollinator/v1/matching.pb.h"
#include "pollinator/v1/profile.pb.h"

namespace pollinator {

struct TextSource {
  // One to two sentences each; what item texts are drawn from.
  std::vector<std::string> sentences;
  // "CORDIS objectives (DIR)" or "bundled samples (PATH)", for the report.
  std::string origin;
};

// Sentences of 8 to 60 words from the objectives in `cordis_dir`; when the
// folder is absent, the needs and offers of `pool`. Errors only for a
// folder that is there but unreadable.
absl::StatusOr<TextSource> LoadTextSource(const std::string& cordis_dir, const SamplePool& pool);

// Profile "s<i>" (zero-padded): structure (kind, components, modes, scope,
// sectors, size) from the samples, texts from `texts`, country from the
// selectivity buckets below.
v1::Profile MakeScaleProfile(const SamplePool& pool, const TextSource& texts, int64_t i, uint64_t seed);

// The selectivities that country filters can hit exactly: profile i's country
// is chosen so that each of these shares of the profiles has its own country.
inline constexpr double kFilterSelectivities[] = {0.5, 0.1, 0.01, 0.001};
// A filter on the country that holds `selectivity` of the profiles (one of
// kFilterSelectivities).
v1::MatchFilters CountryFilterFor(double selectivity);
// The country code of that filter.
std::string CountryFor(double selectivity);

}  // namespace pollinator

#endif  // POLLINATOR_BENCH_SCALE_WORKLOAD_H_
