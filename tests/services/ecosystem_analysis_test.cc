// AnalyzeEcosystem through the real gRPC server: on a small ecosystem whose
// answers are known, which needs are met, which are not (with the closest
// candidate and why), which offers nobody needs, and the per component and
// region counts of the heat map.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "pollinator/v1/ecosystem.grpc.pb.h"
#include "tests/testing/grpc_matchers.h"
#include "tests/testing/grpc_server_fixture.h"
#include "tests/testing/profiles.h"

namespace pollinator::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr char kTenant[] = "association";

class EcosystemAnalysisTest : public GrpcServerTest {
 protected:
  void SetUp() override {
    GrpcServerTest::SetUp();
    ecosystem_ = v1::EcosystemService::NewStub(channel_);
    // Saxony: a battery SMB needs cell testing (a lab offers it) and
    // deep-sea docking permits (nobody does anything like it).
    v1::Profile smb = MakeProfile("smb-battery", v1::PROFILE_KIND_SMB,
                                  {"battery cell testing and cycling for our prototypes",
                                   "permits for deep sea submarine docking stations"},
                                  {});
    smb.mutable_needs(0)->set_component(v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE);
    smb.mutable_needs(1)->set_component(v1::COMPONENT_REGULATORY_IP);
    SetLocation(smb, "DE", "Sachsen", "Leipzig");
    Seed(smb);
    v1::Profile lab = MakeProfile("lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE, {},
                                  {"battery cell testing and cycling laboratory for prototypes",
                                   "medieval manuscript restoration and bookbinding"});
    lab.mutable_offers(0)->set_component(v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE);
    lab.mutable_offers(1)->set_component(v1::COMPONENT_EXPERTISE);
    SetLocation(lab, "DE", "Sachsen", "Dresden");
    Seed(lab);
    // Bavaria: a fund whose offer nobody needs, and an expired need that
    // must not count.
    v1::Profile fund = MakeProfile("fund", v1::PROFILE_KIND_INVESTOR, {"office space near the station"},
                                   {"seed funding for hardware startups"});
    fund.mutable_offers(0)->set_component(v1::COMPONENT_FUNDING);
    fund.mutable_needs(0)->mutable_expires()->set_year(2020);
    fund.mutable_needs(0)->mutable_expires()->set_month(1);
    fund.mutable_needs(0)->mutable_expires()->set_day(1);
    SetLocation(fund, "DE", "Bayern", "Munich");
    Seed(fund);
  }

  void Seed(const v1::Profile& profile) { ASSERT_THAT(Upsert(kTenant, profile), GrpcOk()); }

  grpc::Status Analyze(v1::AnalyzeEcosystemResponse* response, std::optional<double> min_relevance = std::nullopt,
                       const std::string& tenant = kTenant) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::AnalyzeEcosystemRequest request;
    request.set_tenant(tenant);
    if (min_relevance) request.set_min_relevance(*min_relevance);
    return ecosystem_->AnalyzeEcosystem(&context, request, response);
  }

  std::unique_ptr<v1::EcosystemService::Stub> ecosystem_;
};

const v1::EcosystemCell* FindCell(const v1::AnalyzeEcosystemResponse& response, v1::Component component,
                                  const std::string& region) {
  for (const v1::EcosystemCell& cell : response.cells()) {
    if (cell.component() == component && cell.region() == region) return &cell;
  }
  return nullptr;
}

TEST_F(EcosystemAnalysisTest, CountsMetAndUnmetNeedsAndUnneededOffersPerComponentAndRegion) {
  v1::AnalyzeEcosystemResponse response;
  ASSERT_THAT(Analyze(&response), GrpcOk());
  EXPECT_DOUBLE_EQ(response.min_relevance(), 0.2);
  // Two open needs (the fund's expired one does not count), three offers.
  EXPECT_EQ(response.open_needs(), 2);
  EXPECT_EQ(response.met_needs(), 1);
  EXPECT_EQ(response.offers(), 3);

  const v1::EcosystemCell* testing = FindCell(response, v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE, "Sachsen");
  ASSERT_NE(testing, nullptr);
  EXPECT_EQ(testing->country(), "DE");
  EXPECT_EQ(testing->open_needs(), 1);
  EXPECT_EQ(testing->met_needs(), 1);
  EXPECT_EQ(testing->unmet_needs(), 0);
  EXPECT_EQ(testing->offers(), 1);
  EXPECT_EQ(testing->unneeded_offers(), 0);

  const v1::EcosystemCell* permits = FindCell(response, v1::COMPONENT_REGULATORY_IP, "Sachsen");
  ASSERT_NE(permits, nullptr);
  EXPECT_EQ(permits->open_needs(), 1);
  EXPECT_EQ(permits->unmet_needs(), 1);
  EXPECT_EQ(permits->offers(), 0);

  const v1::EcosystemCell* funding = FindCell(response, v1::COMPONENT_FUNDING, "Bayern");
  ASSERT_NE(funding, nullptr);
  EXPECT_EQ(funding->open_needs(), 0);
  EXPECT_EQ(funding->offers(), 1);
  EXPECT_EQ(funding->unneeded_offers(), 1);
  EXPECT_EQ(response.cells_size(), 4);  // plus the lab's expertise offer

  ASSERT_EQ(response.unmet_needs_size(), 1);
  const v1::UnmetNeed& unmet = response.unmet_needs(0);
  EXPECT_EQ(unmet.profile().id(), "smb-battery");
  EXPECT_EQ(unmet.need().id(), "n2");
  // The closest candidate comes with its relevance, below the floor.
  ASSERT_TRUE(unmet.has_near_miss());
  EXPECT_GT(unmet.near_miss().components().pair_relevance(), 0.0);
  EXPECT_LT(unmet.near_miss().components().pair_relevance(), 0.2);
  EXPECT_THAT(unmet.near_miss().reasons(0), HasSubstr("Closest candidate, but not a clear fit"));
  EXPECT_THAT(unmet.shortfall(), HasSubstr(absl::StrCat("The closest candidate, ", unmet.near_miss().partner().name(),
                                                        ", reaches relevance ")));
  EXPECT_THAT(unmet.shortfall(), HasSubstr("of the 0.20 needed"));

  std::vector<std::string> unneeded;
  for (const v1::UnneededOffer& offer : response.unneeded_offers()) {
    unneeded.push_back(offer.profile().id() + "/" + offer.offer().id());
  }
  EXPECT_THAT(unneeded, UnorderedElementsAre("fund/o1", "lab/o2"));
}

TEST_F(EcosystemAnalysisTest, TheFloorDecidesWhatCountsAsMet) {
  v1::AnalyzeEcosystemResponse strict;
  ASSERT_THAT(Analyze(&strict, 0.99), GrpcOk());
  EXPECT_EQ(strict.met_needs(), 0);
  EXPECT_EQ(strict.unmet_needs_size(), 2);
  // The met need's partner comes back as its near miss, with its relevance.
  bool battery_near_miss = false;
  for (const v1::UnmetNeed& unmet : strict.unmet_needs()) {
    if (unmet.need().id() != "n1") continue;
    ASSERT_TRUE(unmet.has_near_miss());
    EXPECT_EQ(unmet.near_miss().partner().id(), "lab");
    EXPECT_THAT(unmet.shortfall(), HasSubstr("of the 0.99 needed"));
    battery_near_miss = true;
  }
  EXPECT_TRUE(battery_near_miss);
}

TEST_F(EcosystemAnalysisTest, AnEmptyTenantHasAnEmptyMap) {
  v1::AnalyzeEcosystemResponse response;
  ASSERT_THAT(Analyze(&response, std::nullopt, "nobody-here"), GrpcOk());
  EXPECT_THAT(response.cells(), IsEmpty());
  EXPECT_EQ(response.open_needs(), 0);
}

TEST_F(EcosystemAnalysisTest, BadFloorIsRejected) {
  v1::AnalyzeEcosystemResponse response;
  EXPECT_THAT(Analyze(&response, 1.5), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("min_relevance")));
}

}  // namespace
}  // namespace pollinator::testing
