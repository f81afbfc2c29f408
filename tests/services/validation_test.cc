#include "services/validation.h"

#include <cmath>
#include <limits>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "index/vector_math.h"
#include "tests/testing/profiles.h"
#include "tests/testing/status_matchers.h"

namespace pollinator {
namespace {

using ::pollinator::testing::IsOk;
using ::pollinator::testing::MakeProfile;
using ::pollinator::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;

v1::Profile Valid() { return MakeProfile("smb-1", v1::PROFILE_KIND_SMB, {"a need"}, {"an offer"}); }

TEST(ValidationTest, AcceptsValidProfile) { EXPECT_THAT(ValidateProfile(Valid()), IsOk()); }

TEST(ValidationTest, IdRules) {
  EXPECT_THAT(ValidateId("id", ""), StatusIs(kInvalid, HasSubstr("id: empty")));
  EXPECT_THAT(ValidateId("id", std::string(129, 'x')), StatusIs(kInvalid, HasSubstr("longer than 128")));
  EXPECT_THAT(ValidateId("id", "a\nb"), StatusIs(kInvalid, HasSubstr("control characters")));
  EXPECT_THAT(ValidateId("id", std::string(128, 'x')), IsOk());
  EXPECT_THAT(ValidateTenant(""), StatusIs(kInvalid, HasSubstr("tenant: empty")));
}

TEST(ValidationTest, TextRulesNameTheField) {
  v1::Profile profile = Valid();
  profile.mutable_needs(0)->set_text("   ");
  EXPECT_THAT(ValidateProfile(profile), StatusIs(kInvalid, HasSubstr("needs[0].text: empty")));
  profile = Valid();
  profile.mutable_offers(0)->set_text(std::string(16 * 1024 + 1, 'x'));
  EXPECT_THAT(ValidateProfile(profile), StatusIs(kInvalid, HasSubstr("offers[0].text")));
  profile.mutable_offers(0)->set_text(std::string(16 * 1024, 'x'));
  EXPECT_THAT(ValidateProfile(profile), IsOk());
}

TEST(ValidationTest, RejectsUnknownEnumValues) {
  v1::Profile profile = Valid();
  profile.set_kind(static_cast<v1::ProfileKind>(42));
  EXPECT_THAT(ValidateProfile(profile), StatusIs(kInvalid, HasSubstr("kind")));
  profile = Valid();
  profile.mutable_needs(0)->set_component(static_cast<v1::Component>(99));
  EXPECT_THAT(ValidateProfile(profile), StatusIs(kInvalid, HasSubstr("needs[0].component")));
  profile = Valid();
  profile.mutable_offers(0)->add_modes(static_cast<v1::CollaborationMode>(77));
  EXPECT_THAT(ValidateProfile(profile), StatusIs(kInvalid, HasSubstr("offers[0].modes[0]")));
  profile = Valid();
  profile.mutable_needs(0)->set_scope(static_cast<v1::GeographicScope>(9));
  EXPECT_THAT(ValidateProfile(profile), StatusIs(kInvalid, HasSubstr("needs[0].scope")));
  profile = Valid();
  profile.set_kind(v1::PROFILE_KIND_UNSPECIFIED);
  EXPECT_THAT(ValidateProfile(profile), StatusIs(kInvalid, HasSubstr("kind: unspecified")));
}

TEST(ValidationTest, RejectsNonFiniteAndZeroVectors) {
  v1::Profile profile = Valid();
  profile.mutable_needs(0)->add_vector(0.5f);
  profile.mutable_needs(0)->add_vector(std::numeric_limits<float>::quiet_NaN());
  EXPECT_THAT(ValidateProfile(profile), StatusIs(kInvalid, HasSubstr("needs[0].vector[1]")));
  profile.mutable_needs(0)->set_vector(1, std::numeric_limits<float>::infinity());
  EXPECT_THAT(ValidateProfile(profile), StatusIs(kInvalid, HasSubstr("not a finite number")));
  EXPECT_THAT(ValidateVector("v", std::vector<float>{0.0f, 0.0f}), StatusIs(kInvalid, HasSubstr("all zeros")));
}

// [1e-40, 0, ...] is not zero, but its unit-length scale factor overflows a
// float: stored, it became NaN and the profile never matched.
TEST(ValidationTest, RejectsVectorsTooShortToNormalise) {
  EXPECT_THAT(ValidateVector("needs[0].vector", std::vector<float>{1e-40f, 0.0f, 0.0f}),
              StatusIs(kInvalid, AllOf(HasSubstr("needs[0].vector: length "),
                                       HasSubstr(" is too small to give a direction"))));
  EXPECT_THAT(ValidateVector("v", std::vector<float>{std::numeric_limits<float>::denorm_min(), 0.0f}),
              StatusIs(kInvalid, HasSubstr("too small")));
  // Tiny but normal lengths still have a direction, and keep it when
  // normalised.
  std::vector<float> tiny = {3e-30f, 4e-30f};
  EXPECT_THAT(ValidateVector("v", tiny), IsOk());
  NormalizeInPlace(tiny);
  EXPECT_FLOAT_EQ(tiny[0], 0.6f);
  EXPECT_FLOAT_EQ(tiny[1], 0.8f);
}

// 100,000 sectors, or 100 needs with 10,000 modes each, used to be stored,
// and then broke every page and answer that carried the profile.
TEST(ValidationTest, BoundsEveryRepeatedField) {
  v1::Profile profile = Valid();
  for (int i = 0; i <= kMaxSectors; ++i) profile.add_sectors("62.01");
  EXPECT_THAT(ValidateProfile(profile), StatusIs(kInvalid, HasSubstr("sectors: 21 items, at most 20")));
  profile.mutable_sectors()->RemoveLast();
  EXPECT_THAT(ValidateProfile(profile), IsOk());
  for (int i = 0; i <= kMaxLanguages; ++i) profile.add_languages("de");
  EXPECT_THAT(ValidateProfile(profile), StatusIs(kInvalid, HasSubstr("languages: 21 items, at most 20")));
  profile.clear_languages();
  for (int i = 0; i <= kMaxModesPerItem; ++i) profile.mutable_needs(0)->add_modes(v1::COLLABORATION_MODE_JOINT_RD);
  EXPECT_THAT(ValidateProfile(profile), StatusIs(kInvalid, HasSubstr("needs[0].modes: 9 items, at most 8")));

  v1::MatchFilters filters;
  for (int i = 0; i <= kMaxFilterValues; ++i) filters.add_countries("DE");
  EXPECT_THAT(ValidateFilters(filters), StatusIs(kInvalid, HasSubstr("filters.countries: 101 items, at most 100")));
  filters.clear_countries();
  for (int i = 0; i <= kMaxExcludedProfiles; ++i) filters.add_exclude_profile_ids("x");
  EXPECT_THAT(ValidateFilters(filters), StatusIs(kInvalid, HasSubstr("filters.exclude_profile_ids: 1001 items")));
}

TEST(ValidationTest, RejectsVectorsOverTheDimensionLimit) {
  EXPECT_THAT(ValidateVector("needs[0].vector", std::vector<float>(kMaxVectorDimension + 1, 0.5f)),
              StatusIs(kInvalid, HasSubstr("needs[0].vector: dimension 4097 is over the limit of 4096")));
  EXPECT_THAT(ValidateVector("v", std::vector<float>(kMaxVectorDimension, 0.5f)), IsOk());
}

TEST(ValidationTest, RejectsDuplicateItemIds) {
  v1::Profile profile = MakeProfile("x", v1::PROFILE_KIND_SMB, {"one", "two"}, {});
  profile.mutable_needs(1)->set_id("n1");
  EXPECT_THAT(ValidateProfile(profile), StatusIs(kInvalid, HasSubstr("needs[1].id")));
}

TEST(ValidationTest, LocationRules) {
  v1::Profile profile = Valid();
  profile.mutable_location()->set_country("Germany");
  EXPECT_THAT(ValidateProfile(profile), StatusIs(kInvalid, HasSubstr("location.country")));
  profile = Valid();
  profile.mutable_location()->set_lat(51.0);
  EXPECT_THAT(ValidateProfile(profile), StatusIs(kInvalid, HasSubstr("both lat and lon")));
  profile.mutable_location()->set_lon(200.0);
  EXPECT_THAT(ValidateProfile(profile), StatusIs(kInvalid, HasSubstr("location.lon")));
}

TEST(ValidationTest, ExpiryDateMustBeReal) {
  v1::Profile profile = Valid();
  v1::Date* date = profile.mutable_needs(0)->mutable_expires();
  date->set_year(2027);
  date->set_month(2);
  date->set_day(30);
  EXPECT_THAT(ValidateProfile(profile), StatusIs(kInvalid, HasSubstr("needs[0].expires")));
  date->set_day(28);
  EXPECT_THAT(ValidateProfile(profile), IsOk());
}

TEST(ValidationTest, TopKRange) {
  EXPECT_EQ(*ResolveTopK(0), 10);
  EXPECT_EQ(*ResolveTopK(1), 1);
  EXPECT_EQ(*ResolveTopK(100), 100);
  EXPECT_THAT(ResolveTopK(101), StatusIs(kInvalid, HasSubstr("top_k")));
  EXPECT_THAT(ResolveTopK(-1), StatusIs(kInvalid, HasSubstr("top_k")));
}

TEST(ValidationTest, FilterRules) {
  v1::MatchFilters filters;
  filters.add_kinds(static_cast<v1::ProfileKind>(50));
  EXPECT_THAT(ValidateFilters(filters), StatusIs(kInvalid, HasSubstr("filters.kinds[0]")));
  filters.Clear();
  filters.add_countries("de");
  EXPECT_THAT(ValidateFilters(filters), StatusIs(kInvalid, HasSubstr("filters.countries[0]")));
  filters.Clear();
  filters.set_max_distance_km(-5);
  EXPECT_THAT(ValidateFilters(filters), StatusIs(kInvalid, HasSubstr("filters.max_distance_km")));
}

TEST(ValidationTest, IsExpiredComparesDays) {
  v1::Date today;
  today.set_year(2026);
  today.set_month(11);
  today.set_day(26);
  v1::Date unset;
  EXPECT_FALSE(IsExpired(unset, today));
  v1::Date yesterday = today;
  yesterday.set_day(25);
  EXPECT_TRUE(IsExpired(yesterday, today));
  EXPECT_FALSE(IsExpired(today, today));
}

}  // namespace
}  // namespace pollinator
