// TrainRanker: trains a tenant's ranking model on its recorded outcomes and
// activates it only if it ranks later outcomes better than the current
// ranking does.
//
//  1. Outcomes are the interactions an asker (from_profile_id) had with a
//     partner: contacted, accepted and collaborated are positives; shown and
//     declined, and candidates the asker did nothing with, negatives.
//  2. The outcomes before a cut-off sequence train, the later ones (the
//     request's validation_share) validate: a temporal split, never a random
//     one. Each asker's outcomes on one side of the cut-off form a query.
//  3. A query's network features are those of the moment its first outcome
//     was recorded: the interaction graph is replayed up to that point, so
//     that the collaboration being predicted never feeds the network feature
//     that predicts it. Profiles, texts and experience are today's: the
//     Store keeps no history of them, so a client that updates
//     completed_projects after a collaboration leaks it into training.
//  4. A linear booster and shallow trees are each trained on the earlier
//     three quarters of the training queries and compared on the last
//     quarter; the better one is trained on all of them.
//  5. The model is stored (versioned) and activated only if its nDCG@10 on
//     the validation queries beats the current ranking's (the active model,
//     or the hand-set scoring).
//
//   absl::StatusOr<v1::TrainRankerResponse> report = TrainRanker(catalog, matcher, request, cancelled);
#ifndef POLLINATOR_SERVICES_RANKING_RANKER_TRAINING_H_
#define POLLINATOR_SERVICES_RANKING_RANKER_TRAINING_H_

#include <functional>

#include "absl/status/statusor.h"
#include "pollinator/v1/matching.pb.h"
#include "services/catalog.h"
#include "services/matcher.h"

namespace pollinator {

// Fewest outcomes worth training on.
inline constexpr int kMinTrainingOutcomes = 20;

// `cancelled` is polled between queries; when it returns true the training
// stops with CANCELLED and nothing is stored.
absl::StatusOr<v1::TrainRankerResponse> TrainRanker(Catalog& catalog, const Matcher& matcher,
                                                    const v1::TrainRankerRequest& request,
                                                    const std::function<bool()>& cancelled);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_RANKING_RANKER_TRAINING_H_
