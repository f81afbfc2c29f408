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
