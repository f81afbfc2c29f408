// Diversity: picks the final list from candidates ranked by score, with
// maximal marginal relevance (MMR) and an optional cap per profile kind.
//
// MMR repeatedly takes the candidate with the best
//   (1 - diversity) * score - diversity * (highest similarity to one already taken),
// so that ten near-identical partners give way to a varied list. It looks at
// a pool of the best 4 x top_k candidates only, which bounds both the cost
// and how far down the ranking a suggestion can come from.
//
//   std::vector<size_t> chosen = SelectDiverse(options, top_k, options_in_rank_order, similarity);
//
// Pure function; thread-safe.
#ifndef POLLINATOR_SERVICES_DIVERSITY_H_
#define POLLINATOR_SERVICES_DIVERSITY_H_

#include <cstddef>
#include <functional>
#include <vector>

#include "absl/types/span.h"
#include "pollinator/v1/profile.pb.h"

namespace pollinator {

inline constexpr int kDiversityPoolFactor = 4;

struct DiversityOptions {
  // 0 (score only) to 1 (dissimilarity only).
  double diversity = 0.0;
  // At most this many of one kind; 0 means no cap.
  int max_per_kind = 0;
};

struct RankedOption {
  double score = 0.0;
  v1::ProfileKind kind = v1::PROFILE_KIND_UNSPECIFIED;
};

// Indices into `ranked` (best first, by score) of up to `top_k` options to
// show, in the order to show them. `similarity(i, j)` compares two options;
// it is called only when diversity > 0.
std::vector<size_t> SelectDiverse(const DiversityOptions& options, int top_k, absl::Span<const RankedOption> ranked,
                                  const std::function<double(size_t, size_t)>& similarity);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_DIVERSITY_H_
