#include "services/matcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/catalog_fixture.h"
#include "services/sample_loader.h"
#include "tests/testing/profiles.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace pollinator {
namespace {

using ::pollinator::testing::IsOk;
using ::pollinator::testing::MakeProfile;
using ::pollinator::testing::SetLocation;
using ::pollinator::testing::StatusIs;
using ::pollinator::testing::TempDir;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

class MatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    opened_ = testing::OpenCatalog(dir_);
    ASSERT_NE(opened_.catalog, nullptr);
    catalog_ = opened_.catalog.get();
    matcher_ = std::make_unique<Matcher>(*catalog_, ScoringWeights(), [this] { return today_; });
    today_.set_year(2026);
    today_.set_month(11);
    today_.set_day(26);
  }

  void Put(const v1::Profile& profile) { ASSERT_THAT(catalog_->Upsert("t", profile), IsOk()); }

  std::vector<std::string> PartnerIds(const v1::FindPartnersRequest& request) {
    auto response = matcher_->FindPartners(request);
    EXPECT_THAT(response, IsOk());
    std::vector<std::string> ids;
    if (response.ok()) {
      for (const auto& s : response->suggestions()) ids.push_back(s.partner().id());
    }
    return ids;
  }

  static v1::FindPartnersRequest ForProfile(const std::string& id) {
    v1::FindPartnersRequest request;
    request.set_tenant("t");
    request.set_profile_id(id);
    return request;
  }

  TempDir dir_;
  testing::OpenedCatalog opened_;
  Catalog* catalog_ = nullptr;
  std::unique_ptr<Matcher> matcher_;
  v1::Date today_;
};

TEST_F(MatcherTest, SuggestsOnlyTheRelevantOfferAndNeverTheAsker) {
  Put(MakeProfile("asker", v1::PROFILE_KIND_SMB, {"pilot line for lithium battery cathode coating"},
                  {"battery cathode coating pilot line"}));
  Put(MakeProfile("lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE, {},
                  {"battery cell pilot line with cathode coating and calendering"}));
  Put(MakeProfile("vc", v1::PROFILE_KIND_INVESTOR, {}, {"seed investment for consumer mobile apps"}));
  Put(MakeProfile("law", v1::PROFILE_KIND_SERVICE_PROVIDER, {}, {"trademark registration and IP advice"}));
  // The investor and the law firm share nothing with the need: below the
  // relevance floor, they are not suggested at all.
  EXPECT_THAT(PartnerIds(ForProfile("asker")), ElementsAre("lab"));
}

TEST_F(MatcherTest, SuggestionsCarryScoresComponentsAndReasons) {
  v1::Profile asker = MakeProfile("asker", v1::PROFILE_KIND_SMB, {"LiDAR point cloud processing expertise"}, {});
  SetLocation(asker, "DE", "Saxony", "Leipzig", std::make_pair(51.34, 12.37));
  asker.add_sectors("C27.2");
  asker.mutable_needs(0)->set_component(v1::COMPONENT_EXPERTISE);
  v1::Profile lab = MakeProfile("lab", v1::PROFILE_KIND_UNIVERSITY, {}, {"LiDAR point cloud processing research group"});
  SetLocation(lab, "DE", "Saxony", "Dresden", std::make_pair(51.05, 13.74));
  lab.add_sectors("C27.1");
  Put(asker);
  Put(lab);
  auto response = matcher_->FindPartners(ForProfile("asker"));
  ASSERT_THAT(response, IsOk());
  ASSERT_THAT(response->suggestions(), SizeIs(1));
  const v1::Suggestion& s = response->suggestions(0);
  EXPECT_EQ(s.need().id(), "n1");
  EXPECT_EQ(s.offer().id(), "o1");
  EXPECT_THAT(s.offer().text(), HasSubstr("research group"));
  EXPECT_GT(s.score(), 0.0);
  EXPECT_LE(s.score(), 1.0);
  for (double c : {s.components().semantic(), s.components().lexical(), s.components().geography(),
                   s.components().sector(), s.components().kind_fit(), s.components().experience(),
                   s.components().network()}) {
    EXPECT_GE(c, 0.0);
    EXPECT_LE(c, 1.0);
  }
  EXPECT_NEAR(s.distance_km(), 100.0, 10.0);
  ASSERT_GE(s.reasons_size(), 1);
  ASSERT_LE(s.reasons_size(), 3);
  EXPECT_THAT(s.reasons(0), HasSubstr("which matches your need"));
  // The strongest secondary contributions: the exact terms, then the kind
  // fit (geography and sector weigh less; see match_explanation_test for
  // their wording).
  EXPECT_THAT(s.reasons(1), AllOf(HasSubstr("Shares specific terms"), HasSubstr("lidar")));
  EXPECT_EQ(s.reasons(2), "A university: a typical provider of expertise & knowledge");
}

TEST_F(MatcherTest, KindReasonUsesTheRightArticle) {
  v1::Profile asker = MakeProfile("asker", v1::PROFILE_KIND_SMB, {"partners for a regional innovation network"}, {});
  asker.mutable_needs(0)->set_component(v1::COMPONENT_COLLABORATION_NETWORKING);
  Put(asker);
  Put(MakeProfile("cluster", v1::PROFILE_KIND_ASSOCIATION_CLUSTER, {},
                  {"partners for a regional innovation network of companies"}));
  auto response = matcher_->FindPartners(ForProfile("asker"));
  ASSERT_THAT(response, IsOk());
  ASSERT_THAT(response->suggestions(), SizeIs(1));
  EXPECT_THAT(response->suggestions(0).reasons(),
              Contains("An association/cluster: a typical provider of collaboration & networking"));
}

TEST_F(MatcherTest, ReverseDirectionFindsWhoNeedsAnOffer) {
  Put(MakeProfile("lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE, {}, {"clean room for GMP cell therapy production"}));
  Put(MakeProfile("biotech", v1::PROFILE_KIND_STARTUP, {"GMP clean room capacity for cell therapy batches"}, {}));
  Put(MakeProfile("bakery", v1::PROFILE_KIND_SMB, {"export partners for artisan bread"}, {}));
  v1::FindPartnersRequest request = ForProfile("lab");
  request.set_direction(v1::DIRECTION_OFFERS_TO_NEEDS);
  auto response = matcher_->FindPartners(request);
  ASSERT_THAT(response, IsOk());
  ASSERT_GE(response->suggestions_size(), 1);
  EXPECT_EQ(response->suggestions(0).partner().id(), "biotech");
  EXPECT_EQ(response->suggestions(0).offer().id(), "o1");  // The asker's offer ...
  EXPECT_EQ(response->suggestions(0).need().id(), "n1");   // ... meets the partner's need.
  EXPECT_THAT(response->suggestions(0).reasons(0), HasSubstr("which your offer"));
}

TEST_F(MatcherTest, ExpiredOffersNeverMatch) {
  Put(MakeProfile("asker", v1::PROFILE_KIND_SMB, {"testing lab for EMC certification"}, {}));
  v1::Profile lab = MakeProfile("lab", v1::PROFILE_KIND_SERVICE_PROVIDER, {}, {"EMC certification testing lab"});
  v1::Date* expires = lab.mutable_offers(0)->mutable_expires();
  expires->set_year(2026);
  expires->set_month(12);
  expires->set_day(31);
  Put(lab);
  EXPECT_THAT(PartnerIds(ForProfile("asker")), Contains("lab"));
  today_.set_year(2027);
  EXPECT_THAT(PartnerIds(ForProfile("asker")), Not(Contains("lab")));
}

TEST_F(MatcherTest, FiltersApplyInsideSearch) {
  v1::Profile asker = MakeProfile("asker", v1::PROFILE_KIND_SMB, {"machine learning for predictive maintenance"}, {});
  SetLocation(asker, "DE", "Bavaria", "Munich", std::make_pair(48.14, 11.58));
  Put(asker);
  for (int i = 0; i < 20; ++i) {
    v1::Profile p = MakeProfile("p" + std::to_string(i),
                                i % 2 == 0 ? v1::PROFILE_KIND_UNIVERSITY : v1::PROFILE_KIND_SMB, {},
                                {"machine learning for predictive maintenance of machines"});
    if (i < 10) {
      SetLocation(p, "DE", "Bavaria", "Munich", std::make_pair(48.14 + 0.01 * i, 11.58));
    } else {
      SetLocation(p, "FR", "Occitanie", "Toulouse", std::make_pair(43.60, 1.44));
    }
    p.add_sectors(i % 4 == 0 ? "62.01" : "28.29");
    p.mutable_offers(0)->set_component(i % 5 == 0 ? v1::COMPONENT_EXPERTISE : v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE);
    Put(p);
  }
  v1::FindPartnersRequest request = ForProfile("asker");
  request.set_top_k(100);
  request.mutable_filters()->add_kinds(v1::PROFILE_KIND_UNIVERSITY);
  EXPECT_THAT(PartnerIds(request), SizeIs(10));
  request.mutable_filters()->add_countries("FR");
  EXPECT_THAT(PartnerIds(request), SizeIs(5));  // p10, p12, ..., p18
  request.mutable_filters()->Clear();
  request.mutable_filters()->add_sectors("62");
  EXPECT_THAT(PartnerIds(request), SizeIs(5));  // p0, p4, ..., p16
  request.mutable_filters()->Clear();
  request.mutable_filters()->add_components(v1::COMPONENT_EXPERTISE);
  EXPECT_THAT(PartnerIds(request), SizeIs(4));  // p0, p5, p10, p15
  request.mutable_filters()->Clear();
  request.mutable_filters()->set_max_distance_km(50);
  EXPECT_THAT(PartnerIds(request), SizeIs(10));
  request.mutable_filters()->add_exclude_profile_ids("p0");
  EXPECT_THAT(PartnerIds(request), Not(Contains("p0")));
  request.mutable_filters()->Clear();
  request.set_top_k(3);
  EXPECT_THAT(PartnerIds(request), SizeIs(3));
}

TEST_F(MatcherTest, AdHocTextAndErrors) {
  Put(MakeProfile("lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE, {}, {"perovskite solar cell stability testing"}));
  v1::FindPartnersRequest request;
  request.set_tenant("t");
  request.set_text("perovskite stability");
  EXPECT_THAT(PartnerIds(request), Contains("lab"));

  request.set_top_k(101);
  EXPECT_THAT(matcher_->FindPartners(request), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("top_k")));
  EXPECT_THAT(matcher_->FindPartners(ForProfile("ghost")), StatusIs(absl::StatusCode::kNotFound));
  v1::FindPartnersRequest empty;
  empty.set_tenant("t");
  EXPECT_THAT(matcher_->FindPartners(empty), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("query")));
  v1::FindPartnersRequest no_needs = ForProfile("lab");
  EXPECT_THAT(matcher_->FindPartners(no_needs), StatusIs(absl::StatusCode::kFailedPrecondition));
  v1::FindPartnersRequest vector;
  vector.set_tenant("t");
  vector.mutable_vector()->add_values(1.0f);
  EXPECT_THAT(matcher_->FindPartners(vector),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("vector.values: dimension 1")));
}

TEST_F(MatcherTest, SampleDemoNeedFindsTheNearbyPilotLine) {
  auto seeded = SeedTenantIfEmpty(*catalog_, "t", POLLINATOR_SOURCE_DIR "/data/samples/ecosystem.jsonl");
  ASSERT_THAT(seeded, IsOk());
  EXPECT_THAT(seeded->errors, ::testing::IsEmpty());
  EXPECT_GE(seeded->upserted, 150);
  v1::FindPartnersRequest request = ForProfile("smb-de-lindenau-battery-systems");
  request.set_item_id("n1");
  request.set_top_k(3);
  EXPECT_THAT(PartnerIds(request), Contains("inst-de-saxon-electrochemical-storage"));
}

}  // namespace
}  // namespace pollinator
