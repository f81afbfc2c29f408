// ScreenCohort through the real gRPC server: an accelerator's cohort gets
// partners from a pool under capacities, conflicts and must-includes, with
// the best total score (checked against brute force over the members'
// FindPartners scores), reasons, alternatives and why slots stay empty.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "pollinator/v1/cohort.grpc.pb.h"
#include "tests/testing/grpc_matchers.h"
#include "tests/testing/grpc_server_fixture.h"
#include "tests/testing/profiles.h"

namespace pollinator::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kTenant[] = "accelerator";

class CohortScreeningTest : public GrpcServerTest {
 protected:
  void SetUp() override {
    GrpcServerTest::SetUp();
    cohorts_ = v1::CohortService::NewStub(channel_);
    // Four startups in the cohort; three of them need battery testing, one
    // needs something nobody offers.
    for (const char* id : {"s1", "s2", "s3"}) {
      Seed(MakeProfile(id, v1::PROFILE_KIND_STARTUP, {"battery cell testing and cycling for our prototypes"}, {}));
    }
    Seed(MakeProfile("s4", v1::PROFILE_KIND_STARTUP, {"deep sea submarine docking permits"}, {}));
    // The pool: two labs that fit well, one investor that does not.
    Seed(MakeProfile("lab-a", v1::PROFILE_KIND_RESEARCH_INSTITUTE, {},
                     {"battery cell testing and cycling laboratory for prototypes"}));
    Seed(MakeProfile("lab-b", v1::PROFILE_KIND_UNIVERSITY, {}, {"battery cell cycling and testing of prototypes"}));
    Seed(MakeProfile("fund", v1::PROFILE_KIND_INVESTOR, {}, {"seed funding for hardware startups"}));
  }

  void Seed(const v1::Profile& profile) { ASSERT_TRUE(Upsert(kTenant, profile).ok()); }

  grpc::Status Screen(const v1::ScreenCohortRequest& request, v1::ScreenCohortResponse* response) {
    grpc::ClientContext context;
    SetDeadline(context);
    return cohorts_->ScreenCohort(&context, request, response);
  }

  v1::ScreenCohortRequest Request() {
    v1::ScreenCohortRequest request;
    request.set_tenant(kTenant);
    for (const char* id : {"s1", "s2", "s3", "s4"}) request.add_cohort(id);
    request.set_per_member(2);
    return request;
  }

  // Member -> partner -> the score FindPartners gives the pair.
  std::map<std::string, std::map<std::string, double>> Scores() {
    std::map<std::string, std::map<std::string, double>> scores;
    for (const char* member : {"s1", "s2", "s3", "s4"}) {
      v1::FindPartnersRequest request;
      request.set_tenant(kTenant);
      request.set_profile_id(member);
      request.set_top_k(100);
      for (const char* other : {"s1", "s2", "s3", "s4"}) request.mutable_filters()->add_exclude_profile_ids(other);
      v1::FindPartnersResponse response;
      EXPECT_TRUE(Find(request, &response).ok());
      for (const v1::Suggestion& suggestion : response.suggestions()) {
        scores[member][suggestion.partner().id()] = suggestion.score();
      }
    }
    return scores;
  }

  std::unique_ptr<v1::CohortService::Stub> cohorts_;
};

// Pairs of the response as "member>partner".
std::vector<std::string> Pairs(const v1::ScreenCohortResponse& response) {
  std::vector<std::string> pairs;
  for (const v1::CohortAssignment& assignment : response.assignments()) {
    pairs.push_back(assignment.member_id() + ">" + assignment.suggestion().partner().id());
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

// The best total over every subset of `scores`' pairs within the limits.
double BruteForceBest(const std::map<std::string, std::map<std::string, double>>& scores, int per_member,
                      int capacity) {
  std::vector<std::pair<std::pair<std::string, std::string>, double>> pairs;
  for (const auto& [member, partners] : scores) {
    for (const auto& [partner, score] : partners) pairs.push_back({{member, partner}, score});
  }
  double best = 0;
  for (unsigned mask = 0; mask < (1u << pairs.size()); ++mask) {
    std::map<std::string, int> member_use, partner_use;
    double total = 0;
    bool ok = true;
    for (size_t i = 0; i < pairs.size() && ok; ++i) {
      if (!(mask & (1u << i))) continue;
      ok = ++member_use[pairs[i].first.first] <= per_member && ++partner_use[pairs[i].first.second] <= capacity;
      total += pairs[i].second;
    }
    if (ok) best = std::max(best, total);
  }
  return best;
}

TEST_F(CohortScreeningTest, CapacityLimitsEachPartnerAndTheTotalIsTheBestPossible) {
  const auto scores = Scores();
  ASSERT_EQ(scores.count("s4"), 0u) << "the submarine need should have no relevant partner";
  ASSERT_GE(scores.at("s1").size(), 2u);
  v1::ScreenCohortRequest request = Request();
  request.set_default_capacity(1);
  v1::ScreenCohortResponse response;
  ASSERT_TRUE(Screen(request, &response).ok());

  std::map<std::string, int> load;
  for (const v1::CohortAssignment& assignment : response.assignments()) {
    ++load[assignment.suggestion().partner().id()];
    EXPECT_FALSE(assignment.suggestion().reasons().empty());
    EXPECT_DOUBLE_EQ(assignment.suggestion().score(),
                     scores.at(assignment.member_id()).at(assignment.suggestion().partner().id()));
  }
  for (const auto& [partner, members] : load) EXPECT_LE(members, 1) << partner;
  EXPECT_NEAR(response.total_score(), BruteForceBest(scores, 2, 1), 1e-6);

  // s4 has nothing relevant; the others lost slots to capacity.
  std::map<std::string, std::pair<int, v1::UnassignedReason>> unassigned;
  for (const v1::UnassignedSlots& slots : response.unassigned()) {
    if (slots.reason() == v1::UNASSIGNED_REASON_NO_RELEVANT_PARTNER) unassigned[slots.member_id()] = {slots.count(), slots.reason()};
  }
  EXPECT_EQ(unassigned["s4"].first, 2);
  int capacity_slots = 0;
  for (const v1::UnassignedSlots& slots : response.unassigned()) {
    if (slots.reason() == v1::UNASSIGNED_REASON_CAPACITY_USED_UP) capacity_slots += slots.count();
  }
  EXPECT_GT(capacity_slots, 0);
  ASSERT_EQ(response.members_size(), 4);
  EXPECT_EQ(response.members(0).member_id(), "s1");
}

TEST_F(CohortScreeningTest, ConflictsAreNeverAndMustIncludesAlwaysAssigned) {
  v1::ScreenCohortRequest request = Request();
  request.set_per_member(1);
  v1::MemberPartner* conflict = request.add_conflicts();
  conflict->set_member_id("s1");
  conflict->set_partner_id("lab-a");
  v1::MemberPartner* forced = request.add_must_include();
  forced->set_member_id("s4");
  forced->set_partner_id("fund");
  v1::ScreenCohortResponse response;
  ASSERT_TRUE(Screen(request, &response).ok());
  const std::vector<std::string> pairs = Pairs(response);
  EXPECT_THAT(pairs, ::testing::Not(::testing::Contains("s1>lab-a")));
  EXPECT_THAT(pairs, ::testing::Contains("s4>fund"));
  for (const v1::CohortAssignment& assignment : response.assignments()) {
    if (assignment.member_id() != "s4") continue;
    EXPECT_TRUE(assignment.required());
    EXPECT_EQ(assignment.suggestion().score(), 0);
    EXPECT_THAT(assignment.suggestion().reasons(0), HasSubstr("Required by the screening"));
    EXPECT_EQ(assignment.suggestion().partner().name(), "Name of fund");
  }
}

TEST_F(CohortScreeningTest, ThePoolRestrictsKindsAndIdsAndAlternativesListTheRest) {
  v1::ScreenCohortRequest request = Request();
  request.set_per_member(1);
  request.mutable_pool()->add_kinds(v1::PROFILE_KIND_UNIVERSITY);
  v1::ScreenCohortResponse response;
  ASSERT_TRUE(Screen(request, &response).ok());
  for (const v1::CohortAssignment& assignment : response.assignments()) {
    EXPECT_EQ(assignment.suggestion().partner().id(), "lab-b");
  }

  request.clear_pool();
  request.mutable_pool()->add_profile_ids("lab-a");
  request.set_default_capacity(5);
  ASSERT_TRUE(Screen(request, &response).ok());
  EXPECT_THAT(Pairs(response), ElementsAre("s1>lab-a", "s2>lab-a", "s3>lab-a"));
  for (const v1::MemberScreening& member : response.members()) EXPECT_THAT(member.alternatives(), IsEmpty());

  request.clear_pool();
  request.set_per_member(1);
  ASSERT_TRUE(Screen(request, &response).ok());
  // With room for one each, the other lab is s1's alternative.
  ASSERT_GE(response.members(0).alternatives_size(), 1);
  EXPECT_NE(response.members(0).alternatives(0).partner().id(), response.assignments(0).suggestion().partner().id());
}

TEST_F(CohortScreeningTest, BadRequestsNameTheField) {
  v1::ScreenCohortResponse response;
  v1::ScreenCohortRequest request = Request();
  request.clear_cohort();
  EXPECT_THAT(Screen(request, &response), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("cohort: empty")));
  request = Request();
  request.add_cohort("s1");
  EXPECT_THAT(Screen(request, &response), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("cohort[4]")));
  request = Request();
  request.set_per_member(21);
  EXPECT_THAT(Screen(request, &response), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("per_member")));
  request = Request();
  (*request.mutable_capacity_overrides())["lab-a"] = -1;
  EXPECT_THAT(Screen(request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("capacity_overrides[lab-a]")));
  request = Request();
  v1::MemberPartner* stranger = request.add_must_include();
  stranger->set_member_id("outsider");
  stranger->set_partner_id("lab-a");
  EXPECT_THAT(Screen(request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("must_include[0].member_id")));
  request = Request();
  v1::MemberPartner* ghost = request.add_must_include();
  ghost->set_member_id("s1");
  ghost->set_partner_id("ghost");
  EXPECT_THAT(Screen(request, &response),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("must_include[0].partner_id")));
  request = Request();
  v1::MemberPartner* inside = request.add_must_include();
  inside->set_member_id("s1");
  inside->set_partner_id("s2");
  EXPECT_THAT(Screen(request, &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("is a cohort member, never a partner")));
  request = Request();
  request.add_cohort("nobody");
  EXPECT_THAT(Screen(request, &response), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("cohort[4]")));
  request = Request();
  request.set_per_member(1);
  for (const char* member : {"s1", "s2"}) {
    v1::MemberPartner* pair = request.add_must_include();
    pair->set_member_id(member);
    pair->set_partner_id("lab-a");
  }
  request.set_default_capacity(1);
  EXPECT_THAT(Screen(request, &response), GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION, HasSubstr("partner")));
}

}  // namespace
}  // namespace pollinator::testing

namespace pollinator::testing {
namespace {

// A cohort of 300 members with long texts: the full answer (3 partners and
// 20 alternatives each) would be far over 4 MiB.
TEST_F(CohortScreeningTest, AnAnswerOverTheLimitListsFewerAlternativesAndSaysSo) {
  std::string filler;
  for (int i = 0; i < 60; ++i) absl::StrAppend(&filler, " with cycling rigs, thermal chambers and reports ", i);
  v1::ScreenCohortRequest request;
  request.set_tenant("big");
  for (int i = 0; i < 300; ++i) {
    const std::string member = absl::StrCat("m", i);
    ASSERT_TRUE(Upsert("big", MakeProfile(member, v1::PROFILE_KIND_STARTUP,
                                          {absl::StrCat("battery cell testing ", i % 7, filler)}, {}))
                    .ok());
    request.add_cohort(member);
  }
  for (int i = 0; i < 60; ++i) {
    ASSERT_TRUE(Upsert("big", MakeProfile(absl::StrCat("lab", i), v1::PROFILE_KIND_RESEARCH_INSTITUTE, {},
                                          {absl::StrCat("battery cell testing services ", i % 5, filler)}))
                    .ok());
  }
  request.set_per_member(3);
  request.set_alternatives(20);
  request.set_default_capacity(1000);
  v1::ScreenCohortResponse response;
  ASSERT_TRUE(Screen(request, &response).ok());
  EXPECT_LE(response.ByteSizeLong(), size_t{3} << 20);
  ASSERT_TRUE(response.has_alternatives_limited_to());
  EXPECT_LT(response.alternatives_limited_to(), 20);
  int most = 0;
  for (const v1::MemberScreening& member : response.members()) most = std::max(most, member.alternatives_size());
  EXPECT_EQ(most, response.alternatives_limited_to());
  // Assignments are whole: 3 for every member.
  EXPECT_EQ(response.assignments_size(), 300 * 3);

  // Asked for no alternatives, the same cohort fits, and says nothing.
  request.set_alternatives(0);
  v1::ScreenCohortResponse small;
  ASSERT_TRUE(Screen(request, &small).ok());
  EXPECT_FALSE(small.has_alternatives_limited_to());
  EXPECT_EQ(small.assignments_size(), 300 * 3);
}

}  // namespace
}  // namespace pollinator::testing
