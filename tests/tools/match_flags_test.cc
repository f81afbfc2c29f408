// Tests of tools/cli/match_flags.h: filter list parsing and request building.
#include "tools/cli/match_flags.h"

#include <cmath>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pollinator {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(MatchFlagsTest, SplitListTrimsAndDropsEmptyItems) {
  EXPECT_THAT(SplitList(" a, b,,c ,"), ElementsAre("a", "b", "c"));
  EXPECT_TRUE(SplitList("").empty());
}

TEST(MatchFlagsTest, ParsesKindList) {
  absl::StatusOr<std::vector<v1::ProfileKind>> kinds =
      ParseKindList("university,research_institute");
  ASSERT_TRUE(kinds.ok()) << kinds.status();
  EXPECT_THAT(*kinds, ElementsAre(v1::PROFILE_KIND_UNIVERSITY,
                                  v1::PROFILE_KIND_RESEARCH_INSTITUTE));
}

TEST(MatchFlagsTest, UnknownKindNamesTheFlagAndTheValue) {
  absl::StatusOr<std::vector<v1::ProfileKind>> kinds =
      ParseKindList("university,univ");
  EXPECT_EQ(kinds.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(kinds.status().message(),
              HasSubstr("--kinds: unknown kind \"univ\"; expected one of smb"));
}

TEST(MatchFlagsTest, ParsesComponentList) {
  absl::StatusOr<std::vector<v1::Component>> components =
      ParseComponentList("talent,technology_infrastructure");
  ASSERT_TRUE(components.ok()) << components.status();
  EXPECT_THAT(*components,
              ElementsAre(v1::COMPONENT_TALENT,
                          v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE));
  EXPECT_THAT(ParseComponentList("talent,cash").status().message(),
              HasSubstr("--components: unknown component \"cash\""));
}

TEST(MatchFlagsTest, UpperCasesCountriesAndRejectsOtherCodes) {
  EXPECT_THAT(*ParseCountryList("de, Fr"), ElementsAre("DE", "FR"));
  absl::StatusOr<std::vector<std::string>> bad = ParseCountryList("DEU");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("--countries: \"DEU\""));
}

TEST(MatchFlagsTest, ParsesVector) {
  EXPECT_THAT(*ParseVector("0.5, -1,2e-1"), ElementsAre(0.5f, -1.0f, 0.2f));
  EXPECT_THAT(ParseVector("0.5,x").status().message(),
              HasSubstr("--vector: \"x\" is not a finite number"));
  EXPECT_EQ(ParseVector("1,nan").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseVector(",").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MatchFlagsTest, ParsesDirection) {
  EXPECT_EQ(*ParseDirection("needs"), v1::DIRECTION_NEEDS_TO_OFFERS);
  EXPECT_EQ(*ParseDirection("Offers"), v1::DIRECTION_OFFERS_TO_NEEDS);
  EXPECT_THAT(ParseDirection("both").status().message(),
              HasSubstr("--direction: expected needs or offers"));
}

TEST(MatchFlagsTest, BuildsFullRequest) {
  MatchFlags flags;
  flags.profile = "smb-1";
  flags.item = "n2";
  flags.direction = "offers";
  flags.top_k = 5;
  flags.kinds = "university,research_institute";
  flags.countries = "de,fr";
  flags.components = "talent";
  flags.sectors = "62, C26";
  flags.max_km = 50;
  flags.exclude = "smb-2,smb-3";
  absl::StatusOr<v1::FindPartnersRequest> request =
      BuildFindPartnersRequest(flags, "acme");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->tenant(), "acme");
  EXPECT_EQ(request->profile_id(), "smb-1");
  EXPECT_EQ(request->item_id(), "n2");
  EXPECT_EQ(request->direction(), v1::DIRECTION_OFFERS_TO_NEEDS);
  EXPECT_EQ(request->top_k(), 5);
  const v1::MatchFilters& filters = request->filters();
  EXPECT_THAT(filters.kinds(),
              ElementsAre(v1::PROFILE_KIND_UNIVERSITY,
                          v1::PROFILE_KIND_RESEARCH_INSTITUTE));
  EXPECT_THAT(filters.countries(), ElementsAre("DE", "FR"));
  EXPECT_THAT(filters.components(), ElementsAre(v1::COMPONENT_TALENT));
  EXPECT_THAT(filters.sectors(), ElementsAre("62", "C26"));
  EXPECT_THAT(filters.exclude_profile_ids(), ElementsAre("smb-2", "smb-3"));
  ASSERT_TRUE(filters.has_max_distance_km());
  EXPECT_EQ(filters.max_distance_km(), 50);
}

TEST(MatchFlagsTest, DefaultsToNeedsAndTopTen) {
  MatchFlags flags;
  flags.text = "battery pilot line";
  absl::StatusOr<v1::FindPartnersRequest> request =
      BuildFindPartnersRequest(flags, "acme");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->text(), "battery pilot line");
  EXPECT_EQ(request->direction(), v1::DIRECTION_NEEDS_TO_OFFERS);
  EXPECT_EQ(request->top_k(), 10);
  EXPECT_FALSE(request->filters().has_max_distance_km());
}

TEST(MatchFlagsTest, BuildsVectorQuery) {
  MatchFlags flags;
  flags.vector = "0.25,0.5";
  absl::StatusOr<v1::FindPartnersRequest> request =
      BuildFindPartnersRequest(flags, "acme");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_THAT(request->vector().values(), ElementsAre(0.25f, 0.5f));
}

TEST(MatchFlagsTest, NeedsExactlyOneQuery) {
  MatchFlags none;
  EXPECT_THAT(BuildFindPartnersRequest(none, "acme").status().message(),
              HasSubstr("exactly one of --profile, --text and --vector"));
  MatchFlags two;
  two.profile = "smb-1";
  two.text = "x";
  EXPECT_EQ(BuildFindPartnersRequest(two, "acme").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MatchFlagsTest, ItemAndMaxKmNeedProfile) {
  MatchFlags item;
  item.text = "x";
  item.item = "n1";
  EXPECT_THAT(BuildFindPartnersRequest(item, "acme").status().message(),
              HasSubstr("--item: only works with --profile"));
  MatchFlags distance;
  distance.text = "x";
  distance.max_km = 10;
  EXPECT_THAT(BuildFindPartnersRequest(distance, "acme").status().message(),
              HasSubstr("--max_km: only works with --profile"));
}

TEST(MatchFlagsTest, RejectsOutOfRangeNumbers) {
  MatchFlags flags;
  flags.profile = "smb-1";
  flags.top_k = 101;
  EXPECT_THAT(BuildFindPartnersRequest(flags, "acme").status().message(),
              HasSubstr("--top_k: must be 1 to 100, got 101"));
  flags.top_k = 10;
  flags.max_km = -1;
  EXPECT_THAT(BuildFindPartnersRequest(flags, "acme").status().message(),
              HasSubstr("--max_km"));
}

TEST(MatchFlagsTest, SetsRankingOptions) {
  MatchFlags flags;
  flags.profile = "smb-1";
  flags.reciprocity = "Arithmetic";
  flags.diversity = 0.3;
  flags.max_per_kind = 2;
  absl::StatusOr<v1::FindPartnersRequest> request =
      BuildFindPartnersRequest(flags, "acme");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->reciprocity(), v1::RECIPROCITY_ARITHMETIC);
  EXPECT_DOUBLE_EQ(request->diversity(), 0.3);
  EXPECT_EQ(request->max_per_kind(), 2);
  flags.reciprocity = "off";
  request = BuildFindPartnersRequest(flags, "acme");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->reciprocity(), v1::RECIPROCITY_OFF);
  flags.reciprocity = "harmonic";
  request = BuildFindPartnersRequest(flags, "acme");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->reciprocity(), v1::RECIPROCITY_HARMONIC);
}

TEST(MatchFlagsTest, RankingDefaultsLeaveItToTheServer) {
  MatchFlags flags;
  flags.profile = "smb-1";
  absl::StatusOr<v1::FindPartnersRequest> request =
      BuildFindPartnersRequest(flags, "acme");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->reciprocity(), v1::RECIPROCITY_UNSPECIFIED);
  EXPECT_EQ(request->diversity(), 0);
  EXPECT_EQ(request->max_per_kind(), 0);
  EXPECT_FALSE(request->has_min_relevance());
}

TEST(MatchFlagsTest, MinRelevanceIsSentOnlyWhenGivenAndMustBeAtMostOne) {
  MatchFlags flags;
  flags.text = "x";
  for (double good : {0.0, 0.35, 1.0}) {
    flags.min_relevance = good;
    absl::StatusOr<v1::FindPartnersRequest> request =
        BuildFindPartnersRequest(flags, "acme");
    ASSERT_TRUE(request.ok()) << request.status();
    ASSERT_TRUE(request->has_min_relevance());
    EXPECT_EQ(request->min_relevance(), good);
  }
  for (double bad : {1.5, std::nan("")}) {
    flags.min_relevance = bad;
    const absl::Status status =
        BuildFindPartnersRequest(flags, "acme").status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(status.message(),
                HasSubstr("--min_relevance: must be 0 to 1, got"))
        << bad;
  }
}

TEST(MatchFlagsTest, RejectsUnknownReciprocity) {
  MatchFlags flags;
  flags.profile = "smb-1";
  flags.reciprocity = "geometric";
  const absl::Status status = BuildFindPartnersRequest(flags, "acme").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "--reciprocity: unknown reciprocity \"geometric\"; expected one "
            "of harmonic, arithmetic, off");
}

TEST(MatchFlagsTest, ReciprocityNeedsProfile) {
  MatchFlags flags;
  flags.text = "battery pilot line";
  flags.reciprocity = "harmonic";
  const absl::Status status = BuildFindPartnersRequest(flags, "acme").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "--reciprocity: only works with --profile");
}

TEST(MatchFlagsTest, DiversityMustBeZeroToOne) {
  MatchFlags flags;
  flags.text = "x";
  for (double bad : {-0.1, 1.5, std::nan("")}) {
    flags.diversity = bad;
    const absl::Status status =
        BuildFindPartnersRequest(flags, "acme").status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(status.message(), HasSubstr("--diversity: must be 0 to 1, got"))
        << bad;
  }
  for (double good : {0.0, 1.0}) {
    flags.diversity = good;
    absl::StatusOr<v1::FindPartnersRequest> request =
        BuildFindPartnersRequest(flags, "acme");
    ASSERT_TRUE(request.ok()) << request.status();
    EXPECT_EQ(request->diversity(), good);
  }
}

TEST(MatchFlagsTest, MaxPerKindMustBeZeroToOneHundred) {
  MatchFlags flags;
  flags.text = "x";
  flags.max_per_kind = 101;
  EXPECT_EQ(BuildFindPartnersRequest(flags, "acme").status().message(),
            "--max_per_kind: must be 0 to 100, got 101");
  flags.max_per_kind = -1;
  EXPECT_EQ(BuildFindPartnersRequest(flags, "acme").status().code(),
            absl::StatusCode::kInvalidArgument);
  flags.max_per_kind = 100;
  absl::StatusOr<v1::FindPartnersRequest> request =
      BuildFindPartnersRequest(flags, "acme");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->max_per_kind(), 100);
}

}  // namespace
}  // namespace pollinator
