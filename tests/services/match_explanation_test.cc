#include "services/match_explanation.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pollinator {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

class MatchExplanationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    asker_.set_kind(v1::PROFILE_KIND_SMB);
    asker_.mutable_location()->set_country("DE");
    asker_.mutable_location()->set_region("Sachsen");
    asker_.mutable_location()->set_city("Leipzig");
    partner_ = asker_;
    partner_.set_kind(v1::PROFILE_KIND_RESEARCH_INSTITUTE);
    partner_.mutable_location()->set_city("Dresden");
    evidence_.asker = &asker_;
    evidence_.partner = &partner_;
    evidence_.query_item.set_text("scale up cathode production");
    evidence_.partner_item.set_text("pilot-line access for battery cells");
    evidence_.features.set_pair_relevance(0.6);
    evidence_.distance_km = 14.0;
  }

  v1::Profile asker_;
  v1::Profile partner_;
  MatchEvidence evidence_;
  ScoringWeights weights_;
};

TEST_F(MatchExplanationTest, FirstReasonSaysWhatThePartnerBrings) {
  const std::vector<std::string> reasons = ExplainMatch(evidence_, weights_);
  ASSERT_THAT(reasons, SizeIs(1));
  // The partner's offer, not the asker's own need repeated back.
  EXPECT_EQ(reasons[0], "Offers \"pilot-line access for battery cells\", which matches your need");
}

TEST_F(MatchExplanationTest, MatchesOnlyFromStrongRelevance) {
  evidence_.features.set_pair_relevance(kStrongRelevance);
  EXPECT_THAT(ExplainMatch(evidence_, weights_)[0], HasSubstr("which matches your need"));
  // The partner's other items do not make a weak pair a match.
  evidence_.features.set_relevance(0.9);
  evidence_.features.set_pair_relevance(kStrongRelevance - 0.01);
  EXPECT_THAT(ExplainMatch(evidence_, weights_)[0], HasSubstr(", related to your need"));
  EXPECT_THAT(ExplainMatch(evidence_, weights_)[0], Not(HasSubstr("matches")));
}

TEST_F(MatchExplanationTest, LongOfferIsCutAtAWordBoundary) {
  evidence_.partner_item.set_text(
      "Contract manufacturing of cathode sheets with slot-die coating, calendering and slitting on a pilot line "
      "of 300 mm width");
  const std::string first = ExplainMatch(evidence_, weights_)[0];
  EXPECT_THAT(first, HasSubstr("Offers \"Contract manufacturing of cathode sheets with slot-die coating, calendering "
                               "and slitting…\""));
}

TEST_F(MatchExplanationTest, NearMissSaysItFallsShortAndNamesOnlyWhatIsShared) {
  evidence_.near_miss = true;
  evidence_.features.set_pair_relevance(0.1);
  evidence_.features.set_experience(1.0);
  evidence_.features.set_network(1.0);
  evidence_.past_partner = true;
  evidence_.shared_words = {"cell"};
  EXPECT_THAT(ExplainMatch(evidence_, weights_),
              ElementsAre("Closest candidate, but not a clear fit: offers \"pilot-line access for battery cells\"",
                          "Shares only: cell"));
  evidence_.shared_words.clear();
  EXPECT_THAT(ExplainMatch(evidence_, weights_), Contains("Shares no specific words with your need"));
  evidence_.asker = nullptr;
  EXPECT_THAT(ExplainMatch(evidence_, weights_), Contains("Shares no specific words with your query"));
}

TEST_F(MatchExplanationTest, GeographyNamesRegionAndDistance) {
  evidence_.features.set_geography(0.9);
  EXPECT_THAT(ExplainMatch(evidence_, weights_), Contains("Same region (Sachsen), 14 km away"));
}

TEST_F(MatchExplanationTest, FarAbroadIsNotCalledNearby) {
  partner_.mutable_location()->set_country("PL");
  evidence_.features.set_geography(0.7);
  evidence_.distance_km = kNearbyAbroadKm - 10;
  EXPECT_THAT(ExplainMatch(evidence_, weights_), Contains(HasSubstr("Nearby across the border: 140 km away (PL)")));
  evidence_.distance_km = 1992.0;
  EXPECT_THAT(ExplainMatch(evidence_, weights_), Not(Contains(HasSubstr("Nearby"))));
}

TEST_F(MatchExplanationTest, MutualFitQuotesThePartnersNeed) {
  evidence_.mutual_relevance = 0.6;
  evidence_.mutual_partner_item.set_text("machine learning for cell ageing");
  EXPECT_THAT(ExplainMatch(evidence_, weights_),
              Contains("Also needs what you offer: \"machine learning for cell ageing\""));
  evidence_.needs_to_offers = false;
  EXPECT_THAT(ExplainMatch(evidence_, weights_),
              Contains("Also offers what you need: \"machine learning for cell ageing\""));
  // Between the floor and a strong fit the claim is hedged...
  evidence_.mutual_relevance = (kDefaultMinRelevance + kStrongRelevance) / 2;
  EXPECT_THAT(ExplainMatch(evidence_, weights_),
              Contains("May also offer what you need: \"machine learning for cell ageing\""));
  // ... and below the floor there is none.
  evidence_.mutual_relevance = kDefaultMinRelevance / 2;
  EXPECT_THAT(ExplainMatch(evidence_, weights_), Not(Contains(HasSubstr("also offer"))));
  EXPECT_THAT(ExplainMatch(evidence_, weights_), Not(Contains(HasSubstr("Also offer"))));
}

TEST_F(MatchExplanationTest, NetworkReasons) {
  evidence_.features.set_network(1.0);
  evidence_.past_partner = true;
  EXPECT_THAT(ExplainMatch(evidence_, weights_), Contains("You have worked together before"));
  evidence_.past_partner = false;
  evidence_.shared_partners = 2;
  EXPECT_THAT(ExplainMatch(evidence_, weights_), Contains("Worked with 2 of your past partners"));
  evidence_.shared_partners = 0;
  evidence_.linked_suggestions = 3;
  EXPECT_THAT(ExplainMatch(evidence_, weights_), Contains("Has worked with 3 of these suggestions"));
}

TEST_F(MatchExplanationTest, ExperienceAndSharedTerms) {
  partner_.set_completed_projects(12);
  evidence_.features.set_experience(0.75);
  evidence_.features.set_lexical(0.8);
  evidence_.shared_words = {"cathode", "calendering"};
  EXPECT_THAT(ExplainMatch(evidence_, weights_),
              ElementsAre(HasSubstr("Offers"), "Shares specific terms with you: cathode, calendering",
                          "Experienced: 12 completed projects"));
}

TEST_F(MatchExplanationTest, AtMostThreeReasonsStrongestContributionsFirst) {
  evidence_.features.set_geography(1.0);
  evidence_.features.set_kind_fit(1.0);
  evidence_.query_item.set_component(v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE);
  evidence_.features.set_network(1.0);
  evidence_.past_partner = true;
  partner_.mutable_location()->set_city("Leipzig");
  const std::vector<std::string> reasons = ExplainMatch(evidence_, weights_);
  ASSERT_THAT(reasons, SizeIs(3));
  // Network (prior weight 0.3) before geography and kind fit (0.2 each).
  EXPECT_EQ(reasons[1], "You have worked together before");
  EXPECT_EQ(reasons[2], "Same city (Leipzig), 14 km away");
}

TEST_F(MatchExplanationTest, DiversityMoveIsDisclosedWithinThreeReasons) {
  evidence_.features.set_geography(1.0);
  evidence_.features.set_network(1.0);
  evidence_.past_partner = true;
  evidence_.moved_up = true;
  const std::vector<std::string> reasons = ExplainMatch(evidence_, weights_);
  ASSERT_THAT(reasons, SizeIs(3));
  EXPECT_EQ(reasons[2], "Listed above higher-scored suggestions for variety");
}

}  // namespace
}  // namespace pollinator
