// TrainRanker end to end, through the gRPC API of a real in-process server
// (RocksDB in a temporary folder, real FAISS, real XGBoost): a tenant whose
// askers keep choosing small firms over the research institutes that the
// hand-set kind fit prefers trains a model that ranks later outcomes better,
// which then orders its suggestions, survives a restart, and never lets an
// irrelevant partner onto the page.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pollinator/v1/service.grpc.pb.h"
#include "tests/testing/grpc_matchers.h"
#include "tests/testing/grpc_server_fixture.h"
#include "tests/testing/profiles.h"
#include "tests/testing/suggestions.h"

namespace pollinator {
namespace {

using ::pollinator::testing::GrpcOk;
using ::pollinator::testing::GrpcStatusIs;
using ::pollinator::testing::MakeProfile;
using ::pollinator::testing::PartnerIds;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Contains;

constexpr char kTenant[] = "cluster";
constexpr int kAskers = 30;
constexpr int kProvidersPerKind = 4;

const char* const kNeed = "A pilot line for coating battery cathodes in a dry room, for trial runs of our slurry";

std::string Smb(int i) { return absl::StrCat("coater-", i); }
std::string Institute(int i) { return absl::StrCat("institute-", i); }

class RankerTrainingTest : public testing::GrpcServerTest {
 protected:
  void Put(const v1::Profile& profile) { ASSERT_THAT(Upsert(kTenant, profile), GrpcOk()); }

  void Record(const std::string& from, const std::string& to, v1::InteractionType type) {
    v1::Interaction interaction;
    interaction.set_from_profile_id(from);
    interaction.set_to_profile_id(to);
    interaction.set_type(type);
    if (type == v1::INTERACTION_TYPE_DECLINED) interaction.set_decline_reason(v1::DECLINE_REASON_NOT_RELEVANT);
    ASSERT_THAT(RecordInteraction(kTenant, interaction), GrpcOk());
  }

  v1::Profile Asker(const std::string& id) {
    v1::Profile asker = MakeProfile(id, v1::PROFILE_KIND_SMB, {kNeed}, {"Cathode slurry formulation"});
    asker.mutable_needs(0)->set_component(v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE);
    return asker;
  }

  // Small coaters and research institutes that offer the same pilot line;
  // the askers accepted a coater every time and declined or ignored the
  // institutes, which the hand-set kind fit ranks first for a technology
  // need.
  void PutHistory(int askers) {
    for (int i = 0; i < kProvidersPerKind; ++i) {
      Put(MakeProfile(Smb(i), v1::PROFILE_KIND_SMB, {},
                      {"Our pilot line coats battery cathodes in a dry room; book trial runs with your slurry"}));
      Put(MakeProfile(Institute(i), v1::PROFILE_KIND_RESEARCH_INSTITUTE, {},
                      {"Pilot line for coating battery cathodes in a dry room, open for trial runs of slurries"}));
    }
    for (int a = 0; a < askers; ++a) {
      const std::string id = absl::StrCat("asker-", a);
      Put(Asker(id));
      Record(id, Institute(a % kProvidersPerKind), v1::INTERACTION_TYPE_SHOWN);
      Record(id, Institute((a + 1) % kProvidersPerKind), v1::INTERACTION_TYPE_DECLINED);
      Record(id, Smb(a % kProvidersPerKind), v1::INTERACTION_TYPE_ACCEPTED);
    }
  }

  grpc::Status Train(const v1::TrainRankerRequest& request, v1::TrainRankerResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    return matches_->TrainRanker(&context, request, response);
  }

  v1::TrainRankerResponse TrainOk() {
    v1::TrainRankerRequest request;
    request.set_tenant(kTenant);
    v1::TrainRankerResponse response;
    EXPECT_THAT(Train(request, &response), GrpcOk());
    return response;
  }

  v1::FindPartnersResponse FindFor(const std::string& asker) {
    v1::FindPartnersRequest request;
    request.set_tenant(kTenant);
    request.set_profile_id(asker);
    v1::FindPartnersResponse response;
    EXPECT_THAT(Find(request, &response), GrpcOk());
    return response;
  }
};

TEST_F(RankerTrainingTest, ActivatesAModelThatRanksLaterOutcomesBetterThanTheRules) {
  PutHistory(kAskers);
  Put(Asker("newcomer"));
  const v1::FindPartnersResponse before = FindFor("newcomer");
  EXPECT_EQ(before.ranked_by(), "rules");
  ASSERT_GT(before.suggestions_size(), 0);
  EXPECT_EQ(before.suggestions(0).partner().kind(), v1::PROFILE_KIND_RESEARCH_INSTITUTE);

  const v1::TrainRankerResponse report = TrainOk();
  EXPECT_TRUE(report.activated()) << report.summary();
  EXPECT_EQ(report.model_version(), 1);
  EXPECT_EQ(report.previous_ranked_by(), "rules");
  EXPECT_GT(report.model_ndcg(), report.previous_ndcg());
  EXPECT_GT(report.training_queries(), 0);
  EXPECT_GT(report.validation_queries(), 0);
  EXPECT_GT(report.cutoff_sequence(), 0);
  EXPECT_THAT(report.summary(), HasSubstr("activated"));

  const v1::FindPartnersResponse after = FindFor("newcomer");
  EXPECT_EQ(after.ranked_by(), "learned-ranker-v1");
  ASSERT_GE(after.suggestions_size(), kProvidersPerKind);
  for (int i = 0; i < kProvidersPerKind; ++i) {
    EXPECT_EQ(after.suggestions(i).partner().kind(), v1::PROFILE_KIND_SMB) << "rank " << i;
  }
  // Scores follow the printed order.
  for (int i = 1; i < after.suggestions_size(); ++i) {
    EXPECT_LE(after.suggestions(i).score(), after.suggestions(i - 1).score());
  }
}

TEST_F(RankerTrainingTest, TheModelNeverSuggestsAnIrrelevantPartner) {
  PutHistory(kAskers);
  ASSERT_TRUE(TrainOk().activated());
  // Everything the model has learnt to like, but nothing relevant to offer.
  Put(MakeProfile("caterer", v1::PROFILE_KIND_SMB, {}, {"Catering for business events and trade fairs"}));
  Put(Asker("newcomer"));
  const v1::FindPartnersResponse response = FindFor("newcomer");
  EXPECT_EQ(response.ranked_by(), "learned-ranker-v1");
  EXPECT_THAT(PartnerIds(response), Not(Contains("caterer")));
  for (const v1::Suggestion& suggestion : response.suggestions()) {
    EXPECT_GE(suggestion.components().pair_relevance(), 0.2) << suggestion.partner().id();
  }
}

TEST_F(RankerTrainingTest, TheActiveModelSurvivesARestartAndTheNextOneIsVersionTwo) {
  PutHistory(kAskers);
  ASSERT_TRUE(TrainOk().activated());
  ASSERT_NO_FATAL_FAILURE(StopServer());
  ASSERT_NO_FATAL_FAILURE(StartServer());
  Put(Asker("newcomer"));
  const v1::FindPartnersResponse response = FindFor("newcomer");
  EXPECT_EQ(response.ranked_by(), "learned-ranker-v1");
  ASSERT_GT(response.suggestions_size(), 0);
  EXPECT_EQ(response.suggestions(0).partner().kind(), v1::PROFILE_KIND_SMB);

  const v1::TrainRankerResponse second = TrainOk();
  EXPECT_EQ(second.model_version(), 2);
  EXPECT_EQ(second.previous_ranked_by(), "learned-ranker-v1");
  // Activated only if it beat model 1 on the later outcomes; either way the
  // responses name the model that ranks.
  EXPECT_EQ(FindFor("newcomer").ranked_by(), second.activated() ? "learned-ranker-v2" : "learned-ranker-v1");
}

TEST_F(RankerTrainingTest, ThePeriodicJobTrainsTenantsWithNewOutcomes) {
  PutHistory(kAskers);
  Put(Asker("newcomer"));
  ASSERT_NO_FATAL_FAILURE(StopServer());
  ASSERT_NO_FATAL_FAILURE(StartServer([](ServerOptions& options) {
    options.ranker_training_interval = absl::Milliseconds(50);
  }));
  // Nobody calls TrainRanker: the job does, within a few intervals.
  std::string ranked_by;
  for (int attempt = 0; attempt < 200 && ranked_by != "learned-ranker-v1"; ++attempt) {
    absl::SleepFor(absl::Milliseconds(50));
    ranked_by = FindFor("newcomer").ranked_by();
  }
  EXPECT_EQ(ranked_by, "learned-ranker-v1");
  // Without new outcomes it does not train again.
  absl::SleepFor(absl::Milliseconds(300));
  v1::TrainRankerRequest request;
  request.set_tenant(kTenant);
  v1::TrainRankerResponse response;
  ASSERT_THAT(Train(request, &response), GrpcOk());
  EXPECT_EQ(response.model_version(), 2);
}

TEST_F(RankerTrainingTest, AThinHistoryIsRefusedAndNothingChanges) {
  PutHistory(3);  // 9 outcomes.
  v1::TrainRankerRequest request;
  request.set_tenant(kTenant);
  v1::TrainRankerResponse response;
  EXPECT_THAT(Train(request, &response),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION, HasSubstr("has 9 recorded outcomes")));
  EXPECT_EQ(FindFor("asker-0").ranked_by(), "rules");
}

TEST_F(RankerTrainingTest, RejectsBadRequests) {
  PutHistory(kAskers);
  v1::TrainRankerResponse response;
  v1::TrainRankerRequest request;
  request.set_tenant(kTenant);
  request.set_validation_share(0.9);
  EXPECT_THAT(Train(request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("validation_share")));
  request.set_validation_share(0);
  request.set_min_relevance(1.5);
  EXPECT_THAT(Train(request, &response), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("min_relevance")));
  request.clear_min_relevance();
  request.set_max_queries(-1);
  EXPECT_THAT(Train(request, &response), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("max_queries")));
  request.set_max_queries(0);
  request.set_tenant("");
  EXPECT_THAT(Train(request, &response), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("tenant")));
  EXPECT_EQ(FindFor("asker-0").ranked_by(), "rules");
}

TEST_F(RankerTrainingTest, ATenantWithoutDataHasNothingToTrainOn) {
  v1::TrainRankerRequest request;
  request.set_tenant("empty");
  v1::TrainRankerResponse response;
  EXPECT_THAT(Train(request, &response),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION, HasSubstr("has 0 recorded outcomes")));
}

}  // namespace
}  // namespace pollinator
