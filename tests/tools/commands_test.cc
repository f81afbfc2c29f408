// Tests of tools/cli/commands.h against a fake client.
#include "tools/cli/commands.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tools/fake_pollinator_client.h"

namespace pollinator {
namespace {

using ::grpc::health::v1::HealthCheckResponse;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class CommandsTest : public ::testing::Test {
 protected:
  Invocation MakeInvocation(Command command, const std::string& argument = "") {
    Invocation invocation;
    invocation.command = command;
    invocation.tenant = "acme";
    invocation.argument = argument;
    invocation.list_request.set_tenant("acme");
    invocation.list_request.set_page_size(2);
    return invocation;
  }

  absl::Status Run(const Invocation& invocation) {
    return RunInvocation(invocation, client_, io_);
  }

  static v1::Profile Profile(const std::string& id) {
    v1::Profile profile;
    profile.set_id(id);
    profile.set_kind(v1::PROFILE_KIND_STARTUP);
    return profile;
  }

  static v1::ListProfilesResponse Page(const std::string& first_id,
                                       const std::string& next_token) {
    v1::ListProfilesResponse page;
    *page.add_profiles() = Profile(first_id);
    page.set_next_page_token(next_token);
    return page;
  }

  FakePollinatorClient client_;
  std::istringstream in_;
  std::ostringstream out_;
  std::ostringstream err_;
  CommandIo io_{in_, out_, err_, [] { return absl::UnixEpoch(); }};
};

TEST_F(CommandsTest, GetPrintsDetails) {
  client_.get_results.push_back(Profile("s-1"));
  ASSERT_TRUE(Run(MakeInvocation(Command::kGet, "s-1")).ok());
  ASSERT_EQ(client_.get_requests.size(), 1u);
  EXPECT_EQ(client_.get_requests[0].tenant(), "acme");
  EXPECT_EQ(client_.get_requests[0].id(), "s-1");
  EXPECT_THAT(out_.str(),
              StartsWith("id:          s-1\nkind:        startup\n"));
}

TEST_F(CommandsTest, GetPrintsJson) {
  client_.get_results.push_back(Profile("s-1"));
  Invocation invocation = MakeInvocation(Command::kGet, "s-1");
  invocation.json = true;
  ASSERT_TRUE(Run(invocation).ok());
  EXPECT_EQ(out_.str(), "{\"id\":\"s-1\",\"kind\":\"PROFILE_KIND_STARTUP\"}\n");
}

TEST_F(CommandsTest, GetPassesTheServerError) {
  client_.get_results.push_back(absl::NotFoundError("no profile s-9"));
  const absl::Status status = Run(MakeInvocation(Command::kGet, "s-9"));
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "no profile s-9");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CommandsTest, DeletePrintsDeleted) {
  ASSERT_TRUE(Run(MakeInvocation(Command::kDelete, "s-1")).ok());
  EXPECT_EQ(client_.delete_requests[0].id(), "s-1");
  EXPECT_EQ(out_.str(), "deleted s-1\n");
}

TEST_F(CommandsTest, ListPrintsOnePageAndTheNextToken) {
  client_.list_results.push_back(Page("a", "tok2"));
  ASSERT_TRUE(Run(MakeInvocation(Command::kList)).ok());
  EXPECT_EQ(client_.list_requests.size(), 1u);
  EXPECT_THAT(out_.str(), StartsWith("ID  KIND     NAME"));
  EXPECT_THAT(out_.str(), HasSubstr("\na   startup"));
  EXPECT_THAT(out_.str(), HasSubstr("next page: --page_token=tok2\n"));
}

TEST_F(CommandsTest, ListAllFollowsTokensAndPrintsJsonLines) {
  client_.list_results.push_back(Page("a", "t2"));
  client_.list_results.push_back(Page("b", "t3"));
  client_.list_results.push_back(Page("c", ""));
  Invocation invocation = MakeInvocation(Command::kList);
  invocation.list_all = true;
  invocation.json = true;
  ASSERT_TRUE(Run(invocation).ok());
  ASSERT_EQ(client_.list_requests.size(), 3u);
  EXPECT_EQ(client_.list_requests[0].page_token(), "");
  EXPECT_EQ(client_.list_requests[1].page_token(), "t2");
  EXPECT_EQ(client_.list_requests[2].page_token(), "t3");
  EXPECT_EQ(client_.list_requests[2].tenant(), "acme");
  EXPECT_EQ(out_.str(),
            "{\"id\":\"a\",\"kind\":\"PROFILE_KIND_STARTUP\"}\n"
            "{\"id\":\"b\",\"kind\":\"PROFILE_KIND_STARTUP\"}\n"
            "{\"id\":\"c\",\"kind\":\"PROFILE_KIND_STARTUP\"}\n");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CommandsTest, ListJsonPutsTheNextTokenOnStderr) {
  client_.list_results.push_back(Page("a", "tok2"));
  Invocation invocation = MakeInvocation(Command::kList);
  invocation.json = true;
  ASSERT_TRUE(Run(invocation).ok());
  EXPECT_EQ(err_.str(), "next page: --page_token=tok2\n");
}

TEST_F(CommandsTest, ListAllStopsOnARepeatedToken) {
  client_.list_results.push_back(Page("a", "t2"));
  client_.list_results.push_back(Page("b", "t2"));
  Invocation invocation = MakeInvocation(Command::kList);
  invocation.list_all = true;
  EXPECT_EQ(Run(invocation).code(), absl::StatusCode::kInternal);
}

TEST_F(CommandsTest, MatchSendsTheRequestAndPrintsSuggestions) {
  Invocation invocation = MakeInvocation(Command::kMatch);
  invocation.match_request.set_tenant("acme");
  invocation.match_request.set_text("battery");
  ASSERT_TRUE(Run(invocation).ok());
  ASSERT_EQ(client_.find_partners_requests.size(), 1u);
  EXPECT_EQ(client_.find_partners_requests[0].text(), "battery");
  EXPECT_EQ(out_.str(), "no suggestions\n");
}

TEST_F(CommandsTest, MatchJson) {
  v1::FindPartnersResponse response;
  response.add_suggestions()->set_score(0.5);
  client_.find_partners_results.push_back(response);
  Invocation invocation = MakeInvocation(Command::kMatch);
  invocation.json = true;
  ASSERT_TRUE(Run(invocation).ok());
  EXPECT_EQ(out_.str(), "{\"suggestions\":[{\"score\":0.5}]}\n");
}

TEST_F(CommandsTest, MatchJsonIncludesTheNewFields) {
  v1::FindPartnersResponse response;
  v1::Suggestion* suggestion = response.add_suggestions();
  suggestion->mutable_components()->set_lexical(0.25);
  suggestion->mutable_components()->set_reciprocal(0.5);
  suggestion->mutable_mutual_need()->set_text("Wafer dicing");
  client_.find_partners_results.push_back(response);
  Invocation invocation = MakeInvocation(Command::kMatch);
  invocation.json = true;
  ASSERT_TRUE(Run(invocation).ok());
  EXPECT_EQ(out_.str(),
            "{\"suggestions\":[{\"components\":{\"lexical\":0.25,"
            "\"reciprocal\":0.5},\"mutualNeed\":{\"text\":\"Wafer "
            "dicing\"}}]}\n");
}

TEST_F(CommandsTest, MatchSendsRankingOptionsAndShowsTheMutualPair) {
  v1::FindPartnersResponse response;
  v1::Suggestion* suggestion = response.add_suggestions();
  suggestion->mutable_partner()->set_id("p-1");
  suggestion->mutable_mutual_need()->set_text("Wafer dicing");
  suggestion->mutable_mutual_offer()->set_text("Clean room hours");
  client_.find_partners_results.push_back(response);
  Invocation invocation = MakeInvocation(Command::kMatch);
  invocation.match_request.set_profile_id("smb-1");
  invocation.match_request.set_direction(v1::DIRECTION_OFFERS_TO_NEEDS);
  invocation.match_request.set_reciprocity(v1::RECIPROCITY_ARITHMETIC);
  invocation.match_request.set_diversity(0.4);
  invocation.match_request.set_max_per_kind(2);
  ASSERT_TRUE(Run(invocation).ok());
  ASSERT_EQ(client_.find_partners_requests.size(), 1u);
  const v1::FindPartnersRequest& sent = client_.find_partners_requests[0];
  EXPECT_EQ(sent.reciprocity(), v1::RECIPROCITY_ARITHMETIC);
  EXPECT_EQ(sent.diversity(), 0.4);
  EXPECT_EQ(sent.max_per_kind(), 2);
  // The view takes the request's direction: the partner offers here.
  EXPECT_THAT(out_.str(), HasSubstr("mutual: their offer \"Clean room "
                                    "hours\" meets your need \"Wafer "
                                    "dicing\"\n"));
}

v1::Interaction StoredInteraction(int64_t sequence) {
  v1::Interaction interaction;
  interaction.set_sequence(sequence);
  interaction.set_recorded_at_unix_ms(1714566896789 + sequence);
  interaction.set_from_profile_id("smb-1");
  interaction.set_to_profile_id("ipa");
  interaction.set_type(v1::INTERACTION_TYPE_CONTACTED);
  return interaction;
}

Invocation InteractInvocation() {
  Invocation invocation;
  invocation.command = Command::kInteract;
  invocation.tenant = "acme";
  invocation.interact_request.set_tenant("acme");
  v1::Interaction* interaction =
      invocation.interact_request.mutable_interaction();
  interaction->set_from_profile_id("smb-1");
  interaction->set_to_profile_id("ipa");
  interaction->set_type(v1::INTERACTION_TYPE_DECLINED);
  interaction->set_decline_reason(v1::DECLINE_REASON_TOO_FAR);
  return invocation;
}

TEST_F(CommandsTest, InteractRecordsAndPrintsTheStoredInteraction) {
  v1::RecordInteractionResponse stored;
  *stored.mutable_interaction() =
      InteractInvocation().interact_request.interaction();
  stored.mutable_interaction()->set_sequence(7);
  stored.mutable_interaction()->set_recorded_at_unix_ms(1714566896789);
  client_.record_interaction_results.push_back(stored);
  ASSERT_TRUE(Run(InteractInvocation()).ok());
  ASSERT_EQ(client_.record_interaction_requests.size(), 1u);
  EXPECT_EQ(client_.record_interaction_requests[0].tenant(), "acme");
  EXPECT_EQ(
      client_.record_interaction_requests[0].interaction().decline_reason(),
      v1::DECLINE_REASON_TOO_FAR);
  EXPECT_EQ(out_.str(),
            "sequence: 7\n"
            "time:     2024-05-01T12:34:56.789Z\n"
            "from:     smb-1\n"
            "to:       ipa\n"
            "type:     declined\n"
            "reason:   too-far\n");
}

TEST_F(CommandsTest, InteractJsonPrintsTheInteraction) {
  Invocation invocation = InteractInvocation();
  invocation.json = true;
  ASSERT_TRUE(Run(invocation).ok());
  EXPECT_EQ(out_.str(),
            "{\"fromProfileId\":\"smb-1\",\"toProfileId\":\"ipa\",\"type\":"
            "\"INTERACTION_TYPE_DECLINED\",\"declineReason\":"
            "\"DECLINE_REASON_TOO_FAR\"}\n");
}

TEST_F(CommandsTest, InteractPassesTheServerError) {
  client_.record_interaction_results.push_back(
      absl::NotFoundError("no profile ipa"));
  const absl::Status status = Run(InteractInvocation());
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "no profile ipa");
  EXPECT_EQ(out_.str(), "");
}

Invocation HistoryInvocation(int32_t limit) {
  Invocation invocation;
  invocation.command = Command::kHistory;
  invocation.tenant = "acme";
  invocation.history_request.set_tenant("acme");
  invocation.history_request.set_profile_id("smb-1");
  invocation.history_request.set_page_size(2);
  invocation.history_limit = limit;
  return invocation;
}

v1::ListInteractionsResponse InteractionPage(
    std::initializer_list<int64_t> sequences, const std::string& next_token) {
  v1::ListInteractionsResponse page;
  for (int64_t sequence : sequences) {
    *page.add_interactions() = StoredInteraction(sequence);
  }
  page.set_next_page_token(next_token);
  return page;
}

TEST_F(CommandsTest, HistoryFollowsPagesAndPrintsATable) {
  client_.list_interactions_results.push_back(InteractionPage({1, 2}, "t2"));
  client_.list_interactions_results.push_back(InteractionPage({3}, ""));
  ASSERT_TRUE(Run(HistoryInvocation(0)).ok());
  ASSERT_EQ(client_.list_interactions_requests.size(), 2u);
  EXPECT_EQ(client_.list_interactions_requests[0].page_token(), "");
  EXPECT_EQ(client_.list_interactions_requests[1].page_token(), "t2");
  EXPECT_EQ(client_.list_interactions_requests[1].profile_id(), "smb-1");
  EXPECT_EQ(client_.list_interactions_requests[1].tenant(), "acme");
  EXPECT_EQ(out_.str(),
            "SEQ  TIME                      FROM   TO   TYPE       REASON  "
            "NOTE\n"
            "1    2024-05-01T12:34:56.790Z  smb-1  ipa  contacted  -\n"
            "2    2024-05-01T12:34:56.791Z  smb-1  ipa  contacted  -\n"
            "3    2024-05-01T12:34:56.792Z  smb-1  ipa  contacted  -\n");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CommandsTest, HistoryStopsAtTheLimit) {
  client_.list_interactions_results.push_back(InteractionPage({1, 2}, "t2"));
  client_.list_interactions_results.push_back(InteractionPage({3, 4}, "t3"));
  ASSERT_TRUE(Run(HistoryInvocation(3)).ok());
  EXPECT_EQ(client_.list_interactions_requests.size(), 2u);
  EXPECT_THAT(out_.str(), HasSubstr("\n3    2024"));
  EXPECT_THAT(out_.str(), ::testing::Not(HasSubstr("\n4    2024")));
  EXPECT_THAT(out_.str(),
              ::testing::EndsWith("stopped at --limit=3; there may be more\n"));
}

TEST_F(CommandsTest, HistoryAtTheLimitDoesNotFetchAnotherPage) {
  client_.list_interactions_results.push_back(InteractionPage({1, 2}, "t2"));
  ASSERT_TRUE(Run(HistoryInvocation(2)).ok());
  EXPECT_EQ(client_.list_interactions_requests.size(), 1u);
  EXPECT_THAT(out_.str(), HasSubstr("stopped at --limit=2"));
}

TEST_F(CommandsTest, HistoryPrintsJsonLinesAndTheHintOnStderr) {
  client_.list_interactions_results.push_back(InteractionPage({1, 2}, "t2"));
  Invocation invocation = HistoryInvocation(1);
  invocation.json = true;
  ASSERT_TRUE(Run(invocation).ok());
  EXPECT_EQ(out_.str(),
            "{\"fromProfileId\":\"smb-1\",\"toProfileId\":\"ipa\",\"type\":"
            "\"INTERACTION_TYPE_CONTACTED\",\"sequence\":\"1\","
            "\"recordedAtUnixMs\":\"1714566896790\"}\n");
  EXPECT_EQ(err_.str(), "stopped at --limit=1; there may be more\n");
}

TEST_F(CommandsTest, EmptyHistory) {
  ASSERT_TRUE(Run(HistoryInvocation(0)).ok());
  EXPECT_EQ(out_.str(), "no interactions\n");
}

TEST_F(CommandsTest, HistoryPassesTheServerError) {
  client_.list_interactions_results.push_back(InteractionPage({1, 2}, "t2"));
  client_.list_interactions_results.push_back(
      absl::UnavailableError("server gone"));
  const absl::Status status = Run(HistoryInvocation(0));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "server gone");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CommandsTest, HistoryStopsOnARepeatedToken) {
  client_.list_interactions_results.push_back(InteractionPage({1}, "t2"));
  client_.list_interactions_results.push_back(InteractionPage({2}, "t2"));
  EXPECT_EQ(Run(HistoryInvocation(0)).code(), absl::StatusCode::kInternal);
}

TEST_F(CommandsTest, TrainRankerSendsTheRequestAndPrintsTheReport) {
  v1::TrainRankerResponse report;
  report.set_model_version(3);
  report.set_booster("gblinear");
  report.set_activated(true);
  report.set_model_ndcg(0.3761);
  report.set_previous_ndcg(0.2573);
  report.set_previous_ranked_by("rules");
  report.set_validation_queries(37);
  report.set_training_queries(19);
  report.set_cutoff_sequence(32370);
  client_.train_ranker_results.push_back(report);
  Invocation invocation = MakeInvocation(Command::kTrainRanker);
  invocation.train_request.set_tenant("acme");
  invocation.train_request.set_max_queries(50);
  ASSERT_TRUE(Run(invocation).ok());
  ASSERT_EQ(client_.train_ranker_requests.size(), 1u);
  EXPECT_EQ(client_.train_ranker_requests[0].tenant(), "acme");
  EXPECT_EQ(client_.train_ranker_requests[0].max_queries(), 50);
  EXPECT_EQ(out_.str(),
            "model 3 (gblinear): activated\n"
            "validation: nDCG@10 0.376 on 37 later queries, against 0.257 for rules\n"
            "training: 19 queries, outcomes before sequence 32370\n");
}

TEST_F(CommandsTest, TrainRankerSaysWhatStillRanksWhenNotActivated) {
  v1::TrainRankerResponse report;
  report.set_model_version(2);
  report.set_booster("gbtree");
  report.set_previous_ranked_by("learned-ranker-v1");
  client_.train_ranker_results.push_back(report);
  ASSERT_TRUE(Run(MakeInvocation(Command::kTrainRanker)).ok());
  EXPECT_THAT(out_.str(), StartsWith("model 2 (gbtree): not activated; still ranked by learned-ranker-v1\n"));
}

TEST_F(CommandsTest, TrainRankerJsonAndServerErrors) {
  v1::TrainRankerResponse report;
  report.set_model_version(1);
  client_.train_ranker_results.push_back(report);
  Invocation invocation = MakeInvocation(Command::kTrainRanker);
  invocation.json = true;
  ASSERT_TRUE(Run(invocation).ok());
  EXPECT_EQ(out_.str(), "{\"modelVersion\":\"1\"}\n");
  client_.train_ranker_results.push_back(absl::FailedPreconditionError("tenant \"acme\" has 3 recorded outcomes"));
  EXPECT_EQ(Run(invocation).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(CommandsTest, HealthChecksEveryService) {
  ASSERT_TRUE(Run(MakeInvocation(Command::kHealth)).ok());
  EXPECT_THAT(client_.health_requests,
              ElementsAre("", "pollinator.v1.ProfileService",
                          "pollinator.v1.MatchService",
                          "pollinator.v1.InteractionService",
                          "pollinator.v1.CohortService",
                          "pollinator.v1.ChallengeService",
                          "pollinator.v1.EcosystemService",
                          "pollinator.v1.TransferService",
                          "pollinator.v1.KeyService",
                          "pollinator.v1.TenantService",
                          "pollinator.v1.BackupService"));
  EXPECT_EQ(out_.str(),
            "SERVICE                           STATUS\n"
            "(overall)                         SERVING\n"
            "pollinator.v1.ProfileService      SERVING\n"
            "pollinator.v1.MatchService        SERVING\n"
            "pollinator.v1.InteractionService  SERVING\n"
            "pollinator.v1.CohortService       SERVING\n"
            "pollinator.v1.ChallengeService    SERVING\n"
            "pollinator.v1.EcosystemService    SERVING\n"
            "pollinator.v1.TransferService     SERVING\n"
            "pollinator.v1.KeyService          SERVING\n"
            "pollinator.v1.TenantService       SERVING\n"
            "pollinator.v1.BackupService       SERVING\n");
}

TEST_F(CommandsTest, HealthFailsUnlessAllServing) {
  HealthCheckResponse not_serving;
  not_serving.set_status(HealthCheckResponse::NOT_SERVING);
  client_.health_results.emplace("pollinator.v1.ProfileService", not_serving);
  client_.health_results.emplace("pollinator.v1.MatchService",
                                 absl::NotFoundError("unknown service"));
  const absl::Status status = Run(MakeInvocation(Command::kHealth));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(),
            "not serving: pollinator.v1.ProfileService, "
            "pollinator.v1.MatchService");
  EXPECT_THAT(out_.str(),
              HasSubstr("pollinator.v1.ProfileService      NOT_SERVING\n"));
  EXPECT_THAT(out_.str(), HasSubstr("pollinator.v1.MatchService        error: "
                                    "NOT_FOUND: unknown service\n"));
}

TEST_F(CommandsTest, HealthJson) {
  client_.health_results.emplace("pollinator.v1.MatchService",
                                 absl::UnavailableError("down"));
  Invocation invocation = MakeInvocation(Command::kHealth);
  invocation.json = true;
  EXPECT_EQ(Run(invocation).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(
      out_.str(),
      "{\"service\":\"\",\"status\":\"SERVING\"}\n"
      "{\"service\":\"pollinator.v1.ProfileService\",\"status\":\"SERVING\"}\n"
      "{\"service\":\"pollinator.v1.MatchService\",\"error\":{\"code\":"
      "\"UNAVAILABLE\",\"message\":\"down\"}}\n"
      "{\"service\":\"pollinator.v1.InteractionService\",\"status\":\"SERVING\"}\n"
      "{\"service\":\"pollinator.v1.CohortService\",\"status\":\"SERVING\"}\n"
      "{\"service\":\"pollinator.v1.ChallengeService\",\"status\":\"SERVING\"}\n"
      "{\"service\":\"pollinator.v1.EcosystemService\",\"status\":\"SERVING\"}\n"
      "{\"service\":\"pollinator.v1.TransferService\",\"status\":\"SERVING\"}\n"
      "{\"service\":\"pollinator.v1.KeyService\",\"status\":\"SERVING\"}\n"
      "{\"service\":\"pollinator.v1.TenantService\",\"status\":\"SERVING\"}\n"
      "{\"service\":\"pollinator.v1.BackupService\",\"status\":\"SERVING\"}\n");
}

TEST_F(CommandsTest, SolversPrintsTheChallengeItsClosingDayAndTheSolvers) {
  v1::FindSolversResponse solvers;
  solvers.mutable_challenge()->set_text("PFAS-free coatings");
  solvers.mutable_deadline()->set_year(2027);
  solvers.mutable_deadline()->set_month(3);
  solvers.mutable_deadline()->set_day(31);
  solvers.set_days_left(1);
  v1::Suggestion* solver = solvers.add_solvers();
  solver->mutable_partner()->set_id("coater");
  solver->mutable_partner()->set_name("Coater GmbH");
  solver->mutable_offer()->set_text("We coat without fluoropolymers");
  solver->set_score(0.61);
  solver->add_reasons("Does \"We coat without fluoropolymers\", which matches your need");
  client_.find_solvers_results.push_back(solvers);
  Invocation invocation = MakeInvocation(Command::kSolvers);
  invocation.solvers_request.set_profile_id("corp");
  invocation.solvers_request.set_need_id("n1");
  ASSERT_TRUE(Run(invocation).ok()) << err_.str();
  ASSERT_EQ(client_.find_solvers_requests.size(), 1u);
  EXPECT_EQ(client_.find_solvers_requests[0].need_id(), "n1");
  EXPECT_THAT(out_.str(), ::testing::StartsWith("challenge n1 of corp: PFAS-free coatings\n"
                                                "closes 2027-03-31 (1 day left)\n\n#1  0.610  Coater GmbH (coater)"));
  EXPECT_THAT(out_.str(), HasSubstr("- Does \"We coat without fluoropolymers\""));

  client_.find_solvers_results.push_back(absl::FailedPreconditionError("need_id: challenge \"n1\" closed on 2027-03-31"));
  EXPECT_EQ(Run(invocation).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(CommandsTest, ChallengesListsEachOpenChallengeWithItsClosingDay) {
  v1::FindChallengesResponse found;
  found.set_open_challenges(2);
  v1::ChallengeMatch* match = found.add_challenges();
  match->mutable_suggestion()->mutable_partner()->set_id("corp");
  match->mutable_suggestion()->mutable_partner()->set_name("Corp AG");
  match->mutable_suggestion()->mutable_need()->set_id("n1");
  match->mutable_suggestion()->mutable_need()->set_text("PFAS-free coatings");
  match->mutable_suggestion()->set_score(0.5);
  match->mutable_deadline()->set_year(2027);
  match->mutable_deadline()->set_month(1);
  match->mutable_deadline()->set_day(2);
  match->set_days_left(31);
  client_.find_challenges_results.push_back(found);
  Invocation invocation = MakeInvocation(Command::kChallenges);
  invocation.challenges_request.set_profile_id("coater");
  ASSERT_TRUE(Run(invocation).ok()) << err_.str();
  EXPECT_THAT(out_.str(), ::testing::StartsWith("2 open challenges admit coater; 1 fit\n\nCHALLENGER  NEED  CLOSING\n"
                                                "corp        n1    closes 2027-01-02 (31 days left)\n"));
  EXPECT_THAT(out_.str(), HasSubstr("Corp AG (corp)"));
}

TEST_F(CommandsTest, GapsPrintsTheCellsTheUnmetNeedsAndTheUnneededOffers) {
  v1::AnalyzeEcosystemResponse map;
  map.set_open_needs(2);
  map.set_met_needs(1);
  map.set_offers(1);
  map.set_min_relevance(0.2);
  v1::EcosystemCell* cell = map.add_cells();
  cell->set_component(v1::COMPONENT_FUNDING);
  cell->set_country("DE");
  cell->set_region("Sachsen");
  cell->set_open_needs(2);
  cell->set_met_needs(1);
  cell->set_unmet_needs(1);
  cell->set_offers(1);
  cell->set_unneeded_offers(1);
  v1::UnmetNeed* unmet = map.add_unmet_needs();
  unmet->mutable_profile()->set_id("smb");
  unmet->mutable_need()->set_id("n2");
  unmet->mutable_need()->set_text("Seed money");
  unmet->mutable_need()->set_component(v1::COMPONENT_FUNDING);
  unmet->set_shortfall("The closest candidate, Fund, reaches relevance 0.12 of the 0.20 needed.");
  v1::UnneededOffer* offer = map.add_unneeded_offers();
  offer->mutable_profile()->set_id("lab");
  offer->mutable_offer()->set_id("o2");
  offer->mutable_offer()->set_text("Bookbinding");
  client_.analyze_results.push_back(map);
  ASSERT_TRUE(Run(MakeInvocation(Command::kGaps)).ok()) << err_.str();
  EXPECT_EQ(out_.str(),
            "1 of 2 open needs met, 1 offers, relevance floor 0.20\n\n"
            "COMPONENT             COUNTRY  REGION   NEEDS  MET  UNMET  OFFERS  UNNEEDED\n"
            "funding & investment  DE       Sachsen  2      1    1      1       1\n\n"
            "unmet needs:\n"
            "  smb n2 (funding & investment): Seed money\n"
            "      The closest candidate, Fund, reaches relevance 0.12 of the 0.20 needed.\n\n"
            "offers nobody needs:\n"
            "  lab o2: Bookbinding\n");
  EXPECT_THAT(err_.str(), HasSubstr("gaps: matching every open need and offer"));
}

TEST_F(CommandsTest, CohortReadsTheCsvAndWritesOneRowPerSlot) {
  const std::string path = ::testing::TempDir() + "/cohort_command_test.csv";
  {
    std::ofstream file(path);
    file << "name,profile_id\n\"Acme, Inc.\",s1\nBeta,s2\n";
  }
  v1::ScreenCohortResponse screened;
  v1::CohortAssignment* assignment = screened.add_assignments();
  assignment->set_member_id("s1");
  assignment->mutable_suggestion()->mutable_partner()->set_id("lab");
  assignment->mutable_suggestion()->mutable_partner()->set_name("Lab, \"the\" best");
  assignment->mutable_suggestion()->mutable_partner()->set_kind(v1::PROFILE_KIND_UNIVERSITY);
  assignment->mutable_suggestion()->set_score(0.5);
  assignment->mutable_suggestion()->add_reasons("Offers testing");
  v1::UnassignedSlots* slots = screened.add_unassigned();
  slots->set_member_id("s2");
  slots->set_count(1);
  slots->set_reason(v1::UNASSIGNED_REASON_CAPACITY_USED_UP);
  screened.set_total_score(0.5);
  client_.screen_cohort_results.push_back(screened);
  Invocation invocation = MakeInvocation(Command::kCohort);
  invocation.cohort_file = path;
  invocation.cohort_request.set_per_member(1);
  ASSERT_TRUE(Run(invocation).ok()) << err_.str();
  ASSERT_EQ(client_.screen_cohort_requests.size(), 1u);
  EXPECT_THAT(client_.screen_cohort_requests[0].cohort(), ElementsAre("s1", "s2"));
  EXPECT_EQ(out_.str(),
            "member_id,slot,status,partner_id,partner_name,partner_kind,score,required,reason\n"
            "s1,1,assigned,lab,\"Lab, \"\"the\"\" best\",university,0.500,no,Offers testing\n"
            "s2,1,unassigned,,,,,,capacity used up: the relevant partners are full\n");
  EXPECT_THAT(err_.str(), HasSubstr("1 slots assigned, 1 unassigned, total score 0.500"));

  {
    std::ofstream file(path);
    file << "name\nAcme\n";
  }
  EXPECT_THAT(Run(invocation).message(), HasSubstr("needs a profile_id (or id) column"));
  invocation.cohort_file = ::testing::TempDir() + "/no_such_cohort.csv";
  EXPECT_EQ(Run(invocation).code(), absl::StatusCode::kNotFound);
}

TEST_F(CommandsTest, KeysCreatePrintsTheSecretOnceAndTheReminderOnStderr) {
  v1::CreateKeyResponse created;
  created.mutable_key()->set_key_id("0123456789ab");
  created.mutable_key()->set_tenant("acme");
  created.mutable_key()->set_role(v1::KEY_ROLE_WRITER);
  created.set_secret("pk_0123456789ab_secret");
  client_.create_key_results.push_back(created);
  Invocation invocation = MakeInvocation(Command::kKeysCreate);
  invocation.key_role = v1::KEY_ROLE_WRITER;
  invocation.label = "portal";
  ASSERT_TRUE(Run(invocation).ok());
  EXPECT_THAT(client_.access_requests, ElementsAre("tenant: \"acme\" role: KEY_ROLE_WRITER label: \"portal\""));
  EXPECT_EQ(out_.str(), "pk_0123456789ab_secret\n");
  EXPECT_EQ(err_.str(), "key 0123456789ab (writer) of tenant \"acme\": store it now, it is not shown again\n");
}

TEST_F(CommandsTest, KeysListAndRevoke) {
  v1::ListKeysResponse listed;
  v1::ApiKey* key = listed.add_keys();
  key->set_key_id("0123456789ab");
  key->set_role(v1::KEY_ROLE_READER);
  key->set_label("dashboard");
  key->set_created_at_unix_ms(1764684000000);  // 2025-12-02 14:00 UTC
  client_.list_keys_results.push_back(listed);
  ASSERT_TRUE(Run(MakeInvocation(Command::kKeysList)).ok());
  EXPECT_EQ(out_.str(),
            "KEY ID        ROLE    CREATED (UTC)     REVOKED  LABEL\n"
            "0123456789ab  reader  2025-12-02 14:00  -        dashboard\n");

  out_.str("");
  client_.revoke_key_results.push_back(absl::NotFoundError("key_id: tenant \"acme\" has no key ffff"));
  EXPECT_EQ(Run(MakeInvocation(Command::kKeysRevoke, "ffff")).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(client_.access_requests.back(), "tenant: \"acme\" key_id: \"ffff\"");
}

TEST_F(CommandsTest, TenantsCreateListDeleteAndSuspend) {
  v1::CreateTenantResponse created;
  created.mutable_tenant()->set_name("assoc");
  created.mutable_admin_key()->mutable_key()->set_key_id("aaaaaaaaaaaa");
  created.mutable_admin_key()->mutable_key()->set_tenant("assoc");
  created.mutable_admin_key()->mutable_key()->set_role(v1::KEY_ROLE_ADMIN);
  created.mutable_admin_key()->set_secret("pk_aaaaaaaaaaaa_s");
  client_.create_tenant_results.push_back(created);
  Invocation create = MakeInvocation(Command::kTenantsCreate, "assoc");
  create.tenant.clear();
  ASSERT_TRUE(Run(create).ok());
  EXPECT_EQ(out_.str(), "pk_aaaaaaaaaaaa_s\n");
  EXPECT_THAT(err_.str(), HasSubstr("tenant \"assoc\" created; its first admin key follows\n"));

  out_.str("");
  v1::ListTenantsResponse listed;
  v1::Tenant* tenant = listed.add_tenants();
  tenant->set_name("assoc");
  tenant->set_registered(true);
  tenant->set_profiles(12);
  tenant->set_interactions(3);
  tenant->set_active_keys(2);
  v1::Tenant* legacy = listed.add_tenants();
  legacy->set_name("old");
  legacy->set_profiles(5);
  client_.list_tenants_results.push_back(listed);
  ASSERT_TRUE(Run(MakeInvocation(Command::kTenantsList)).ok());
  EXPECT_EQ(out_.str(),
            "TENANT  STATE         PROFILES  INTERACTIONS  KEYS  CREATED (UTC)\n"
            "assoc   active        12        3             2     -\n"
            "old     unregistered  5         0             0     -\n");

  out_.str("");
  v1::DeleteTenantResponse deleted;
  deleted.set_profiles(12);
  deleted.set_interactions(3);
  deleted.set_keys(2);
  client_.delete_tenant_results.push_back(deleted);
  ASSERT_TRUE(Run(MakeInvocation(Command::kTenantsDelete, "assoc")).ok());
  EXPECT_EQ(out_.str(), "deleted tenant \"assoc\": 12 profiles, 3 interactions, 2 keys\n");

  ASSERT_TRUE(Run(MakeInvocation(Command::kTenantsSuspend, "assoc")).ok());
  EXPECT_EQ(client_.access_requests.back(), "name: \"assoc\" suspended: true");
  ASSERT_TRUE(Run(MakeInvocation(Command::kTenantsResume, "assoc")).ok());
  EXPECT_EQ(client_.access_requests.back(), "name: \"assoc\"");
}

TEST_F(CommandsTest, ImportReadsStdinForDash) {
  in_.str("{\"id\":\"a\"}\n");
  ASSERT_TRUE(Run(MakeInvocation(Command::kImport, "-")).ok());
  ASSERT_EQ(client_.bulk_upsert_calls.size(), 1u);
  EXPECT_EQ(client_.bulk_upsert_calls[0][0].profile().id(), "a");
}

TEST_F(CommandsTest, ImportReadsAFile) {
  const std::string path = ::testing::TempDir() + "/commands_test.jsonl";
  {
    std::ofstream file(path);
    file << "{\"id\":\"f1\"}\n{\"id\":\"f2\"}\n";
  }
  ASSERT_TRUE(Run(MakeInvocation(Command::kImport, path)).ok());
  std::remove(path.c_str());
  ASSERT_EQ(client_.bulk_upsert_calls.size(), 1u);
  EXPECT_EQ(client_.bulk_upsert_calls[0].size(), 2u);
}

TEST_F(CommandsTest, ImportOfAMissingFileIsNotFound) {
  const absl::Status status = Run(MakeInvocation(
      Command::kImport, ::testing::TempDir() + "/does-not-exist.jsonl"));
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("cannot open"));
}

}  // namespace
}  // namespace pollinator
