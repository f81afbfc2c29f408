#include "index/learned_ranker.h"

#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "index/match_scoring.h"

namespace pollinator {
namespace {

// Bytes = this header, then XGBoost's JSON model.
constexpr absl::string_view kMagic = "pollinator-ranker:";

// The relevance features come first (the reverse fit fifth): the trees may
// not rank a partner lower for more of them.
constexpr int kRelevanceFeatures = 5;
constexpr const char* kMonotone = "(1,1,1,1,1,0,0,0,0,0)";

absl::Status XgbError(absl::string_view what) {
  return absl::InternalError(absl::StrCat("xgboost ", what, ": ", XGBGetLastError()));
}

// Owns a DMatrix of candidates.
class Matrix {
 public:
  static absl::StatusOr<Matrix> Of(absl::Span<const RankerFeatures> rows) {
    std::vector<float> values;
    values.reserve(rows.size() * kRankerFeatureCount);
    for (const RankerFeatures& row : rows) values.insert(values.end(), row.begin(), row.end());
    Matrix matrix;
    if (XGDMatrixCreateFromMat(values.data(), rows.size(), kRankerFeatureCount, NAN, &matrix.handle_) != 0) {
      return XgbError("matrix");
    }
    return matrix;
  }
  Matrix(Matrix&& other) noexcept : handle_(other.handle_) { other.handle_ = nullptr; }
  ~Matrix() {
    if (handle_ != nullptr) XGDMatrixFree(handle_);
  }
  DMatrixHandle get() const { return handle_; }

 private:
  Matrix() = default;
  DMatrixHandle handle_ = nullptr;
};

}  // namespace

bool Teaches(const RankingGroup& group) {
  const auto positive = std::count_if(group.labels.begin(), group.labels.end(), [](float l) { return l > 0; });
  return positive > 0 && positive < static_cast<long>(group.labels.size());
}

std::string RankedByModel(int64_t version) { return absl::StrCat("learned-ranker-v", version); }

RankerFeatures RankerFeaturesOf(const v1::ScoreBreakdown& c) {
  return {static_cast<float>(c.pair_relevance()), static_cast<float>(c.relevance()),
          static_cast<float>(c.semantic()),       static_cast<float>(c.lexical()),
          static_cast<float>(c.has_reciprocal() ? c.reciprocal() : 0.0),
          static_cast<float>(c.geography()),      static_cast<float>(c.sector()),
          static_cast<float>(c.kind_fit()),       static_cast<float>(c.experience()),
          static_cast<float>(c.network())};
}

struct LearnedRanker::Handle {
  ~Handle() {
    if (booster != nullptr) XGBoosterFree(booster);
  }
  BoosterHandle booster = nullptr;
  Booster kind = Booster::kLinear;
  // Serialises predictions (see the header); the result buffer XGBoost
  // returns is read under it too.
  absl::Mutex predict_mu;
};

LearnedRanker::LearnedRanker(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}
LearnedRanker::LearnedRanker(LearnedRanker&&) noexcept = default;
LearnedRanker& LearnedRanker::operator=(LearnedRanker&&) noexcept = default;
LearnedRanker::~LearnedRanker() = default;

absl::StatusOr<LearnedRanker> LearnedRanker::Train(absl::Span<const RankingGroup> groups,
                                                   const RankerOptions& options) {
  std::vector<RankerFeatures> rows;
  std::vector<float> labels;
  std::vector<unsigned> sizes;
  for (const RankingGroup& group : groups) {
    if (group.candidates.size() != group.labels.size()) {
      return absl::InvalidArgumentError("ranking group: one label per candidate");
    }
    if (!Teaches(group)) continue;
    rows.insert(rows.end(), group.candidates.begin(), group.candidates.end());
    labels.insert(labels.end(), group.labels.begin(), group.labels.end());
    sizes.push_back(static_cast<unsigned>(group.candidates.size()));
  }
  if (sizes.empty()) {
    return absl::InvalidArgumentError("no query with both a positive and a negative outcome to learn from");
  }
  absl::StatusOr<Matrix> train = Matrix::Of(rows);
  if (!train.ok()) return train.status();
  if (XGDMatrixSetFloatInfo(train->get(), "label", labels.data(), labels.size()) != 0) return XgbError("labels");
  if (XGDMatrixSetUIntInfo(train->get(), "group", sizes.data(), sizes.size()) != 0) return XgbError("groups");

  auto handle = std::make_unique<Handle>();
  handle->kind = options.booster;
  const DMatrixHandle matrices[] = {train->get()};
  if (XGBoosterCreate(matrices, 1, &handle->booster) != 0) return XgbError("booster");
  std::vector<std::pair<std::string, std::string>> params = {
      {"objective", "rank:pairwise"},
      {"eta", absl::StrCat(options.learning_rate)},
      {"lambda", absl::StrCat(options.l2)},
      // Deterministic: one thread, a fixed seed.
      {"nthread", "1"},
      {"seed", "0"},
      {"verbosity", "0"},
  };
  if (options.booster == Booster::kLinear) {
    params.push_back({"booster", "gblinear"});
    params.push_back({"updater", "coord_descent"});
  } else {
    params.push_back({"booster", "gbtree"});
    params.push_back({"tree_method", "exact"});
    params.push_back({"max_depth", absl::StrCat(options.max_depth)});
    params.push_back({"monotone_constraints", kMonotone});
  }
  for (const auto& [name, value] : params) {
    if (XGBoosterSetParam(handle->booster, name.c_str(), value.c_str()) != 0) return XgbError(name);
  }
  for (int round = 0; round < options.rounds; ++round) {
    if (XGBoosterUpdateOneIter(handle->booster, round, train->get()) != 0) return XgbError("training");
  }
  LearnedRanker ranker(std::move(handle));
  if (options.booster == Booster::kLinear) {
    // XGBoost's linear booster takes no monotone constraints. Its score
    // must not fall along any way a pair gains substance: more semantic or
    // lexical fit also raises the pair's relevance (by the default shares),
    // a better reverse fit raises the combined relevance.
    const ScoringWeights shares;
    std::vector<RankerFeatures> probes(5);
    for (RankerFeatures& probe : probes) probe.fill(0.0f);
    probes[1][0] = probes[1][1] = 1.0f;                                                  // relevance
    probes[2][2] = 1.0f, probes[2][0] = probes[2][1] = static_cast<float>(shares.semantic);  // semantic
    probes[3][3] = 1.0f, probes[3][0] = probes[3][1] = static_cast<float>(shares.lexical);   // lexical
    probes[4][4] = 1.0f, probes[4][1] = 0.5f;                                            // reverse fit
    absl::StatusOr<std::vector<float>> scores = ranker.Score(probes);
    if (!scores.ok()) return scores.status();
    for (size_t p = 1; p < probes.size(); ++p) {
      if ((*scores)[p] < (*scores)[0]) {
        return absl::FailedPreconditionError(
            absl::StrCat("the linear model ranks a partner lower for more relevance (direction ", p, ")"));
      }
    }
  }
  return ranker;
}

absl::StatusOr<LearnedRanker> LearnedRanker::FromBytes(const std::string& bytes) {
  const absl::string_view view(bytes);
  const size_t colon = view.find(':', kMagic.size());
  int version = 0;
  if (!absl::StartsWith(view, kMagic) || colon == absl::string_view::npos ||
      !absl::SimpleAtoi(view.substr(kMagic.size(), colon - kMagic.size()), &version)) {
    return absl::InvalidArgumentError("not a ranker model");
  }
  if (version != kRankerFeatureVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat("ranker model of feature layout ", version, ", this build uses ", kRankerFeatureVersion));
  }
  const absl::string_view model = view.substr(colon + 1);
  auto handle = std::make_unique<Handle>();
  if (XGBoosterCreate(nullptr, 0, &handle->booster) != 0) return XgbError("booster");
  if (XGBoosterLoadModelFromBuffer(handle->booster, model.data(), model.size()) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("ranker model: ", XGBGetLastError()));
  }
  if (XGBoosterSetParam(handle->booster, "nthread", "1") != 0) return XgbError("nthread");
  handle->kind = absl::StrContains(model, "\"gblinear\"") ? Booster::kLinear : Booster::kShallowTrees;
  return LearnedRanker(std::move(handle));
}

Booster LearnedRanker::booster() const { return handle_->kind; }

absl::StatusOr<std::string> LearnedRanker::ToBytes() const {
  bst_ulong length = 0;
  const char* data = nullptr;
  absl::MutexLock lock(&handle_->predict_mu);
  if (XGBoosterSaveModelToBuffer(handle_->booster, R"({"format": "json"})", &length, &data) != 0) {
    return XgbError("save");
  }
  return absl::StrCat(kMagic, kRankerFeatureVersion, ":", absl::string_view(data, length));
}

absl::StatusOr<std::vector<float>> LearnedRanker::Score(absl::Span<const RankerFeatures> candidates) const {
  if (candidates.empty()) return std::vector<float>();
  absl::StatusOr<Matrix> matrix = Matrix::Of(candidates);
  if (!matrix.ok()) return matrix.status();
  const bst_ulong* shape = nullptr;
  bst_ulong dimension = 0;
  const float* result = nullptr;
  // Margins: the order is all that counts, and they need no squashing.
  constexpr const char* kConfig =
      R"({"type": 1, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false})";
  absl::MutexLock lock(&handle_->predict_mu);
  if (XGBoosterPredictFromDMatrix(handle_->booster, matrix->get(), kConfig, &shape, &dimension, &result) != 0) {
    return XgbError("prediction");
  }
  if (dimension < 1 || shape[0] != candidates.size()) {
    return absl::InternalError(absl::StrCat("xgboost prediction: ", shape[0], " scores for ", candidates.size(),
                                            " candidates"));
  }
  return std::vector<float>(result, result + candidates.size());
}

double MeanNdcg(absl::Span<const RankingGroup> groups, const std::vector<std::vector<float>>& scores, int k) {
  double total = 0.0;
  int counted = 0;
  for (size_t g = 0; g < groups.size() && g < scores.size(); ++g) {
    const RankingGroup& group = groups[g];
    std::vector<size_t> order(group.labels.size());
    std::iota(order.begin(), order.end(), 0);
    // Ties keep the candidates' given order.
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[g][a] > scores[g][b]; });
    std::vector<float> ideal = group.labels;
    std::sort(ideal.begin(), ideal.end(), std::greater<float>());
    double dcg = 0.0, best = 0.0;
    for (int i = 0; i < k && i < static_cast<int>(order.size()); ++i) {
      const double discount = std::log2(i + 2.0);
      dcg += group.labels[order[i]] / discount;
      best += ideal[i] / discount;
    }
    if (best <= 0) continue;
    total += dcg / best;
    ++counted;
  }
  return counted == 0 ? 0.0 : total / counted;
}

}  // namespace pollinator
