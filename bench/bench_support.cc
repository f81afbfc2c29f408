#include "bench/bench_support.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "data/profile_jsonl.h"

namespace pollinator {

absl::StatusOr<SamplePool> ReadSamples(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return absl::NotFoundError(absl::StrCat("--samples=", path,
                                            ": cannot open; run from the repository root or pass "
                                            "--samples=PATH/data/samples/ecosystem.jsonl"));
  }
  SamplePool pool;
  JsonlProfileReader reader(&file);
  JsonlLine line;
  while (reader.Next(&line)) {
    if (!line.profile.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, " line ", line.number, ": ", line.profile.status().message()));
    }
    for (const v1::Need& need : line.profile->needs()) pool.needs.push_back(need);
    for (const v1::Offer& offer : line.profile->offers()) pool.offers.push_back(offer);
    pool.profiles.push_back(*std::move(line.profile));
  }
  if (!reader.status().ok()) {
    return absl::Status(reader.status().code(), absl::StrCat(path, ": ", reader.status().message()));
  }
  if (pool.profiles.empty() || pool.needs.empty() || pool.offers.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": needs profiles with at least one need and one offer"));
  }
  return pool;
}

double Percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  rank = std::clamp<size_t>(rank, 1, values.size());
  return values[rank - 1];
}

std::string LoadAverage() {
  std::ifstream file("/proc/loadavg");
  std::string one, five, fifteen;
  if (!(file >> one >> five >> fifteen)) return "unknown";
  return absl::StrCat(one, " ", five, " ", fifteen);
}

}  // namespace pollinator
