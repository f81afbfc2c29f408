// Open-innovation challenges through the real gRPC server: FindSolvers ranks
// the admitted solvers (by offer or description), FindChallenges lists the
// open challenges a profile could solve, and a challenge past its deadline
// stops matching everywhere.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pollinator/v1/challenge.grpc.pb.h"
#include "tests/testing/grpc_matchers.h"
#include "tests/testing/grpc_server_fixture.h"
#include "tests/testing/profiles.h"

namespace pollinator::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

constexpr char kTenant[] = "association";
constexpr char kChallenge[] = "Detect leaks in district heating pipes with acoustic sensors and machine learning";

v1::Date Day(int year, int month, int day) {
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

// The utility's challenge: open until 2027-03-31, SMBs and startups by
// default, or only the kinds and countries given.
v1::Profile Challenger(const std::vector<v1::ProfileKind>& kinds = {},
                       const std::vector<std::string>& countries = {}) {
  v1::Profile utility = MakeProfile("utility", v1::PROFILE_KIND_LARGE_ENTERPRISE, {kChallenge}, {});
  SetLocation(utility, "DE", "Bayern", "Munich");
  v1::Need* need = utility.mutable_needs(0);
  need->add_modes(v1::COLLABORATION_MODE_OPEN_INNOVATION_CHALLENGE);
  v1::Challenge* challenge = need->mutable_challenge();
  *challenge->mutable_deadline() = Day(2027, 3, 31);
  for (v1::ProfileKind kind : kinds) challenge->add_solver_kinds(kind);
  for (const std::string& country : countries) challenge->add_solver_countries(country);
  return utility;
}

std::vector<std::string> PartnerIds(const google::protobuf::RepeatedPtrField<v1::Suggestion>& suggestions) {
  std::vector<std::string> ids;
  for (const v1::Suggestion& suggestion : suggestions) ids.push_back(suggestion.partner().id());
  return ids;
}

class ChallengesTest : public GrpcServerTest {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_NO_FATAL_FAILURE(StartServer([this](ServerOptions& options) { options.today = [this] { return today_; }; }));
    challenges_ = v1::ChallengeService::NewStub(channel_);
    Seed(Challenger());
    // An SMB that offers exactly this.
    v1::Profile acoustic = MakeProfile("smb-acoustic", v1::PROFILE_KIND_SMB, {},
                                       {"Acoustic sensors and machine learning that detect leaks in heating pipes"});
    SetLocation(acoustic, "DE", "Sachsen", "Dresden");
    Seed(acoustic);
    // A startup that wrote no offer, but whose description says it does it.
    v1::Profile described = MakeProfile("startup-described", v1::PROFILE_KIND_STARTUP, {}, {});
    described.set_description(
        "We detect leaks in district heating pipes from acoustic sensor data with machine learning.");
    SetLocation(described, "FR", "Occitanie", "Toulouse");
    Seed(described);
    // A university with the same offer: not a solver kind by default.
    v1::Profile university = MakeProfile("uni-acoustics", v1::PROFILE_KIND_UNIVERSITY, {},
                                         {"Acoustic sensors and machine learning to detect leaks in heating pipes"});
    SetLocation(university, "DE", "Bayern", "Munich");
    Seed(university);
    // An SMB in an unrelated trade.
    v1::Profile bakery =
        MakeProfile("smb-bakery", v1::PROFILE_KIND_SMB, {}, {"Sourdough bread and pastries for cafes"});
    SetLocation(bakery, "DE", "Bayern", "Munich");
    Seed(bakery);
  }

  void Seed(const v1::Profile& profile) { ASSERT_THAT(Upsert(kTenant, profile), GrpcOk()); }

  grpc::Status Solvers(v1::FindSolversResponse* response, const std::string& need_id = "n1",
                       const std::string& profile_id = "utility") {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::FindSolversRequest request;
    request.set_tenant(kTenant);
    request.set_profile_id(profile_id);
    request.set_need_id(need_id);
    return challenges_->FindSolvers(&context, request, response);
  }

  grpc::Status Challenges(const std::string& profile_id, v1::FindChallengesResponse* response) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::FindChallengesRequest request;
    request.set_tenant(kTenant);
    request.set_profile_id(profile_id);
    return challenges_->FindChallenges(&context, request, response);
  }

  v1::Date today_ = Day(2027, 3, 1);
  std::unique_ptr<v1::ChallengeService::Stub> challenges_;
};

TEST_F(ChallengesTest, FindSolversRanksAdmittedSolversByOfferOrDescription) {
  v1::FindSolversResponse response;
  ASSERT_THAT(Solvers(&response), GrpcOk());
  EXPECT_EQ(response.challenge().text(), kChallenge);
  EXPECT_EQ(response.deadline().year(), 2027);
  EXPECT_EQ(response.days_left(), 30);
  EXPECT_FALSE(response.no_relevant_solver());
  // The university is not a default solver kind; the bakery is not relevant.
  EXPECT_THAT(PartnerIds(response.solvers()), UnorderedElementsAre("smb-acoustic", "startup-described"));
  for (const v1::Suggestion& solver : response.solvers()) {
    ASSERT_FALSE(solver.reasons().empty());
    if (solver.partner().id() == "startup-described") {
      // Matched by what it does: the description, with an empty item id.
      EXPECT_EQ(solver.offer().id(), "");
      EXPECT_THAT(solver.offer().text(), HasSubstr("district heating"));
      EXPECT_THAT(solver.reasons(0), HasSubstr("Does \""));
    } else {
      EXPECT_EQ(solver.offer().id(), "o1");
      EXPECT_THAT(solver.reasons(0), HasSubstr("Offers \""));
    }
  }
}

TEST_F(ChallengesTest, SolverKindsAndCountriesOfTheChallengeApply) {
  Seed(Challenger({v1::PROFILE_KIND_UNIVERSITY, v1::PROFILE_KIND_SMB}, {"DE"}));
  v1::FindSolversResponse response;
  ASSERT_THAT(Solvers(&response), GrpcOk());
  // The French startup is out (country), the university is in (kind).
  EXPECT_THAT(PartnerIds(response.solvers()), UnorderedElementsAre("smb-acoustic", "uni-acoustics"));
}

TEST_F(ChallengesTest, NothingRelevantSaysSoWithNearMisses) {
  Seed(Challenger({v1::PROFILE_KIND_SMB}, {"DE"}));
  ASSERT_THAT(Delete(kTenant, "smb-acoustic"), GrpcOk());
  // Shares a word, not the substance.
  v1::Profile panels = MakeProfile("smb-panels", v1::PROFILE_KIND_SMB, {}, {"Acoustic ceiling panels for offices"});
  SetLocation(panels, "DE", "Hessen", "Kassel");
  Seed(panels);
  v1::FindSolversResponse response;
  ASSERT_THAT(Solvers(&response), GrpcOk());
  EXPECT_THAT(response.solvers(), IsEmpty());
  EXPECT_TRUE(response.no_relevant_solver());
  ASSERT_FALSE(response.near_misses().empty());
  EXPECT_EQ(response.near_misses(0).partner().id(), "smb-panels");
  EXPECT_THAT(response.near_misses(0).reasons(0), HasSubstr("Closest candidate, but not a clear fit"));
}

TEST_F(ChallengesTest, FindChallengesListsOpenChallengesThatAdmitTheProfile) {
  v1::FindChallengesResponse response;
  ASSERT_THAT(Challenges("smb-acoustic", &response), GrpcOk());
  EXPECT_EQ(response.open_challenges(), 1);
  ASSERT_EQ(response.challenges_size(), 1);
  const v1::ChallengeMatch& match = response.challenges(0);
  EXPECT_EQ(match.suggestion().partner().id(), "utility");
  EXPECT_EQ(match.suggestion().need().text(), kChallenge);
  EXPECT_EQ(match.suggestion().offer().id(), "o1");
  EXPECT_EQ(match.deadline().month(), 3);
  EXPECT_EQ(match.days_left(), 30);
  EXPECT_FALSE(response.no_fitting_challenge());

  // A profile with only a description finds it by what it does.
  ASSERT_THAT(Challenges("startup-described", &response), GrpcOk());
  ASSERT_EQ(response.challenges_size(), 1);
  EXPECT_EQ(response.challenges(0).suggestion().offer().id(), "");
  EXPECT_THAT(response.challenges(0).suggestion().reasons(0), HasSubstr("what you do"));

  // The university is not admitted: no open challenge for it at all.
  ASSERT_THAT(Challenges("uni-acoustics", &response), GrpcOk());
  EXPECT_EQ(response.open_challenges(), 0);
  EXPECT_THAT(response.challenges(), IsEmpty());
  EXPECT_TRUE(response.no_fitting_challenge());

  // The bakery is admitted but fits nothing.
  ASSERT_THAT(Challenges("smb-bakery", &response), GrpcOk());
  EXPECT_EQ(response.open_challenges(), 1);
  EXPECT_THAT(response.challenges(), IsEmpty());
  EXPECT_TRUE(response.no_fitting_challenge());
}

TEST_F(ChallengesTest, BothSidesJudgeAPairTheSame) {
  // A solver whose description says much more than the challenge asks: the
  // fit must not depend on which side asks.
  v1::Profile broad = MakeProfile("smb-broad", v1::PROFILE_KIND_SMB, {}, {});
  broad.set_description(
      "Acoustic sensors and machine learning that detect leaks in heating pipes; we also install "
      "solar panels, repair roofs, service boilers and train apprentices in plumbing.");
  Seed(broad);
  v1::FindSolversResponse solvers;
  ASSERT_THAT(Solvers(&solvers), GrpcOk());
  for (const char* id : {"smb-acoustic", "startup-described", "smb-broad"}) {
    double from_challenge = -1;
    for (const v1::Suggestion& s : solvers.solvers()) {
      if (s.partner().id() == id) from_challenge = s.components().pair_relevance();
    }
    for (const v1::Suggestion& s : solvers.near_misses()) {
      if (s.partner().id() == id) from_challenge = s.components().pair_relevance();
    }
    v1::FindChallengesResponse challenges;
    ASSERT_THAT(Challenges(id, &challenges), GrpcOk());
    double from_solver = -1;
    for (const v1::ChallengeMatch& match : challenges.challenges()) {
      from_solver = match.suggestion().components().pair_relevance();
    }
    for (const v1::Suggestion& s : challenges.near_misses()) from_solver = s.components().pair_relevance();
    EXPECT_GE(from_challenge, 0) << id;
    EXPECT_NEAR(from_challenge, from_solver, 1e-9) << id;
  }
}

TEST_F(ChallengesTest, OrdinaryNeedsAreNotChallenges) {
  Seed(MakeProfile("smb-needs", v1::PROFILE_KIND_SMB, {"Leak detection in heating pipes with acoustic sensors"}, {}));
  v1::FindChallengesResponse response;
  ASSERT_THAT(Challenges("smb-acoustic", &response), GrpcOk());
  // The SMB's ordinary need is no challenge: only the utility's is listed.
  ASSERT_EQ(response.challenges_size(), 1);
  EXPECT_EQ(response.challenges(0).suggestion().partner().id(), "utility");
  EXPECT_EQ(response.open_challenges(), 1);

  v1::FindSolversResponse solvers;
  EXPECT_THAT(Solvers(&solvers, "n1", "smb-needs"),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION, HasSubstr("is not a challenge")));
  EXPECT_THAT(Solvers(&solvers, "n9"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("\"n9\"")));
  EXPECT_THAT(Solvers(&solvers, "n1", "nobody"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("nobody")));
}

TEST_F(ChallengesTest, PastTheDeadlineTheChallengeStopsMatching) {
  today_ = Day(2027, 3, 31);  // the last day still matches
  v1::FindSolversResponse solvers;
  ASSERT_THAT(Solvers(&solvers), GrpcOk());
  EXPECT_EQ(solvers.days_left(), 0);
  EXPECT_FALSE(solvers.solvers().empty());

  today_ = Day(2027, 4, 1);
  EXPECT_THAT(Solvers(&solvers),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION, HasSubstr("closed on 2027-03-31")));
  v1::FindChallengesResponse challenges;
  ASSERT_THAT(Challenges("smb-acoustic", &challenges), GrpcOk());
  EXPECT_EQ(challenges.open_challenges(), 0);
  EXPECT_THAT(challenges.challenges(), IsEmpty());
  // Nor does FindPartners find the closed challenge from the solver's side.
  v1::FindPartnersRequest request;
  request.set_tenant(kTenant);
  request.set_profile_id("smb-acoustic");
  request.set_direction(v1::DIRECTION_OFFERS_TO_NEEDS);
  v1::FindPartnersResponse partners;
  ASSERT_THAT(Find(request, &partners), GrpcOk());
  EXPECT_THAT(PartnerIds(partners.suggestions()), Not(Contains("utility")));
}

TEST_F(ChallengesTest, AnEarlierExpiryClosesTheChallengeFirst) {
  v1::Profile utility = Challenger();
  *utility.mutable_needs(0)->mutable_expires() = Day(2027, 3, 10);
  Seed(utility);
  v1::FindSolversResponse solvers;
  ASSERT_THAT(Solvers(&solvers), GrpcOk());
  EXPECT_EQ(solvers.deadline().day(), 10);
  EXPECT_EQ(solvers.days_left(), 9);
}

TEST_F(ChallengesTest, InvalidChallengesAreRejectedNamingTheField) {
  v1::Profile no_deadline = Challenger();
  no_deadline.mutable_needs(0)->mutable_challenge()->clear_deadline();
  EXPECT_THAT(Upsert(kTenant, no_deadline),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("needs[0].challenge.deadline: required")));
  v1::Profile no_mode = Challenger();
  no_mode.mutable_needs(0)->clear_modes();
  EXPECT_THAT(Upsert(kTenant, no_mode),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           HasSubstr("COLLABORATION_MODE_OPEN_INNOVATION_CHALLENGE")));
  v1::Profile bad_country = Challenger({}, {"Germany"});
  EXPECT_THAT(Upsert(kTenant, bad_country),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("needs[0].challenge.solver_countries[0]")));
  v1::Profile bad_kind = Challenger({v1::PROFILE_KIND_UNSPECIFIED});
  EXPECT_THAT(Upsert(kTenant, bad_kind),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("needs[0].challenge.solver_kinds[0]")));
  v1::Profile bad_date = Challenger();
  bad_date.mutable_needs(0)->mutable_challenge()->mutable_deadline()->set_month(13);
  EXPECT_THAT(Upsert(kTenant, bad_date),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("needs[0].challenge.deadline")));
  // Nothing was written: the stored challenge is the valid original.
  v1::Profile stored;
  ASSERT_THAT(Get(kTenant, "utility", &stored), GrpcOk());
  EXPECT_EQ(stored.needs(0).challenge().deadline().day(), 31);
}

TEST_F(ChallengesTest, RequestsAreValidated) {
  v1::FindSolversResponse solvers;
  EXPECT_THAT(Solvers(&solvers, ""), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("need_id")));
  grpc::ClientContext context;
  SetDeadline(context);
  v1::FindChallengesRequest request;
  request.set_tenant(kTenant);
  request.set_profile_id("smb-acoustic");
  request.set_top_k(101);
  v1::FindChallengesResponse response;
  EXPECT_THAT(challenges_->FindChallenges(&context, request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("top_k")));
}

}  // namespace
}  // namespace pollinator::testing
