// Ranking metrics with binary relevance, averaged over queries and reported
// per segment (all queries, returning SMEs, new SMEs).
#ifndef POLLINATOR_BENCH_RANKING_METRICS_H_
#define POLLINATOR_BENCH_RANKING_METRICS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"

namespace pollinator {

struct RankingScores {
  double recall_at_10 = 0;
  double recall_at_50 = 0;
  double ndcg_at_10 = 0;
  double mrr = 0;
};

// Scores one ranked list against the set of relevant ids.
RankingScores ScoreRanking(const std::vector<std::string>& ranked, const absl::flat_hash_set<std::string>& relevant);

// Sums scores per (method, segment) and prints the means as a table.
class MetricsTable {
 public:
  void Add(const std::string& method, const std::string& segment, const RankingScores& scores);
  double Mean(const std::string& method, const std::string& segment, double RankingScores::*metric) const;
  // Markdown table: method, segment, queries, Recall@10, Recall@50, nDCG@10, MRR.
  std::string Format(const std::vector<std::string>& methods, const std::vector<std::string>& segments) const;

 private:
  struct Sum {
    RankingScores total;
    int count = 0;
  };
  std::map<std::pair<std::string, std::string>, Sum> sums_;
};

}  // namespace pollinator

#endif  // POLLINATOR_BENCH_RANKING_METRICS_H_
