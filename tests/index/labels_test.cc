#include "index/labels.h"

#include <gtest/gtest.h>

namespace pollinator {
namespace {

TEST(LabelsTest, LabelsAreShortAndReadable) {
  EXPECT_EQ(ProfileKindLabel(v1::PROFILE_KIND_RESEARCH_INSTITUTE), "research institute");
  EXPECT_EQ(ProfileKindLabel(v1::PROFILE_KIND_SMB), "SMB");
  EXPECT_EQ(ProfileKindLabel(v1::PROFILE_KIND_INCUBATOR_ACCELERATOR), "incubator/accelerator");
  EXPECT_EQ(ComponentLabel(v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE), "technology & infrastructure");
  EXPECT_EQ(ComponentLabel(v1::COMPONENT_MARKET_ACCESS), "market access");
}

TEST(LabelsTest, UnspecifiedAndUnknownValues) {
  EXPECT_EQ(ProfileKindLabel(v1::PROFILE_KIND_UNSPECIFIED), "unspecified");
  EXPECT_EQ(ComponentLabel(v1::COMPONENT_UNSPECIFIED), "unspecified");
  EXPECT_EQ(ProfileKindLabel(static_cast<v1::ProfileKind>(99)), "99");
  EXPECT_EQ(ComponentLabel(static_cast<v1::Component>(42)), "42");
}

}  // namespace
}  // namespace pollinator
