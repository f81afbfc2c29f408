// Tests of tools/cli/json_text.h.
#include "tools/cli/json_text.h"

#include "data/profile_jsonl.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pollinator/v1/profile.pb.h"

namespace pollinator {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST(JsonTextTest, RoundTripsAProfileOnOneLine) {
  v1::Profile profile;
  profile.set_id("smb-1");
  profile.set_kind(v1::PROFILE_KIND_SMB);
  profile.add_needs()->set_text("line one\nline two");
  profile.mutable_location()->set_lat(48.5);
  absl::StatusOr<std::string> json = MessageToJson(profile);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_THAT(*json, Not(HasSubstr("\n")));
  EXPECT_THAT(*json, HasSubstr("\"kind\":\"PROFILE_KIND_SMB\""));
  absl::StatusOr<v1::Profile> parsed = ParseProfileJson(*json);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->SerializeAsString(), profile.SerializeAsString());
}

TEST(JsonTextTest, QuotesStrings) {
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote("a\"b\\c\nd\te"), R"("a\"b\\c\nd\te")");
  EXPECT_EQ(JsonQuote(std::string("\x01", 1)), R"("\u0001")");
  EXPECT_EQ(JsonQuote("Müller"), "\"Müller\"");
}

}  // namespace
}  // namespace pollinator
