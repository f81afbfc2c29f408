#include "data/profile_jsonl.h"

#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"

namespace pollinator {
namespace {

using ::pollinator::testing::IsOk;
using ::pollinator::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ProfileJsonlReaderTest, ReadsProfilesAndReportsBadLinesByNumber) {
  std::istringstream input(
      R"({"id":"a","kind":"PROFILE_KIND_SMB","name":"A","needs":[{"id":"n1","text":"LiDAR"}]})"
      "\n\n"
      R"({"id":"b","kind":"PROFILE_KIND_NOT_A_KIND"})"
      "\n"
      R"({"id":"c","neds":[]})"
      "\n"
      "not json\n");
  ProfileJsonlReader reader(input);
  auto first = reader.Next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->number, 1);
  ASSERT_THAT(first->profile, IsOk());
  EXPECT_EQ(first->profile->needs(0).text(), "LiDAR");
  auto bad_enum = reader.Next();
  ASSERT_TRUE(bad_enum.has_value());
  EXPECT_EQ(bad_enum->number, 3);  // The blank line 2 is skipped.
  EXPECT_THAT(bad_enum->profile, StatusIs(absl::StatusCode::kInvalidArgument));
  auto unknown_field = reader.Next();
  ASSERT_TRUE(unknown_field.has_value());
  EXPECT_EQ(unknown_field->number, 4);
  EXPECT_THAT(unknown_field->profile, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("neds")));
  auto not_json = reader.Next();
  ASSERT_TRUE(not_json.has_value());
  EXPECT_EQ(not_json->number, 5);
  EXPECT_THAT(not_json->profile, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_FALSE(reader.Next().has_value());
  EXPECT_EQ(reader.lines_read(), 5);
}

}  // namespace
}  // namespace pollinator
