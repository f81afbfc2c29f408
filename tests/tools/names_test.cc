// Tests of tools/cli/names.h: enum flag names, table labels, status names.
#include "tools/cli/names.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pollinator {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(NamesTest, ParsesShortKindNames) {
  EXPECT_EQ(*ParseProfileKind("smb"), v1::PROFILE_KIND_SMB);
  EXPECT_EQ(*ParseProfileKind("research_institute"),
            v1::PROFILE_KIND_RESEARCH_INSTITUTE);
  EXPECT_EQ(*ParseProfileKind("incubator_accelerator"),
            v1::PROFILE_KIND_INCUBATOR_ACCELERATOR);
}

TEST(NamesTest, ParsesKindNamesCaseInsensitivelyAndWithPrefix) {
  EXPECT_EQ(*ParseProfileKind(" University "), v1::PROFILE_KIND_UNIVERSITY);
  EXPECT_EQ(*ParseProfileKind("PROFILE_KIND_INVESTOR"),
            v1::PROFILE_KIND_INVESTOR);
}

TEST(NamesTest, RejectsUnknownKindListingTheValidOnes) {
  absl::StatusOr<v1::ProfileKind> kind = ParseProfileKind("univ");
  ASSERT_EQ(kind.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(kind.status().message(), HasSubstr("unknown kind \"univ\""));
  EXPECT_THAT(kind.status().message(),
              HasSubstr("smb, startup, large_enterprise, university"));
}

TEST(NamesTest, RejectsUnspecified) {
  EXPECT_EQ(ParseProfileKind("unspecified").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseComponent("COMPONENT_UNSPECIFIED").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(NamesTest, ParsesComponentNames) {
  EXPECT_EQ(*ParseComponent("technology_infrastructure"),
            v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE);
  EXPECT_EQ(*ParseComponent("Regulatory_IP"), v1::COMPONENT_REGULATORY_IP);
  absl::StatusOr<v1::Component> unknown = ParseComponent("money");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(), HasSubstr("unknown component"));
}

TEST(NamesTest, ListsNamesInProtoOrderWithoutUnspecified) {
  EXPECT_THAT(ComponentNames(),
              ElementsAre("talent", "funding", "technology_infrastructure",
                          "collaboration_networking", "support_services",
                          "regulatory_ip", "market_access", "expertise"));
  EXPECT_EQ(ProfileKindNames().size(), 10u);
}

TEST(NamesTest, ParsesReciprocityNames) {
  EXPECT_EQ(*ParseReciprocity("harmonic"), v1::RECIPROCITY_HARMONIC);
  EXPECT_EQ(*ParseReciprocity(" Arithmetic"), v1::RECIPROCITY_ARITHMETIC);
  EXPECT_EQ(*ParseReciprocity("RECIPROCITY_OFF"), v1::RECIPROCITY_OFF);
  absl::StatusOr<v1::Reciprocity> unknown = ParseReciprocity("mean");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().message(),
            "unknown reciprocity \"mean\"; expected one of harmonic, "
            "arithmetic, off");
  EXPECT_EQ(ParseReciprocity("unspecified").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(NamesTest, ParsesInteractionTypeNames) {
  EXPECT_EQ(*ParseInteractionType("shown"), v1::INTERACTION_TYPE_SHOWN);
  EXPECT_EQ(*ParseInteractionType("Declined"), v1::INTERACTION_TYPE_DECLINED);
  EXPECT_EQ(*ParseInteractionType("INTERACTION_TYPE_COLLABORATED"),
            v1::INTERACTION_TYPE_COLLABORATED);
  absl::StatusOr<v1::InteractionType> unknown = ParseInteractionType("liked");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(),
              HasSubstr("unknown interaction type \"liked\"; expected one of "
                        "shown, contacted, accepted, declined, collaborated"));
}

TEST(NamesTest, ParsesDeclineReasonsWithHyphensOrUnderscores) {
  EXPECT_EQ(*ParseDeclineReason("too-far"), v1::DECLINE_REASON_TOO_FAR);
  EXPECT_EQ(*ParseDeclineReason("not_relevant"),
            v1::DECLINE_REASON_NOT_RELEVANT);
  EXPECT_EQ(*ParseDeclineReason("DECLINE_REASON_ALREADY_KNOWN"),
            v1::DECLINE_REASON_ALREADY_KNOWN);
  EXPECT_EQ(*ParseDeclineReason("other"), v1::DECLINE_REASON_OTHER);
  absl::StatusOr<v1::DeclineReason> unknown = ParseDeclineReason("too-near");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(),
              HasSubstr("unknown decline reason \"too-near\"; expected one of "
                        "not-relevant, too-far, no-capacity, already-known, "
                        "other"));
}

TEST(NamesTest, ListsTheNewEnumsInProtoOrder) {
  EXPECT_THAT(ReciprocityNames(), ElementsAre("harmonic", "arithmetic", "off"));
  EXPECT_THAT(InteractionTypeNames(),
              ElementsAre("shown", "contacted", "accepted", "declined",
                          "collaborated"));
  EXPECT_THAT(DeclineReasonNames(),
              ElementsAre("not-relevant", "too-far", "no-capacity",
                          "already-known", "other"));
}

TEST(NamesTest, NamesInteractionTypesAndReasons) {
  EXPECT_EQ(InteractionTypeName(v1::INTERACTION_TYPE_CONTACTED), "contacted");
  EXPECT_EQ(InteractionTypeName(v1::INTERACTION_TYPE_UNSPECIFIED),
            "unspecified");
  EXPECT_EQ(InteractionTypeName(static_cast<v1::InteractionType>(42)), "42");
  EXPECT_EQ(DeclineReasonName(v1::DECLINE_REASON_NO_CAPACITY), "no-capacity");
  EXPECT_EQ(DeclineReasonName(v1::DECLINE_REASON_UNSPECIFIED), "unspecified");
  EXPECT_EQ(DeclineReasonName(static_cast<v1::DeclineReason>(9)), "9");
}

TEST(NamesTest, NamesStatusCodes) {
  EXPECT_EQ(StatusCodeName(3), "INVALID_ARGUMENT");
  EXPECT_EQ(StatusCodeName(14), "UNAVAILABLE");
  EXPECT_EQ(StatusCodeName(0), "OK");
  EXPECT_EQ(StatusCodeName(42), "CODE_42");
}

TEST(NamesTest, FormatsStatus) {
  EXPECT_EQ(FormatStatus(absl::NotFoundError("no profile smb-x")),
            "NOT_FOUND: no profile smb-x");
  EXPECT_EQ(FormatStatus(absl::Status(absl::StatusCode::kUnimplemented, "")),
            "UNIMPLEMENTED");
}

}  // namespace
}  // namespace pollinator
