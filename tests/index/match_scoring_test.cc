#include "index/match_scoring.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/testing/status_matchers.h"

namespace pollinator {
namespace {

using ::pollinator::testing::IsOk;
using ::pollinator::testing::StatusIs;

v1::Location Place(const std::string& country, const std::string& region, const std::string& city, double lat,
                   double lon) {
  v1::Location location;
  location.set_country(country);
  location.set_region(region);
  location.set_city(city);
  location.set_lat(lat);
  location.set_lon(lon);
  return location;
}

const v1::Location kLeipzig = Place("DE", "Saxony", "Leipzig", 51.3397, 12.3731);
const v1::Location kDresden = Place("DE", "Saxony", "Dresden", 51.0504, 13.7373);
const v1::Location kMunich = Place("DE", "Bavaria", "Munich", 48.1351, 11.5820);
const v1::Location kLisbon = Place("PT", "Lisboa", "Lisbon", 38.7223, -9.1393);

TEST(MatchScoringTest, DistanceKmIsGreatCircleDistance) {
  auto km = DistanceKm(kLeipzig, kDresden);
  ASSERT_TRUE(km.has_value());
  EXPECT_NEAR(*km, 100.0, 5.0);
  v1::Location no_coordinates;
  EXPECT_FALSE(DistanceKm(kLeipzig, no_coordinates).has_value());
}

TEST(MatchScoringTest, LocalScopeDecaysFastWithDistance) {
  const double near = GeographyScore(kLeipzig, kDresden, v1::GEOGRAPHIC_SCOPE_LOCAL);
  const double far = GeographyScore(kLeipzig, kLisbon, v1::GEOGRAPHIC_SCOPE_LOCAL);
  EXPECT_GT(near, far);
  EXPECT_LT(far, 0.2);
  EXPECT_DOUBLE_EQ(GeographyScore(kLeipzig, kLeipzig, v1::GEOGRAPHIC_SCOPE_LOCAL), 1.0);
}

TEST(MatchScoringTest, NationalScopeFavoursSameCountry) {
  EXPECT_GE(GeographyScore(kLeipzig, kMunich, v1::GEOGRAPHIC_SCOPE_NATIONAL), 0.8);
  EXPECT_LE(GeographyScore(kLeipzig, kLisbon, v1::GEOGRAPHIC_SCOPE_NATIONAL), 0.3);
}

TEST(MatchScoringTest, InternationalScopeBarelyCares) {
  EXPECT_GE(GeographyScore(kLeipzig, kLisbon, v1::GEOGRAPHIC_SCOPE_INTERNATIONAL), 0.7);
}

TEST(MatchScoringTest, AdministrativeUnitsWithoutCoordinates) {
  v1::Location a, b;
  a.set_country("FR");
  a.set_region("Occitanie");
  b.set_country("FR");
  b.set_region("Occitanie");
  EXPECT_DOUBLE_EQ(GeographyScore(a, b, v1::GEOGRAPHIC_SCOPE_LOCAL), 0.85);
}

TEST(MatchScoringTest, SectorScoreLevels) {
  google::protobuf::RepeatedPtrField<std::string> ict, ict_other, manufacturing, health, mining, none;
  *ict.Add() = "62.01";
  *ict_other.Add() = "J63.1";
  *manufacturing.Add() = "C28.29";
  *health.Add() = "86";
  *mining.Add() = "08";
  EXPECT_DOUBLE_EQ(SectorScore(ict, ict), 1.0);
  EXPECT_DOUBLE_EQ(SectorScore(ict, ict_other), 0.7);   // same section J
  EXPECT_DOUBLE_EQ(SectorScore(ict, health), 0.5);      // ICT x health
  EXPECT_DOUBLE_EQ(SectorScore(health, mining), 0.25);  // unrelated
  EXPECT_DOUBLE_EQ(SectorScore(ict, none), 0.5);        // unknown is neutral
  EXPECT_DOUBLE_EQ(SectorScore(manufacturing, ict), 0.5);
}

TEST(MatchScoringTest, NaceDivisionParsesCodes) {
  EXPECT_EQ(NaceDivision("C26.1"), 26);
  EXPECT_EQ(NaceDivision("62.01"), 62);
  EXPECT_EQ(NaceDivision("08"), 8);
  EXPECT_FALSE(NaceDivision("C").has_value());
}

TEST(MatchScoringTest, KindFitPrefersTypicalProviders) {
  EXPECT_GT(KindFit(v1::COMPONENT_FUNDING, v1::PROFILE_KIND_INVESTOR),
            KindFit(v1::COMPONENT_FUNDING, v1::PROFILE_KIND_UNIVERSITY));
  EXPECT_GT(KindFit(v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE, v1::PROFILE_KIND_RESEARCH_INSTITUTE),
            KindFit(v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE, v1::PROFILE_KIND_INVESTOR));
  EXPECT_GT(KindFit(v1::COMPONENT_SUPPORT_SERVICES, v1::PROFILE_KIND_INCUBATOR_ACCELERATOR),
            KindFit(v1::COMPONENT_SUPPORT_SERVICES, v1::PROFILE_KIND_STARTUP));
  EXPECT_DOUBLE_EQ(KindFit(v1::COMPONENT_UNSPECIFIED, v1::PROFILE_KIND_SMB), 0.5);
}

TEST(ScoringWeightsTest, DefaultsAreValidAndEachGroupMustSumToOne) {
  ScoringWeights weights;
  EXPECT_THAT(weights.Validate(), IsOk());
  weights.semantic = 0.9;
  EXPECT_THAT(weights.Validate(),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("semantic and lexical")));
  weights = ScoringWeights();
  weights.network += 0.1;
  EXPECT_THAT(weights.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("network sum")));
  weights = ScoringWeights();
  weights.network = -0.1;
  weights.experience += 0.4;
  EXPECT_THAT(weights.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("network")));
  weights = ScoringWeights();
  weights.prior_share = 1.5;
  EXPECT_THAT(weights.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("prior_share")));
}

TEST(ScoringWeightsTest, ParseReplacesNamedWeightsOnly) {
  const absl::StatusOr<ScoringWeights> parsed = ParseScoringWeights(
      "semantic=0.8, lexical=0.2,prior_share=0.4,geography=0,sector=0,kind_fit=0,experience=0.6,network=0.4");
  ASSERT_THAT(parsed.status(), IsOk());
  EXPECT_DOUBLE_EQ(parsed->semantic, 0.8);
  EXPECT_DOUBLE_EQ(parsed->lexical, 0.2);
  EXPECT_DOUBLE_EQ(parsed->prior_share, 0.4);
  EXPECT_DOUBLE_EQ(parsed->network, 0.4);
  ScoringWeights base;
  const absl::StatusOr<ScoringWeights> swapped = ParseScoringWeights(
      absl::StrCat("semantic=", base.lexical, ",lexical=", base.semantic), base);
  ASSERT_THAT(swapped.status(), IsOk());
  EXPECT_DOUBLE_EQ(swapped->semantic, base.lexical);
  EXPECT_DOUBLE_EQ(swapped->geography, base.geography);
}

TEST(ScoringWeightsTest, ParseRejectsUnknownNamesBadNumbersAndBadSums) {
  EXPECT_THAT(ParseScoringWeights("semantics=1").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("unknown weight \"semantics\"")));
  EXPECT_THAT(ParseScoringWeights("semantic=high").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("not a number")));
  EXPECT_THAT(ParseScoringWeights("semantic=0.99").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("sum")));
}

TEST(MatchScoringTest, CalibratedSemanticIsZeroAtNoiseAndOneFromFull) {
  EXPECT_EQ(CalibratedSemantic(0.0), 0.0);
  EXPECT_EQ(CalibratedSemantic(kSemanticNoise), 0.0);
  EXPECT_DOUBLE_EQ(CalibratedSemantic(kSemanticFull), 1.0);
  EXPECT_DOUBLE_EQ(CalibratedSemantic(0.99), 1.0);
  EXPECT_GT(CalibratedSemantic(0.3), CalibratedSemantic(0.2));
}

// The rule of match_scoring.h: priors reorder relevant partners, never
// make up for missing relevance.
TEST(MatchScoringTest, PriorsCannotLiftAPartnerOfHalfTheRelevance) {
  const ScoringWeights weights;
  v1::ScoreBreakdown best_priors;
  best_priors.set_geography(1);
  best_priors.set_sector(1);
  best_priors.set_kind_fit(1);
  best_priors.set_experience(1);
  best_priors.set_network(1);
  const v1::ScoreBreakdown no_priors;
  EXPECT_DOUBLE_EQ(PriorScore(best_priors, weights), 1.0);
  EXPECT_EQ(PriorScore(no_priors, weights), 0.0);
  for (double relevance : {0.2, 0.4, 0.5}) {
    EXPECT_GT(GatedScore(relevance, PriorScore(no_priors, weights), weights),
              GatedScore(relevance / 2, PriorScore(best_priors, weights), weights))
        << relevance;
  }
  // No relevance, no score, however near, experienced or connected.
  EXPECT_EQ(GatedScore(0.0, 1.0, weights), 0.0);
  // Between partners of equal relevance the priors decide.
  EXPECT_GT(GatedScore(0.3, 0.9, weights), GatedScore(0.3, 0.1, weights));
}

TEST(MatchScoringTest, RelevanceIsTheWeightedTextFit) {
  ScoringWeights weights;
  weights.semantic = 0.25;
  weights.lexical = 0.75;
  EXPECT_DOUBLE_EQ(Relevance(0.4, 0.8, weights), 0.25 * 0.4 + 0.75 * 0.8);
  EXPECT_EQ(Relevance(0, 0, weights), 0.0);
  EXPECT_DOUBLE_EQ(Relevance(1, 1, weights), 1.0);
}

TEST(MatchScoringTest, ExperienceGrowsLogarithmicallyAndSaturates) {
  EXPECT_EQ(ExperienceScore(0), 0.0);
  EXPECT_EQ(ExperienceScore(-3), 0.0);
  EXPECT_GT(ExperienceScore(3), ExperienceScore(1));
  EXPECT_GT(ExperienceScore(10), ExperienceScore(3));
  EXPECT_DOUBLE_EQ(ExperienceScore(30), 1.0);
  EXPECT_DOUBLE_EQ(ExperienceScore(500), 1.0);
}

TEST(MatchScoringTest, NetworkRanksPastPartnersAboveSharedPartnersAboveLinkedSuggestions) {
  EXPECT_EQ(NetworkScore(false, 0, 0), 0.0);
  EXPECT_DOUBLE_EQ(NetworkScore(true, 0, 0), 1.0);
  EXPECT_GT(NetworkScore(false, 2, 0), NetworkScore(false, 1, 0));
  EXPECT_LT(NetworkScore(false, 100, 0), NetworkScore(true, 0, 0));
  EXPECT_GT(NetworkScore(false, 0, 2), NetworkScore(false, 0, 1));
  EXPECT_LT(NetworkScore(false, 0, 100), NetworkScore(false, 3, 0));
  EXPECT_DOUBLE_EQ(NetworkScore(false, 3, 3), NetworkScore(false, 3, 0));
}

}  // namespace
}  // namespace pollinator
