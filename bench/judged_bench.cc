// judged_bench: ranking quality on a hand-written ecosystem whose good
// partners a broker graded 0 to 3 before the ranking was run (bench/judged).
//
// Loads the ecosystem and its recorded collaborations into a real in-process
// server, asks FindPartners for every graded query (a need of a profile, or a
// free-text portal query) and reports what a broker would check: precision
// of the top 1 and 3, nDCG@5, the share of wrong suggestions in the top 3,
// whether the top score separates answerable needs from hopeless ones (AUC),
// and the share of reasons that claim a fit the grades deny. See
// bench/README.md for results.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bench/fasttext_embedding.h"
#include "bench/judged_set.h"
#include "pollinator/v1/service.grpc.pb.h"
#include "services/server.h"

ABSL_FLAG(std::string, dir, "bench/judged", "Folder with ecosystem.jsonl, interactions.jsonl and queries.jsonl.");
ABSL_FLAG(std::string, embedder, "builtin",
          "builtin: the service embeds texts; fasttext: the benchmark trains fastText skipgram vectors on WordNet's "
          "glosses and the ecosystem's texts and sends SIF sentence vectors as client vectors (free-text queries "
          "then go as vector queries, without their words).");
ABSL_FLAG(double, min_relevance, -1,
          "Relevance floor to request (0 to 1); negative leaves it unset, so the server's default applies.");
ABSL_FLAG(std::string, weights, "", "Scoring weights to try (pollinatord --weights syntax).");
ABSL_FLAG(std::string, show, "", "Comma-separated query ids whose top 3 to print with reasons.");
ABSL_FLAG(bool, per_query, false, "Print one line per query: grades of the top 5 and the top score.");

namespace pollinator {
namespace {

constexpr char kTenant[] = "judged";
constexpr int kTopK = 10;
// A suggestion a broker accepts: graded 2 (good) or 3 (ideal).
constexpr int kRelevantGrade = 2;

void Fail(const std::string& what) {
  std::cerr << "judged_bench: " << what << "\n";
  std::exit(EXIT_FAILURE);
}

// Sets FindPartnersRequest.min_relevance through reflection, so that this
// program also builds against versions of the API from before the field.
void SetMinRelevance(v1::FindPartnersRequest& request, double value) {
  const auto* field = request.GetDescriptor()->FindFieldByName("min_relevance");
  if (field == nullptr) Fail("this API has no min_relevance; run without --min_relevance");
  request.GetReflection()->SetDouble(&request, field, value);
}

v1::FindPartnersRequest RequestFor(const JudgedQuery& query, int top_k) { return JudgedRequest(query, kTenant, top_k); }

double Dcg(const std::vector<int>& grades, size_t k) {
  double dcg = 0;
  for (size_t i = 0; i < grades.size() && i < k; ++i) dcg += (std::pow(2.0, grades[i]) - 1) / std::log2(i + 2.0);
  return dcg;
}

// Area under the ROC curve of `positive` scores against `negative` ones
// (ties count half).
double Auc(const std::vector<double>& positive, const std::vector<double>& negative) {
  if (positive.empty() || negative.empty()) return NAN;
  double wins = 0;
  for (double p : positive) {
    for (double n : negative) wins += p > n ? 1.0 : p == n ? 0.5 : 0.0;
  }
  return wins / (positive.size() * negative.size());
}

// What the reasons of one suggestion claim, checked against the grades and
// the profiles.
struct ClaimCheck {
  int claims = 0;
  int false_claims = 0;
  std::vector<std::string> false_reasons;
};

ClaimCheck CheckReasons(const v1::Suggestion& s, const JudgedQuery& query, int grade,
                        const std::map<std::string, v1::Profile>& profiles) {
  ClaimCheck check;
  auto claim = [&](bool holds, const std::string& reason) {
    ++check.claims;
    if (!holds) {
      ++check.false_claims;
      check.false_reasons.push_back(reason);
    }
  };
  const v1::Profile* asker = query.profile_id.empty() ? nullptr : &profiles.at(query.profile_id);
  const v1::Profile& partner = profiles.at(s.partner().id());
  for (const std::string& reason : s.reasons()) {
    if (absl::StrContains(reason, "which matches your need") || absl::StrContains(reason, "close to what you")) {
      claim(grade >= kRelevantGrade, reason);
    } else if (absl::StrContains(reason, "related to your need") || absl::StrContains(reason, "related to what you")) {
      claim(grade >= 1, reason);
    } else if (absl::StrContains(reason, "need what you offer") || absl::StrContains(reason, "needs what you offer")) {
      auto it = query.mutual.find(s.partner().id());
      const bool listed = it != query.mutual.end() &&
                          std::find(it->second.begin(), it->second.end(), s.mutual_need().id()) != it->second.end();
      claim(listed, reason);
    } else if (asker != nullptr && absl::StartsWith(reason, "Same city")) {
      claim(asker->location().city() == partner.location().city(), reason);
    } else if (asker != nullptr && absl::StartsWith(reason, "Same region")) {
      claim(asker->location().region() == partner.location().region(), reason);
    } else if (asker != nullptr && absl::StartsWith(reason, "Same country")) {
      claim(asker->location().country() == partner.location().country(), reason);
    } else if (absl::StartsWith(reason, "Nearby across the border")) {
      claim(s.has_distance_km() && s.distance_km() <= 300, reason);
    }
  }
  return check;
}

// Sums over a group of queries (all, or those with one trap).
struct Tally {
  int queries = 0;
  int answerable = 0;
  double p_at_1 = 0, p_at_3 = 0, p_at_3_ceiling = 0, ndcg_at_5 = 0, candidate_recall = 0;
  int top3_shown = 0, top3_wrong = 0;
  int hopeless = 0, hopeless_empty = 0;

  void Add(const JudgedQuery& query, const std::vector<int>& grades, double recall_floor_off) {
    ++queries;
    for (size_t i = 0; i < grades.size() && i < 3; ++i) {
      ++top3_shown;
      if (grades[i] == 0) ++top3_wrong;
    }
    const int relevant_count = query.CountGradedAtLeast(kRelevantGrade);
    if (relevant_count == 0) {
      ++hopeless;
      if (grades.empty()) ++hopeless_empty;
      return;
    }
    ++answerable;
    p_at_1 += !grades.empty() && grades[0] >= kRelevantGrade ? 1 : 0;
    int top3 = 0;
    for (size_t i = 0; i < grades.size() && i < 3; ++i) top3 += grades[i] >= kRelevantGrade ? 1 : 0;
    p_at_3 += top3 / 3.0;
    p_at_3_ceiling += std::min(3, relevant_count) / 3.0;
    std::vector<int> ideal;
    for (const auto& [partner, grade] : query.grades) ideal.push_back(grade);
    std::sort(ideal.rbegin(), ideal.rend());
    ndcg_at_5 += Dcg(grades, 5) / Dcg(ideal, 5);
    candidate_recall += recall_floor_off;
  }

  std::string Row(const std::string& name) const {
    auto mean = [](double sum, int n) { return n > 0 ? absl::StrFormat("%.3f", sum / n) : std::string("–"); };
    return absl::StrFormat("| %s | %d | %d | %s | %s (%s) | %s | %s | %s | %s |", name, queries, answerable,
                           mean(p_at_1, answerable), mean(p_at_3, answerable), mean(p_at_3_ceiling, answerable),
                           mean(ndcg_at_5, answerable), mean(top3_wrong, top3_shown),
                           hopeless > 0 ? absl::StrFormat("%d/%d", hopeless_empty, hopeless) : std::string("–"),
                           mean(candidate_recall, answerable));
  }
};

constexpr char kTallyHeader[] =
    "| queries | n | answerable | P@1 | P@3 (ceiling) | nDCG@5 | wrong in top 3 | hopeless answered empty | "
    "recall@100, floor off |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|";

std::string NeedText(const v1::Profile& profile, const std::string& need_id) {
  for (const v1::Need& need : profile.needs()) {
    if (need.id() == need_id) return need.text();
  }
  return "";
}

void PrintSuggestion(const v1::Suggestion& s, int rank, int grade) {
  std::cout << absl::StrFormat("  #%d %.3f (semantic %.2f, lexical %.2f) %s [%s, grade %d]\n", rank, s.score(),
                               s.components().semantic(), s.components().lexical(), s.partner().name(),
                               s.partner().id(), grade);
  for (const std::string& reason : s.reasons()) std::cout << "     - " << reason << "\n";
}

int Run() {
  absl::StatusOr<JudgedSet> set = LoadJudgedSet(absl::GetFlag(FLAGS_dir));
  if (absl::IsNotFound(set.status())) {
    std::cout << "judged_bench: skipped: " << set.status().message() << "\n";
    return EXIT_SUCCESS;
  }
  if (!set.ok()) Fail(std::string(set.status().message()));
  std::map<std::string, v1::Profile> profiles;
  for (const v1::Profile& profile : set->profiles) profiles[profile.id()] = profile;
  for (const JudgedQuery& query : set->queries) {
    if (!query.profile_id.empty() && !profiles.count(query.profile_id)) Fail(query.id + ": unknown asker");
  }

  std::unique_ptr<FastTextEmbedding> fasttext;
  if (absl::GetFlag(FLAGS_embedder) == "fasttext") {
    std::vector<std::string> texts;
    for (const v1::Profile& profile : set->profiles) {
      for (const v1::Need& need : profile.needs()) texts.push_back(need.text());
      for (const v1::Offer& offer : profile.offers()) texts.push_back(offer.text());
      if (!profile.description().empty()) texts.push_back(profile.description());
    }
    const auto started = std::chrono::steady_clock::now();
    FastTextOptions fasttext_options;
    fasttext_options.work_dir = std::filesystem::temp_directory_path().string();
    absl::StatusOr<std::unique_ptr<FastTextEmbedding>> trained = FastTextEmbedding::Train(texts, fasttext_options);
    if (!trained.ok()) Fail(absl::StrCat("--embedder=fasttext: ", trained.status().message()));
    fasttext = std::move(*trained);
    std::cout << absl::StrFormat("fastText: %zu WordNet glosses + %zu ecosystem texts, %d-d, trained in %.1f s\n",
                                 fasttext->background_lines(), texts.size(), fasttext->dimension(),
                                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    auto assign = [&](google::protobuf::RepeatedField<float>* field, const std::string& text) {
      const std::vector<float> vector = fasttext->Embed(text);
      field->Assign(vector.begin(), vector.end());
    };
    for (v1::Profile& profile : set->profiles) {
      for (v1::Need& need : *profile.mutable_needs()) assign(need.mutable_vector(), need.text());
      for (v1::Offer& offer : *profile.mutable_offers()) assign(offer.mutable_vector(), offer.text());
      if (!profile.description().empty()) assign(profile.mutable_description_vector(), profile.description());
    }
  } else if (absl::GetFlag(FLAGS_embedder) != "builtin") {
    Fail("--embedder: must be builtin or fasttext");
  }

  const std::string data_dir =
      (std::filesystem::temp_directory_path() / absl::StrCat("pollinator-judged-", getpid())).string();
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = data_dir;
  // The benchmark is the only client, in process: no API keys to check.
  options.access.enforce = false;
  if (const std::string weights = absl::GetFlag(FLAGS_weights); !weights.empty()) {
    absl::StatusOr<ScoringWeights> parsed = ParseScoringWeights(weights);
    if (!parsed.ok()) Fail(absl::StrCat("--weights: ", parsed.status().message()));
    options.weights = *parsed;
  }
  absl::StatusOr<std::unique_ptr<PollinatorServer>> server = PollinatorServer::Start(options);
  if (!server.ok()) Fail(std::string(server.status().message()));
  auto channel = (*server)->InProcessChannel();
  auto profile_stub = v1::ProfileService::NewStub(channel);
  auto match_stub = v1::MatchService::NewStub(channel);
  auto interaction_stub = v1::InteractionService::NewStub(channel);
  for (const v1::Profile& profile : set->profiles) {
    grpc::ClientContext context;
    v1::UpsertProfileRequest request;
    request.set_tenant(kTenant);
    *request.mutable_profile() = profile;
    v1::UpsertProfileResponse response;
    if (grpc::Status s = profile_stub->UpsertProfile(&context, request, &response); !s.ok()) {
      Fail(absl::StrCat("upsert ", profile.id(), ": ", s.error_message()));
    }
  }
  if (!set->collaborations.empty()) {
    grpc::ClientContext context;
    v1::RecordInteractionsRequest request;
    request.set_tenant(kTenant);
    for (const auto& [from, to] : set->collaborations) {
      v1::Interaction* interaction = request.add_interactions();
      interaction->set_from_profile_id(from);
      interaction->set_to_profile_id(to);
      interaction->set_type(v1::INTERACTION_TYPE_COLLABORATED);
    }
    v1::RecordInteractionsResponse response;
    if (grpc::Status s = interaction_stub->RecordInteractions(&context, request, &response); !s.ok()) {
      Fail(absl::StrCat("record collaborations: ", s.error_message()));
    }
  }
  std::cout << "judged set: " << set->profiles.size() << " profiles, " << set->collaborations.size()
            << " recorded collaborations, " << set->queries.size() << " graded queries\n";

  const std::set<std::string> shown = [] {
    std::vector<std::string> ids = absl::StrSplit(absl::GetFlag(FLAGS_show), ',', absl::SkipEmpty());
    return std::set<std::string>(ids.begin(), ids.end());
  }();
  Tally all;
  std::map<std::string, Tally> by_trap;
  std::vector<double> answerable_top, hopeless_top;
  int claims = 0, false_claims = 0, suggestions_with_false_claim = 0, top3_suggestions = 0;
  std::vector<std::string> false_examples;
  for (const JudgedQuery& query : set->queries) {
    // A client-vector tenant takes free text as its vector.
    auto as_vector = [&](v1::FindPartnersRequest& r) {
      if (fasttext == nullptr || r.text().empty()) return;
      const std::vector<float> vector = fasttext->Embed(r.text());
      r.mutable_vector()->mutable_values()->Assign(vector.begin(), vector.end());
    };
    v1::FindPartnersRequest request = RequestFor(query, kTopK);
    as_vector(request);
    if (absl::GetFlag(FLAGS_min_relevance) >= 0) SetMinRelevance(request, absl::GetFlag(FLAGS_min_relevance));
    v1::FindPartnersResponse response;
    grpc::ClientContext context;
    if (grpc::Status s = match_stub->FindPartners(&context, request, &response); !s.ok()) {
      Fail(absl::StrCat(query.id, ": ", s.error_message()));
    }
    std::vector<int> grades;
    for (const v1::Suggestion& s : response.suggestions()) grades.push_back(query.Grade(s.partner().id()));

    // Candidate recall: the good partners the ranking sees at all, with the
    // floor off and the longest page.
    double recall_floor_off = 0;
    {
      v1::FindPartnersRequest wide = RequestFor(query, 100);
      as_vector(wide);
      if (request.GetDescriptor()->FindFieldByName("min_relevance") != nullptr) SetMinRelevance(wide, 0);
      v1::FindPartnersResponse wide_response;
      grpc::ClientContext wide_context;
      if (grpc::Status s = match_stub->FindPartners(&wide_context, wide, &wide_response); !s.ok()) {
        Fail(absl::StrCat(query.id, ": ", s.error_message()));
      }
      int found = 0;
      const int relevant = query.CountGradedAtLeast(kRelevantGrade);
      for (const v1::Suggestion& s : wide_response.suggestions()) found += query.Grade(s.partner().id()) >= kRelevantGrade;
      recall_floor_off = relevant > 0 ? static_cast<double>(found) / relevant : 0;
    }

    all.Add(query, grades, recall_floor_off);
    for (const std::string& trap : query.traps) by_trap[trap.substr(0, trap.find(':'))].Add(query, grades, recall_floor_off);
    const double top = response.suggestions().empty() ? 0.0 : response.suggestions(0).score();
    const bool answerable = query.CountGradedAtLeast(kRelevantGrade) > 0;
    (answerable ? answerable_top : hopeless_top).push_back(top);
    for (int i = 0; i < response.suggestions_size() && i < 3; ++i) {
      const v1::Suggestion& s = response.suggestions(i);
      const ClaimCheck check = CheckReasons(s, query, grades[i], profiles);
      claims += check.claims;
      false_claims += check.false_claims;
      ++top3_suggestions;
      if (check.false_claims > 0) {
        ++suggestions_with_false_claim;
        if (false_examples.size() < 8) {
          false_examples.push_back(absl::StrCat(query.id, " → ", s.partner().id(), ": ", check.false_reasons[0]));
        }
      }
    }
    if (absl::GetFlag(FLAGS_per_query)) {
      std::vector<int> top5(grades.begin(), grades.begin() + std::min<size_t>(5, grades.size()));
      std::cout << absl::StrFormat("%-5s %-9s top %.3f grades [%s] %s\n", query.id,
                                   answerable ? "" : "hopeless", top, absl::StrJoin(top5, " "), query.note);
    }
    if (shown.count(query.id)) {
      std::cout << "\n" << query.id << ": "
                << (query.text.empty() ? absl::StrCat(query.profile_id, " need ", query.need_id, ": \"",
                                                      NeedText(profiles.at(query.profile_id), query.need_id), "\"")
                                       : absl::StrCat("text \"", query.text, "\""))
                << "\n";
      if (response.suggestions().empty()) std::cout << "  (no suggestion)\n";
      for (int i = 0; i < response.suggestions_size() && i < 3; ++i) {
        PrintSuggestion(response.suggestions(i), i + 1, grades[i]);
      }
    }
  }

  std::cout << "\n" << kTallyHeader << "\n" << all.Row("all") << "\n";
  for (const auto& [trap, tally] : by_trap) std::cout << tally.Row(absl::StrCat("trap: ", trap)) << "\n";
  std::cout << absl::StrFormat(
      "\nAUC of the top score, %zu answerable against %zu hopeless queries: %.3f\n"
      "Reasons in the top 3 that claim a fit (or a fact) the grades or profiles deny: %d of %d claims (%.1f %%); "
      "%d of %d suggestions carry one\n",
      answerable_top.size(), hopeless_top.size(), Auc(answerable_top, hopeless_top), false_claims, claims,
      claims > 0 ? 100.0 * false_claims / claims : 0.0, suggestions_with_false_claim, top3_suggestions);
  for (const std::string& example : false_examples) std::cout << "  " << example << "\n";
  server->reset();
  std::filesystem::remove_all(data_dir);
  return EXIT_SUCCESS;
}

}  // namespace
}  // namespace pollinator

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Ranking quality on the hand-graded ecosystem of bench/judged (run from the repository root).\n"
      "Prints P@1, P@3, nDCG@5, wrong suggestions in the top 3, the AUC of the top score for answerable\n"
      "against hopeless needs, and the share of reasons that claim a fit the grades deny.");
  absl::ParseCommandLine(argc, argv);
  return pollinator::Run();
}
