#include "bench/ranking_metrics.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"

namespace pollinator {

RankingScores ScoreRanking(const std::vector<std::string>& ranked, const absl::flat_hash_set<std::string>& relevant) {
  RankingScores scores;
  if (relevant.empty()) return scores;
  int hits_10 = 0, hits_50 = 0;
  double dcg = 0;
  for (size_t i = 0; i < ranked.size() && i < 50; ++i) {
    if (!relevant.contains(ranked[i])) continue;
    if (i < 10) {
      ++hits_10;
      dcg += 1.0 / std::log2(static_cast<double>(i) + 2.0);
    }
    ++hits_50;
    if (scores.mrr == 0) scores.mrr = 1.0 / static_cast<double>(i + 1);
  }
  double ideal = 0;
  for (size_t i = 0; i < std::min<size_t>(10, relevant.size()); ++i) ideal += 1.0 / std::log2(static_cast<double>(i) + 2.0);
  scores.recall_at_10 = static_cast<double>(hits_10) / static_cast<double>(relevant.size());
  scores.recall_at_50 = static_cast<double>(hits_50) / static_cast<double>(relevant.size());
  scores.ndcg_at_10 = dcg / ideal;
  return scores;
}

void MetricsTable::Add(const std::string& method, const std::string& segment, const RankingScores& scores) {
  Sum& sum = sums_[{method, segment}];
  sum.total.recall_at_10 += scores.recall_at_10;
  sum.total.recall_at_50 += scores.recall_at_50;
  sum.total.ndcg_at_10 += scores.ndcg_at_10;
  sum.total.mrr += scores.mrr;
  ++sum.count;
}

double MetricsTable::Mean(const std::string& method, const std::string& segment,
                          double RankingScores::*metric) const {
  auto it = sums_.find({method, segment});
  if (it == sums_.end() || it->second.count == 0) return 0;
  return it->second.total.*metric / it->second.count;
}

std::string MetricsTable::Format(const std::vector<std::string>& methods,
                                 const std::vector<std::string>& segments) const {
  std::string out = "| method | queries | segment | Recall@10 | Recall@50 | nDCG@10 | MRR |\n|---|---:|---|---:|---:|---:|---:|\n";
  for (const std::string& segment : segments) {
    for (const std::string& method : methods) {
      auto it = sums_.find({method, segment});
      const int count = it == sums_.end() ? 0 : it->second.count;
      absl::StrAppendFormat(&out, "| %s | %d | %s | %.4f | %.4f | %.4f | %.4f |\n", method, count, segment,
                            Mean(method, segment, &RankingScores::recall_at_10),
                            Mean(method, segment, &RankingScores::recall_at_50),
                            Mean(method, segment, &RankingScores::ndcg_at_10), Mean(method, segment, &RankingScores::mrr));
    }
  }
  return out;
}

}  // namespace pollinator
