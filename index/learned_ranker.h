// LearnedRanker: a ranking model trained with XGBoost on a tenant's recorded
// outcomes, which orders the partners that passed the relevance floor. It
// never decides who passes: the floor does (index/match_scoring.h).
//
//   std::vector<RankingGroup> groups = ...;  // one per asker, labels 1 / 0
//   absl::StatusOr<LearnedRanker> ranker = LearnedRanker::Train(groups, RankerOptions());
//   absl::StatusOr<std::vector<float>> scores = ranker->Score(candidates);
//
// With a few hundred outcomes a regularised linear booster or very shallow
// trees generalise better than deep trees; the trees are constrained to be
// non-decreasing in every relevance feature, and a linear model that is not
// is refused, so that more substance never ranks a partner lower. A model is stored as bytes (XGBoost's JSON) with
// the feature layout's version; a model of another layout is refused.
//
// Thread-safe: Score() calls are serialised per model, because XGBoost
// documents concurrent prediction for tree boosters only; a prediction over
// one query's candidates takes microseconds.
#ifndef POLLINATOR_INDEX_LEARNED_RANKER_H_
#define POLLINATOR_INDEX_LEARNED_RANKER_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "pollinator/v1/matching.pb.h"

namespace pollinator {

// What a FindPartners response says ranked it (ranked_by): the hand-set
// scoring, or the tenant's model `version` ("learned-ranker-v<version>").
inline constexpr absl::string_view kRankedByRules = "rules";
std::string RankedByModel(int64_t version);

// What the model sees of a candidate: the scoring components of its
// suggestion (relevance first, then the priors).
inline constexpr int kRankerFeatureCount = 10;
// Changes whenever RankerFeaturesOf() changes meaning.
inline constexpr int kRankerFeatureVersion = 1;
using RankerFeatures = std::array<float, kRankerFeatureCount>;
RankerFeatures RankerFeaturesOf(const v1::ScoreBreakdown& components);

// The candidates of one query and what became of each: 1 for a partner the
// asker accepted, contacted or collaborated with, 0 otherwise.
struct RankingGroup {
  std::vector<RankerFeatures> candidates;
  std::vector<float> labels;
};

// Whether `group` has both a positive and a negative label: only such a
// group teaches a pairwise objective anything.
bool Teaches(const RankingGroup& group);

enum class Booster { kLinear, kShallowTrees };

struct RankerOptions {
  Booster booster = Booster::kLinear;
  int rounds = 60;
  // L2 regularisation (XGBoost's lambda).
  double l2 = 1.0;
  int max_depth = 2;  // Trees only.
  double learning_rate = 0.1;
};

class LearnedRanker {
 public:
  // Trains on the groups that have both a positive and a negative label
  // (the others teach a pairwise objective nothing). InvalidArgument
  // without any such group or with a group whose sizes differ;
  // FailedPrecondition for a linear model that would rank a partner lower
  // for more relevance (the trees are constrained instead).
  static absl::StatusOr<LearnedRanker> Train(absl::Span<const RankingGroup> groups, const RankerOptions& options);
  // Reads a model written by ToBytes(); InvalidArgument for other bytes or
  // another feature layout.
  static absl::StatusOr<LearnedRanker> FromBytes(const std::string& bytes);

  LearnedRanker(LearnedRanker&&) noexcept;
  LearnedRanker& operator=(LearnedRanker&&) noexcept;
  ~LearnedRanker();

  absl::StatusOr<std::string> ToBytes() const;
  Booster booster() const;
  // A score per candidate: higher ranks first. Only the order means
  // anything.
  absl::StatusOr<std::vector<float>> Score(absl::Span<const RankerFeatures> candidates) const;

 private:
  struct Handle;
  explicit LearnedRanker(std::unique_ptr<Handle> handle);
  std::unique_ptr<Handle> handle_;
};

// Mean nDCG@k of the groups ranked by `scores` (one vector per group),
// gains = labels; groups without a positive label are skipped. 0 for none.
double MeanNdcg(absl::Span<const RankingGroup> groups, const std::vector<std::vector<float>>& scores, int k);

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_LEARNED_RANKER_H_
