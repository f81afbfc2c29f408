#include "services/ranking/ranker_training.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "index/learned_ranker.h"
#include "services/validation.h"

namespace pollinator {
namespace {

constexpr double kDefaultValidationShare = 0.2;
constexpr int kDefaultMaxQueries = 1000;
constexpr int kMaxQueries = 10000;
constexpr int kNdcgDepth = 10;

bool IsPositive(v1::InteractionType type) {
  return type == v1::INTERACTION_TYPE_CONTACTED || type == v1::INTERACTION_TYPE_ACCEPTED ||
         type == v1::INTERACTION_TYPE_COLLABORATED;
}

bool IsOutcome(v1::InteractionType type) {
  return IsPositive(type) || type == v1::INTERACTION_TYPE_SHOWN || type == v1::INTERACTION_TYPE_DECLINED;
}

// One asker's outcomes on one side of the cut-off.
struct Query {
  std::string asker;
  // Sequence of its first outcome: the query is ranked as the tenant stood
  // just before it.
  int64_t as_of = 0;
  absl::flat_hash_set<std::string> positives;
};

// A query's candidates as the model sees them and as the current ranking
// ordered them.
struct LabelledQuery {
  RankingGroup group;
  std::vector<float> current_scores;
};

absl::Status ValidateRequest(const v1::TrainRankerRequest& request) {
  if (absl::Status s = ValidateTenant(request.tenant()); !s.ok()) return s;
  const double share = request.validation_share();
  if (share != 0 && !(share >= 0.05 && share <= 0.5)) {
    return absl::InvalidArgumentError(absl::StrCat("validation_share: ", share, " is outside [0.05, 0.5]"));
  }
  if (request.has_min_relevance() && !(request.min_relevance() >= 0 && request.min_relevance() <= 1)) {
    return absl::InvalidArgumentError(absl::StrCat("min_relevance: ", request.min_relevance(), " is outside [0, 1]"));
  }
  if (request.max_queries() < 0 || request.max_queries() > kMaxQueries) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_queries: ", request.max_queries(), " is outside [0, ", kMaxQueries, "]"));
  }
  return absl::OkStatus();
}

// Groups the outcomes before and from `cutoff` into queries, each side's
// oldest first.
void GroupQueries(const std::vector<v1::Interaction>& outcomes, int64_t cutoff, std::vector<Query>& training,
                  std::vector<Query>& validation) {
  absl::flat_hash_map<std::string, size_t> training_index, validation_index;
  for (const v1::Interaction& outcome : outcomes) {
    const bool trains = outcome.sequence() < cutoff;
    auto& index = trains ? training_index : validation_index;
    std::vector<Query>& queries = trains ? training : validation;
    auto [it, inserted] = index.try_emplace(outcome.from_profile_id(), queries.size());
    if (inserted) queries.push_back({outcome.from_profile_id(), outcome.sequence(), {}});
    if (IsPositive(outcome.type())) queries[it->second].positives.insert(outcome.to_profile_id());
  }
}

// Candidates and labels of each query, ranked as the tenant stood at its
// time. Queries whose asker is gone or has nothing to match are skipped.
absl::StatusOr<std::vector<LabelledQuery>> Label(const Catalog& catalog, const Matcher& matcher,
                                                 const v1::TrainRankerRequest& request,
                                                 const std::vector<v1::Interaction>& history,
                                                 const std::vector<Query>& queries,
                                                 const std::function<bool()>& cancelled) {
  std::vector<LabelledQuery> labelled;
  InteractionGraph graph;
  size_t replayed = 0;
  for (const Query& query : queries) {
    if (cancelled()) return absl::CancelledError("TrainRanker: cancelled by the client");
    while (replayed < history.size() && history[replayed].sequence() < query.as_of) graph.Add(history[replayed++]);
    v1::FindPartnersRequest find;
    find.set_tenant(request.tenant());
    find.set_profile_id(query.asker);
    find.set_top_k(kMaxTopK);
    if (request.has_min_relevance()) find.set_min_relevance(request.min_relevance());
    MatchHistory as_of;
    as_of.graph = &graph;
    as_of.include_expired_query_items = true;
    absl::StatusOr<std::vector<RankedCandidate>> candidates;
    absl::Status read = catalog.ReadTenant(request.tenant(), [&](const TenantState* state) -> absl::Status {
      if (state == nullptr) return absl::NotFoundError("tenant has no data");
      candidates = matcher.RankedCandidates(*state, find, as_of);
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    if (absl::IsNotFound(candidates.status()) || absl::IsFailedPrecondition(candidates.status())) continue;
    if (!candidates.ok()) return candidates.status();
    LabelledQuery out;
    for (const RankedCandidate& candidate : *candidates) {
      out.group.candidates.push_back(RankerFeaturesOf(candidate.features));
      out.group.labels.push_back(query.positives.contains(candidate.partner_id) ? 1.0f : 0.0f);
      out.current_scores.push_back(static_cast<float>(candidate.score));
    }
    labelled.push_back(std::move(out));
  }
  return labelled;
}

std::vector<RankingGroup> Groups(const std::vector<LabelledQuery>& queries) {
  std::vector<RankingGroup> groups;
  for (const LabelledQuery& query : queries) groups.push_back(query.group);
  return groups;
}

absl::StatusOr<double> NdcgOf(const LearnedRanker& ranker, const std::vector<RankingGroup>& groups) {
  std::vector<std::vector<float>> scores;
  for (const RankingGroup& group : groups) {
    absl::StatusOr<std::vector<float>> s = ranker.Score(group.candidates);
    if (!s.ok()) return s.status();
    scores.push_back(std::move(*s));
  }
  return MeanNdcg(groups, scores, kNdcgDepth);
}

int Teaching(const std::vector<RankingGroup>& groups) {
  return static_cast<int>(std::count_if(groups.begin(), groups.end(), Teaches));
}

// A model with `booster`, or with the shallow trees when the linear model
// would weigh relevance negatively.
absl::StatusOr<LearnedRanker> TrainWith(const std::vector<RankingGroup>& groups, Booster booster) {
  RankerOptions options;
  options.booster = booster;
  absl::StatusOr<LearnedRanker> ranker = LearnedRanker::Train(groups, options);
  if (booster != Booster::kLinear || !absl::IsFailedPrecondition(ranker.status())) return ranker;
  options.booster = Booster::kShallowTrees;
  return LearnedRanker::Train(groups, options);
}

// The booster that ranks the last quarter of `groups` best when trained on
// the rest; the linear one when the history is too short to tell.
absl::StatusOr<Booster> ChooseBooster(const std::vector<RankingGroup>& groups) {
  const size_t split = groups.size() * 3 / 4;
  const std::vector<RankingGroup> earlier(groups.begin(), groups.begin() + split);
  const std::vector<RankingGroup> later(groups.begin() + split, groups.end());
  if (Teaching(earlier) == 0 || Teaching(later) == 0) return Booster::kLinear;
  Booster best = Booster::kLinear;
  double best_ndcg = -1;
  for (Booster booster : {Booster::kLinear, Booster::kShallowTrees}) {
    RankerOptions options;
    options.booster = booster;
    absl::StatusOr<LearnedRanker> ranker = LearnedRanker::Train(earlier, options);
    if (absl::IsFailedPrecondition(ranker.status())) continue;  // A linear model against relevance.
    if (!ranker.ok()) return ranker.status();
    absl::StatusOr<double> ndcg = NdcgOf(*ranker, later);
    if (!ndcg.ok()) return ndcg.status();
    if (*ndcg > best_ndcg) best = booster, best_ndcg = *ndcg;
  }
  return best;
}

}  // namespace

absl::StatusOr<v1::TrainRankerResponse> TrainRanker(Catalog& catalog, const Matcher& matcher,
                                                    const v1::TrainRankerRequest& request,
                                                    const std::function<bool()>& cancelled) {
  if (absl::Status s = ValidateRequest(request); !s.ok()) return s;
  absl::StatusOr<std::vector<v1::Interaction>> history = catalog.AllInteractions(request.tenant());
  if (!history.ok()) return history.status();
  std::vector<v1::Interaction> outcomes;
  for (const v1::Interaction& interaction : *history) {
    if (IsOutcome(interaction.type())) outcomes.push_back(interaction);
  }
  if (static_cast<int>(outcomes.size()) < kMinTrainingOutcomes) {
    return absl::FailedPreconditionError(absl::StrCat("tenant \"", request.tenant(), "\" has ", outcomes.size(),
                                                      " recorded outcomes; training needs at least ",
                                                      kMinTrainingOutcomes));
  }
  const double share = request.validation_share() == 0 ? kDefaultValidationShare : request.validation_share();
  const int64_t cutoff =
      outcomes[static_cast<size_t>(std::floor(static_cast<double>(outcomes.size()) * (1.0 - share)))].sequence();
  std::vector<Query> training, validation;
  GroupQueries(outcomes, cutoff, training, validation);
  // The most recent queries: the tenant's current behaviour.
  const size_t max_queries = request.max_queries() == 0 ? kDefaultMaxQueries : request.max_queries();
  if (training.size() > max_queries) training.erase(training.begin(), training.end() - max_queries);
  if (validation.size() > std::max<size_t>(1, max_queries / 4)) validation.resize(std::max<size_t>(1, max_queries / 4));

  absl::StatusOr<std::vector<LabelledQuery>> train =
      Label(catalog, matcher, request, *history, training, cancelled);
  if (!train.ok()) return train.status();
  absl::StatusOr<std::vector<LabelledQuery>> validate =
      Label(catalog, matcher, request, *history, validation, cancelled);
  if (!validate.ok()) return validate.status();
  const std::vector<RankingGroup> train_groups = Groups(*train);
  const std::vector<RankingGroup> validation_groups = Groups(*validate);

  v1::TrainRankerResponse report;
  report.set_cutoff_sequence(cutoff);
  report.set_training_queries(Teaching(train_groups));
  report.set_validation_queries(Teaching(validation_groups));
  if (report.training_queries() == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "tenant \"", request.tenant(), "\": no asker before sequence ", cutoff,
        " has both a positive outcome and another candidate above the relevance floor to learn from"));
  }
  absl::StatusOr<Booster> booster = ChooseBooster(train_groups);
  if (!booster.ok()) return booster.status();
  absl::StatusOr<LearnedRanker> ranker = TrainWith(train_groups, *booster);
  if (!ranker.ok()) return ranker.status();
  report.set_booster(ranker->booster() == Booster::kLinear ? "gblinear" : "gbtree");

  std::vector<std::vector<float>> current;
  for (const LabelledQuery& query : *validate) current.push_back(query.current_scores);
  report.set_previous_ndcg(MeanNdcg(validation_groups, current, kNdcgDepth));
  absl::StatusOr<double> model_ndcg = NdcgOf(*ranker, validation_groups);
  if (!model_ndcg.ok()) return model_ndcg.status();
  report.set_model_ndcg(*model_ndcg);
  absl::Status read = catalog.ReadTenant(request.tenant(), [&](const TenantState* state) {
    // A stored model that failed to load ranks nothing: the rules do.
    const bool model = state != nullptr && state->ranker != nullptr;
    report.set_previous_ranked_by(model ? RankedByModel(state->record.active_ranker_version())
                                        : std::string(kRankedByRules));
    return absl::OkStatus();
  });
  if (!read.ok()) return read;

  const bool better = report.validation_queries() > 0 && report.model_ndcg() > report.previous_ndcg();
  report.set_activated(better);
  report.set_summary(
      report.validation_queries() == 0
          ? "not activated: no later asker has a positive outcome among its candidates to validate on"
          : absl::StrFormat("%s: nDCG@10 %.4f on %d later queries against %.4f for %s",
                            better ? "activated" : "not activated", report.model_ndcg(), report.validation_queries(),
                            report.previous_ndcg(), report.previous_ranked_by()));

  v1::RankerModelRecord model;
  absl::StatusOr<std::string> bytes = ranker->ToBytes();
  if (!bytes.ok()) return bytes.status();
  model.set_model(std::move(*bytes));
  model.set_trained_at_unix_ms(absl::ToUnixMillis(absl::Now()));
  *model.mutable_report() = report;
  std::shared_ptr<const LearnedRanker> activate =
      better ? std::make_shared<const LearnedRanker>(std::move(*ranker)) : nullptr;
  absl::StatusOr<int64_t> version = catalog.StoreRankerModel(request.tenant(), std::move(model), std::move(activate));
  if (!version.ok()) return version.status();
  report.set_model_version(*version);
  return report;
}

}  // namespace pollinator
