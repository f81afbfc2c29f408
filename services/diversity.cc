#include "services/diversity.h"

#include <algorithm>
#include <limits>

#include "absl/container/flat_hash_map.h"

namespace pollinator {

std::vector<size_t> SelectDiverse(const DiversityOptions& options, int top_k, absl::Span<const RankedOption> ranked,
                                  const std::function<double(size_t, size_t)>& similarity) {
  std::vector<size_t> chosen;
  absl::flat_hash_map<v1::ProfileKind, int> per_kind;
  auto kind_full = [&](size_t i) {
    return options.max_per_kind > 0 && per_kind[ranked[i].kind] >= options.max_per_kind;
  };
  const size_t want = static_cast<size_t>(std::max(top_k, 0));
  if (options.diversity <= 0.0) {
    for (size_t i = 0; i < ranked.size() && chosen.size() < want; ++i) {
      if (kind_full(i)) continue;
      ++per_kind[ranked[i].kind];
      chosen.push_back(i);
    }
    return chosen;
  }

  const size_t pool = std::min(ranked.size(), want * kDiversityPoolFactor);
  // Highest similarity of each pool member to anything chosen so far.
  std::vector<double> max_similarity(pool, 0.0);
  std::vector<bool> taken(pool, false);
  while (chosen.size() < want) {
    size_t best = pool;
    double best_value = -std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < pool; ++i) {
      if (taken[i] || kind_full(i)) continue;
      const double value = (1.0 - options.diversity) * ranked[i].score - options.diversity * max_similarity[i];
      if (value > best_value) {
        best_value = value;
        best = i;
      }
    }
    if (best == pool) break;
    taken[best] = true;
    ++per_kind[ranked[best].kind];
    chosen.push_back(best);
    for (size_t i = 0; i < pool; ++i) {
      if (!taken[i]) max_similarity[i] = std::max(max_similarity[i], similarity(i, best));
    }
  }
  return chosen;
}

}  // namespace pollinator
