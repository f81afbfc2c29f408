// quality_bench: how well Pollinator's ranking predicts real consortia.
//
// Imports past CORDIS Horizon Europe organisations into a real in-process
// server, asks FindPartners for the partners of every SME in a later project
// (the project's idea is the SME's need), and scores the ranking against the
// real consortium, next to three baselines computed on the same split in the
// same run: Xapian BM25, popularity (past projects) and BM25 + popularity.
// See bench/README.md for results.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/bm25_baseline.h"
#include "bench/cordis_split.h"
#include "bench/lsa_embedding.h"
#include "bench/ranking_metrics.h"
#include "pollinator/v1/service.grpc.pb.h"
#include "services/server.h"

ABSL_FLAG(std::string, dataset, "../shared/datasets/cordis_he_hopon",
          "Folder with projects.csv, participations.csv and organisations.csv (CORDIS Horizon Europe subset).");
ABSL_FLAG(std::string, split_date, "2024-07-01", "Projects starting before this day form the corpus; later ones the queries.");
ABSL_FLAG(std::string, describe_until, "",
          "Organisations are described by their projects that started before this day (empty: --split_date); SMEs' "
          "projects from then to --split_date are their expired needs, the outcomes --train_ranker learns from.");
ABSL_FLAG(int, max_queries, 0, "Evaluate only the first N queries (0: all).");
ABSL_FLAG(int, dimension, 256, "Dimension of the built-in hashing embedder for the benchmark tenant.");
ABSL_FLAG(std::string, weights, "",
          "Scoring weights to try, e.g. \"prior_share=0.5,semantic=0.4,lexical=0.6\"; unnamed weights keep the "
          "service defaults (see pollinatord --help for the groups that must sum to 1).");
ABSL_FLAG(std::string, embedder, "builtin",
          "builtin: the service embeds texts (hashing TF-IDF, --dimension); lsa: the benchmark sends client vectors "
          "from latent semantic analysis trained on the corpus (hashed TF-IDF projected by PCA to --dimension).");
ABSL_FLAG(double, min_relevance, -1,
          "Relevance floor of the Pollinator requests, 0 to 1; negative leaves the service default. Every query has "
          "true partners, so an empty list scores 0: the floor's price on this benchmark.");
ABSL_FLAG(bool, train_ranker, false,
          "Train the tenant's ranking model on the past consortia (TrainRanker) before the queries; they are ranked "
          "by it if it beat the hand-set scoring on the latest past outcomes.");
ABSL_FLAG(int, ranker_queries, 1000, "TrainRanker's max_queries: the most recent past SMEs it trains on.");
ABSL_FLAG(int, examples, 3, "Suggestions to print, with reasons, for one example SME query.");

namespace pollinator {
namespace {

constexpr int kTopK = 50;
// The longest page: what the ranking sees at all, for candidate recall.
constexpr int kWidestPage = 100;
// BM25 candidates re-ranked by the BM25 + popularity blend.
constexpr int kBlendPool = 200;
const std::vector<double> kBlendWeights = {0.1, 0.2, 0.3, 0.5, 1.0};

std::string BlendName(double weight) { return absl::StrFormat("BM25 + popularity (w=%.1f)", weight); }

grpc::Status Check(const grpc::Status& status, const std::string& what) {
  if (!status.ok()) {
    std::cerr << "quality_bench: " << what << ": " << status.error_message() << "\n";
    std::exit(EXIT_FAILURE);
  }
  return status;
}

void Import(v1::ProfileService::Stub& profiles, const std::vector<v1::Profile>& corpus) {
  constexpr size_t kBatch = 500;
  for (size_t start = 0; start < corpus.size(); start += kBatch) {
    grpc::ClientContext context;
    v1::BulkUpsertResponse response;
    auto writer = profiles.BulkUpsert(&context, &response);
    for (size_t i = start; i < std::min(corpus.size(), start + kBatch); ++i) {
      v1::UpsertProfileRequest request;
      request.set_tenant("cordis");
      *request.mutable_profile() = corpus[i];
      writer->Write(request);
    }
    writer->WritesDone();
    Check(writer->Finish(), "import");
    for (const auto& error : response.errors()) {
      std::cerr << "quality_bench: import error " << error.profile_id() << ": " << error.message() << "\n";
    }
    std::cerr << "quality_bench: imported " << std::min(corpus.size(), start + kBatch) << "/" << corpus.size()
              << " organisations\n";
  }
}

// Hashed TF-IDF dimension that LSA projects from.
constexpr int kLsaHashedDimension = 2048;

void AddLsaVectors(const LsaEmbedding& lsa, v1::Profile& profile) {
  for (v1::Need& need : *profile.mutable_needs()) {
    const std::vector<float> vector = lsa.Embed(need.text());
    need.mutable_vector()->Assign(vector.begin(), vector.end());
  }
  for (v1::Offer& offer : *profile.mutable_offers()) {
    const std::vector<float> vector = lsa.Embed(offer.text());
    offer.mutable_vector()->Assign(vector.begin(), vector.end());
  }
}

// The past consortia, project by project in start-date order: the network
// the service learns from, and the outcomes a learned ranker trains on.
void RecordCollaborations(v1::InteractionService::Stub& interactions,
                          const std::vector<v1::Interaction>& collaborations) {
  constexpr size_t kBatch = 1000;
  for (size_t start = 0; start < collaborations.size(); start += kBatch) {
    grpc::ClientContext context;
    v1::RecordInteractionsRequest request;
    request.set_tenant("cordis");
    for (size_t i = start; i < std::min(collaborations.size(), start + kBatch); ++i) {
      *request.add_interactions() = collaborations[i];
    }
    v1::RecordInteractionsResponse response;
    Check(interactions.RecordInteractions(&context, request, &response), "record collaborations");
  }
  std::cerr << "quality_bench: recorded " << collaborations.size() << " past collaborations\n";
}

// Trains the tenant's ranking model on the past consortia (TrainRanker) and
// prints its report; the queries that follow are ranked by it if it won.
void TrainRanker(v1::MatchService::Stub& matches) {
  grpc::ClientContext context;
  v1::TrainRankerRequest request;
  request.set_tenant("cordis");
  request.set_max_queries(absl::GetFlag(FLAGS_ranker_queries));
  if (const double floor = absl::GetFlag(FLAGS_min_relevance); floor >= 0) request.set_min_relevance(floor);
  v1::TrainRankerResponse report;
  const auto started = std::chrono::steady_clock::now();
  Check(matches.TrainRanker(&context, request, &report), "train ranker");
  std::cout << absl::StrFormat(
      "TrainRanker: model %d (%s), %d training and %d validation queries, cut-off sequence %d, %.1f s: %s\n",
      report.model_version(), report.booster(), report.training_queries(), report.validation_queries(),
      report.cutoff_sequence(), std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
      report.summary());
}

std::vector<std::string> PopularityRanking(const CordisSplit& split, const std::string& excluded) {
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto& [id, count] : split.past_projects) {
    if (id != excluded) ranked.emplace_back(-count, id);
  }
  std::partial_sort(ranked.begin(), ranked.begin() + std::min<size_t>(kTopK, ranked.size()), ranked.end());
  std::vector<std::string> ids;
  for (size_t i = 0; i < ranked.size() && i < static_cast<size_t>(kTopK); ++i) ids.push_back(ranked[i].second);
  return ids;
}

std::vector<std::string> BlendRanking(const std::vector<Bm25Baseline::Hit>& hits, const CordisSplit& split,
                                      double max_log_popularity, double weight) {
  if (hits.empty()) return {};
  const double max_bm25 = hits.front().score;
  std::vector<std::pair<double, std::string>> scored;
  for (const Bm25Baseline::Hit& hit : hits) {
    const double popularity = std::log1p(split.past_projects.at(hit.profile_id)) / max_log_popularity;
    scored.emplace_back(-(hit.score / max_bm25 + weight * popularity), hit.profile_id);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> ids;
  for (size_t i = 0; i < scored.size() && i < static_cast<size_t>(kTopK); ++i) ids.push_back(scored[i].second);
  return ids;
}

const std::string& Idea(const CordisQuery& query) {
  return query.asker.needs(query.asker.needs_size() - 1).text();
}

// Undoes the query's upsert: a returning SME gets its corpus profile back, a
// new one is deleted.
void RestoreCorpus(v1::ProfileService::Stub& profiles, const CordisQuery& query) {
  grpc::ClientContext context;
  if (query.returning) {
    v1::UpsertProfileRequest upsert;
    upsert.set_tenant("cordis");
    *upsert.mutable_profile() = query.asker;
    upsert.mutable_profile()->mutable_needs()->RemoveLast();
    v1::UpsertProfileResponse upserted;
    Check(profiles.UpsertProfile(&context, upsert, &upserted), "restore returning SME");
    return;
  }
  v1::DeleteProfileRequest remove;
  remove.set_tenant("cordis");
  remove.set_id(query.asker.id());
  v1::DeleteProfileResponse removed;
  Check(profiles.DeleteProfile(&context, remove, &removed), "delete query profile");
}

int Run() {
  const std::string dataset = absl::GetFlag(FLAGS_dataset);
  if (!std::filesystem::exists(std::filesystem::path(dataset) / "projects.csv")) {
    std::cout << "quality_bench: skipped: " << dataset
              << "/projects.csv not found (the CORDIS data is not part of the repository; pass --dataset)\n";
    return EXIT_SUCCESS;
  }
  absl::StatusOr<CordisSplit> split = LoadCordisSplit(dataset, absl::GetFlag(FLAGS_split_date), absl::GetFlag(FLAGS_describe_until));
  if (!split.ok()) {
    std::cerr << "quality_bench: " << split.status() << "\n";
    return EXIT_FAILURE;
  }
  int returning = 0;
  for (const CordisQuery& q : split->queries) returning += q.returning ? 1 : 0;
  std::cout << "split " << absl::GetFlag(FLAGS_split_date) << ": " << split->past_project_count << " past projects, "
            << split->future_project_count << " later projects; corpus " << split->corpus.size()
            << " organisations; " << split->queries.size() << " SME queries (" << returning << " returning, "
            << split->queries.size() - returning << " new); " << split->queries_without_known_partners
            << " queries dropped (no partner in the corpus)\n";

  const std::string data_dir = (std::filesystem::temp_directory_path() / absl::StrCat("pollinator-quality-", getpid())).string();
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = data_dir;
  // The benchmark is the only client, in process: no API keys to check.
  options.access.enforce = false;
  options.embedder.dimension = absl::GetFlag(FLAGS_dimension);
  if (const std::string weights = absl::GetFlag(FLAGS_weights); !weights.empty()) {
    absl::StatusOr<ScoringWeights> parsed = ParseScoringWeights(weights);
    if (!parsed.ok()) {
      std::cerr << "quality_bench: --weights: " << parsed.status().message() << "\n";
      return EXIT_FAILURE;
    }
    options.weights = *parsed;
  }
  absl::StatusOr<std::unique_ptr<PollinatorServer>> server = PollinatorServer::Start(options);
  if (!server.ok()) {
    std::cerr << "quality_bench: " << server.status() << "\n";
    return EXIT_FAILURE;
  }
  auto channel = (*server)->InProcessChannel();
  auto profiles = v1::ProfileService::NewStub(channel);
  auto matches = v1::MatchService::NewStub(channel);
  std::unique_ptr<LsaEmbedding> lsa;
  if (absl::GetFlag(FLAGS_embedder) == "lsa") {
    std::vector<std::string> texts;
    for (const v1::Profile& profile : split->corpus) {
      for (const v1::Offer& offer : profile.offers()) texts.push_back(offer.text());
    }
    const auto trained_at = std::chrono::steady_clock::now();
    absl::StatusOr<std::unique_ptr<LsaEmbedding>> trained = LsaEmbedding::Train(texts, kLsaHashedDimension,
                                                                               absl::GetFlag(FLAGS_dimension));
    if (!trained.ok()) {
      std::cerr << "quality_bench: " << trained.status() << "\n";
      return EXIT_FAILURE;
    }
    lsa = std::move(*trained);
    for (v1::Profile& profile : split->corpus) AddLsaVectors(*lsa, profile);
    for (CordisQuery& query : split->queries) AddLsaVectors(*lsa, query.asker);
    std::cout << "LSA: trained on " << texts.size() << " texts in "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - trained_at).count() << " s\n";
  } else if (absl::GetFlag(FLAGS_embedder) != "builtin") {
    std::cerr << "quality_bench: --embedder: must be builtin or lsa\n";
    return EXIT_FAILURE;
  }
  Import(*profiles, split->corpus);
  auto interactions = v1::InteractionService::NewStub(channel);
  RecordCollaborations(*interactions, split->collaborations);
  if (absl::GetFlag(FLAGS_train_ranker)) TrainRanker(*matches);
  Bm25Baseline bm25(split->corpus);
  double max_log_popularity = 1;
  for (const auto& [id, count] : split->past_projects) max_log_popularity = std::max(max_log_popularity, std::log1p(count));

  MetricsTable table;
  const int max_queries = absl::GetFlag(FLAGS_max_queries);
  const size_t query_count = max_queries > 0 ? std::min<size_t>(max_queries, split->queries.size()) : split->queries.size();
  bool example_printed = false;
  const auto started = std::chrono::steady_clock::now();
  size_t no_relevant_partner = 0;
  std::set<std::string> ranked_by;
  double candidate_recall_sum = 0, bm25_recall_sum = 0;
  for (size_t i = 0; i < query_count; ++i) {
    const CordisQuery& query = split->queries[i];
    const std::string own_id = CordisProfileId(query.sme_org_id);
    const std::string segment = query.returning ? "returning SMEs" : "new SMEs";
    auto add = [&](const std::string& method, const std::vector<std::string>& ranked) {
      const RankingScores scores = ScoreRanking(ranked, query.relevant);
      table.Add(method, "all", scores);
      table.Add(method, segment, scores);
    };

    // Pollinator: the SME asks with its need, through the real API.
    {
      grpc::ClientContext upsert_context;
      v1::UpsertProfileRequest upsert;
      upsert.set_tenant("cordis");
      *upsert.mutable_profile() = query.asker;
      v1::UpsertProfileResponse upserted;
      Check(profiles->UpsertProfile(&upsert_context, upsert, &upserted), "upsert query profile");
      grpc::ClientContext match_context;
      v1::FindPartnersRequest request;
      request.set_tenant("cordis");
      request.set_profile_id(query.asker.id());
      request.set_top_k(kTopK);
      request.mutable_filters()->add_exclude_profile_ids(own_id);
      if (const double floor = absl::GetFlag(FLAGS_min_relevance); floor >= 0) request.set_min_relevance(floor);
      v1::FindPartnersResponse response;
      Check(matches->FindPartners(&match_context, request, &response), "find partners");
      if (response.no_relevant_partner()) ++no_relevant_partner;
      ranked_by.insert(response.ranked_by());
      // Candidate recall: the true partners among the widest page with the
      // floor off, which bounds every ranking after it.
      {
        grpc::ClientContext wide_context;
        v1::FindPartnersRequest wide = request;
        wide.set_top_k(kWidestPage);
        wide.set_min_relevance(0);
        v1::FindPartnersResponse wide_response;
        Check(matches->FindPartners(&wide_context, wide, &wide_response), "find partners, widest page");
        size_t found = 0;
        for (const v1::Suggestion& s : wide_response.suggestions()) found += query.relevant.contains(s.partner().id());
        candidate_recall_sum += query.relevant.empty() ? 0.0 : static_cast<double>(found) / query.relevant.size();
      }
      std::vector<std::string> ranked;
      for (const v1::Suggestion& s : response.suggestions()) ranked.push_back(s.partner().id());
      add("Pollinator", ranked);
      if (!example_printed && query.returning && !ranked.empty() && query.relevant.contains(ranked[0])) {
        example_printed = true;
        std::cout << "\nExample: SME " << query.asker.name() << " (" << query.asker.location().city() << ", "
                  << query.asker.location().country() << "), project " << query.project_id << "\n  need: "
                  << Idea(query).substr(0, 160) << "…\n";
        for (int k = 0; k < std::min(absl::GetFlag(FLAGS_examples), response.suggestions_size()); ++k) {
          const v1::Suggestion& s = response.suggestions(k);
          std::cout << absl::StrFormat("  #%d %.3f %s (%s, %s)%s\n", k + 1, s.score(), s.partner().name(),
                                       s.partner().location().city(), s.partner().location().country(),
                                       query.relevant.contains(s.partner().id()) ? " [in the real consortium]" : "");
          for (const std::string& reason : s.reasons()) std::cout << "     - " << reason << "\n";
        }
        std::cout << "\n";
      }
      RestoreCorpus(*profiles, query);
    }

    const std::vector<Bm25Baseline::Hit> hits = bm25.Search(Idea(query), kBlendPool, own_id);
    {
      size_t found = 0;
      for (size_t h = 0; h < hits.size() && h < static_cast<size_t>(kWidestPage); ++h) {
        found += query.relevant.contains(hits[h].profile_id);
      }
      bm25_recall_sum += query.relevant.empty() ? 0.0 : static_cast<double>(found) / query.relevant.size();
    }
    std::vector<std::string> bm25_ranked;
    for (size_t h = 0; h < hits.size() && h < static_cast<size_t>(kTopK); ++h) bm25_ranked.push_back(hits[h].profile_id);
    add("BM25 (Xapian)", bm25_ranked);
    add("popularity", PopularityRanking(*split, own_id));
    for (double weight : kBlendWeights) add(BlendName(weight), BlendRanking(hits, *split, max_log_popularity, weight));
    if ((i + 1) % 100 == 0) std::cerr << "quality_bench: " << i + 1 << "/" << query_count << " queries\n";
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::vector<std::string> methods = {"Pollinator", "BM25 (Xapian)", "popularity"};
  std::string best_blend = BlendName(kBlendWeights[0]);
  for (double weight : kBlendWeights) {
    if (table.Mean(BlendName(weight), "all", &RankingScores::ndcg_at_10) >
        table.Mean(best_blend, "all", &RankingScores::ndcg_at_10)) {
      best_blend = BlendName(weight);
    }
  }
  methods.push_back(best_blend);
  std::cout << table.Format(methods, {"all", "returning SMEs", "new SMEs"});
  std::cout << "\nBM25 + popularity: best of w in {0.1, 0.2, 0.3, 0.5, 1.0} by overall nDCG@10 (tuned on the queries, "
               "so the baseline is given its best case).\n";
  double best_ndcg = 0, best_recall = 0;
  for (const std::string& method : {std::string("BM25 (Xapian)"), std::string("popularity"), best_blend}) {
    best_ndcg = std::max(best_ndcg, table.Mean(method, "all", &RankingScores::ndcg_at_10));
    best_recall = std::max(best_recall, table.Mean(method, "all", &RankingScores::recall_at_50));
  }
  std::cout << absl::StrFormat(
      "Pollinator / best baseline: nDCG@10 %.2fx, Recall@50 %.2fx (target 1.5x). %zu queries in %.1f s.\n",
      table.Mean("Pollinator", "all", &RankingScores::ndcg_at_10) / best_ndcg,
      table.Mean("Pollinator", "all", &RankingScores::recall_at_50) / best_recall, query_count, seconds);
  std::cout << absl::StrFormat(
      "Candidate recall, true partners among the top %d: Pollinator (floor off) %.4f, BM25 (Xapian) %.4f\n",
      kWidestPage, query_count > 0 ? candidate_recall_sum / query_count : 0.0,
      query_count > 0 ? bm25_recall_sum / query_count : 0.0);
  std::cout << absl::StrFormat("Pollinator answered %zu of %zu queries with \"no relevant partner\" (floor %s).\n",
                               no_relevant_partner, query_count,
                               absl::GetFlag(FLAGS_min_relevance) >= 0
                                   ? absl::StrFormat("%.2f", absl::GetFlag(FLAGS_min_relevance))
                                   : "default");

  std::cout << "Pollinator ranked by: " << absl::StrJoin(ranked_by, ", ") << "\n";

  (*server)->Shutdown(absl::Seconds(1)).IgnoreError();
  server->reset();
  std::error_code ignored;
  std::filesystem::remove_all(data_dir, ignored);
  return EXIT_SUCCESS;
}

}  // namespace
}  // namespace pollinator

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Matching quality on real CORDIS consortia: Pollinator against Xapian BM25, popularity and BM25 + popularity.\n"
      "Usage: build/bin/quality_bench [--dataset=DIR] [--split_date=YYYY-MM-DD] [--max_queries=N]\n"
      "Skips (exit 0) when the dataset folder is absent.");
  absl::ParseCommandLine(argc, argv);
  return pollinator::Run();
}
