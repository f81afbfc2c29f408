// The server's log: JSON lines that parse, request ids taken from the
// client or made up and sent back, one request line per call, and no need
// or offer text in it unless debug logging is on. Calls go to a real
// in-process PollinatorServer (see GrpcServerTest); stderr is captured.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "absl/strings/str_split.h"
#include "services/observability/log.h"
#include "services/observability/request_log.h"
#include "tests/testing/grpc_matchers.h"
#include "tests/testing/grpc_server_fixture.h"
#include "tests/testing/profiles.h"

namespace pollinator {
namespace {

using ::pollinator::testing::GrpcOk;
using ::pollinator::testing::GrpcServerTest;
using ::pollinator::testing::MakeProfile;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSecretText[] = "confidential cathode recipe for our 2027 launch";

// Every captured line as a parsed JSON object (a line that does not parse
// fails the test).
std::vector<google::protobuf::Struct> JsonLines(const std::string& captured) {
  std::vector<google::protobuf::Struct> lines;
  for (absl::string_view line : absl::StrSplit(captured, '\n', absl::SkipEmpty())) {
    google::protobuf::Struct parsed;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), &parsed).ok()) << line;
    lines.push_back(parsed);
  }
  return lines;
}

std::string Field(const google::protobuf::Struct& line, const std::string& key) {
  auto it = line.fields().find(key);
  return it == line.fields().end() ? "" : it->second.string_value();
}

class RequestLogTest : public GrpcServerTest {
 protected:
  void TearDown() override {
    GrpcServerTest::TearDown();
    ConfigureLog(LogOptions());
  }

  // GetProfile with `request_id` (none when empty); returns the id the
  // server sent back.
  std::string GetWithId(const std::string& id, const std::string& request_id, grpc::StatusCode expected) {
    grpc::ClientContext context;
    SetDeadline(context);
    if (!request_id.empty()) context.AddMetadata(kRequestIdHeader, request_id);
    v1::GetProfileRequest request;
    request.set_tenant("t");
    request.set_id(id);
    v1::Profile profile;
    EXPECT_EQ(profiles_->GetProfile(&context, request, &profile).error_code(), expected);
    auto it = context.GetServerInitialMetadata().find(kRequestIdHeader);
    return it == context.GetServerInitialMetadata().end() ? "" : std::string(it->second.data(), it->second.size());
  }
};

TEST(LogTest, JsonQuotingEscapesWhatJsonMust) {
  EXPECT_EQ(JsonQuoted("a\"b\\c\nd\te\x01"), R"("a\"b\\c\nd\te\u0001")");
  EXPECT_EQ(JsonQuoted("ünïcode"), "\"ünïcode\"");
}

TEST(LogTest, RequestIdsAreShortSafeTokens) {
  EXPECT_TRUE(IsValidRequestId("portal-7f3a.2_b"));
  EXPECT_FALSE(IsValidRequestId(""));
  EXPECT_FALSE(IsValidRequestId(std::string(65, 'a')));
  EXPECT_FALSE(IsValidRequestId("a b"));
  EXPECT_FALSE(IsValidRequestId("a\"}"));
  EXPECT_EQ(NewRequestId().size(), 16u);
  EXPECT_NE(NewRequestId(), NewRequestId());
}

TEST_F(RequestLogTest, EveryCallGetsARequestIdBackAndOneJsonLine) {
  ConfigureLog({LogFormat::kJson, /*requests=*/true, /*debug=*/false});
  ::testing::internal::CaptureStderr();
  const std::string kept = GetWithId("nobody", "portal-42", grpc::StatusCode::NOT_FOUND);
  const std::string made = GetWithId("nobody", "not a valid id!", grpc::StatusCode::NOT_FOUND);
  const std::vector<google::protobuf::Struct> lines = JsonLines(::testing::internal::GetCapturedStderr());
  EXPECT_EQ(kept, "portal-42");
  EXPECT_TRUE(IsValidRequestId(made)) << made;
  EXPECT_NE(made, "not a valid id!");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(Field(lines[0], "event"), "rpc");
  EXPECT_EQ(Field(lines[0], "request_id"), "portal-42");
  EXPECT_EQ(Field(lines[0], "method"), "/pollinator.v1.ProfileService/GetProfile");
  EXPECT_EQ(Field(lines[0], "code"), "NOT_FOUND");
  EXPECT_EQ(Field(lines[0], "level"), "warning");
  EXPECT_FALSE(Field(lines[0], "time").empty());
  EXPECT_FALSE(Field(lines[0], "ms").empty());
  EXPECT_EQ(Field(lines[1], "request_id"), made);
  // Without debug, no error message: it may quote the request.
  EXPECT_EQ(lines[0].fields().count("error"), 0u);
}

TEST_F(RequestLogTest, TextsStayOutOfTheLogUnlessDebugIsOn) {
  ConfigureLog({LogFormat::kJson, /*requests=*/true, /*debug=*/false});
  ::testing::internal::CaptureStderr();
  ASSERT_THAT(Upsert("t", MakeProfile("smb", v1::PROFILE_KIND_SMB, {kSecretText}, {})), GrpcOk());
  v1::Profile bad = MakeProfile("", v1::PROFILE_KIND_SMB, {kSecretText}, {});
  EXPECT_FALSE(Upsert("t", bad).ok());
  const std::string quiet = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(JsonLines(quiet).size(), 2u);
  EXPECT_THAT(quiet, Not(HasSubstr("cathode")));

  ConfigureLog({LogFormat::kJson, /*requests=*/true, /*debug=*/true});
  ::testing::internal::CaptureStderr();
  EXPECT_FALSE(Upsert("t", bad).ok());
  const std::vector<google::protobuf::Struct> lines = JsonLines(::testing::internal::GetCapturedStderr());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(Field(lines[0], "code"), "INVALID_ARGUMENT");
  EXPECT_THAT(Field(lines[0], "error"), HasSubstr("id"));
}

TEST_F(RequestLogTest, TextFormatKeepsThePrefixAndRequestsAreOffByDefault) {
  ::testing::internal::CaptureStderr();
  GetWithId("nobody", "", grpc::StatusCode::NOT_FOUND);
  LogWarning("disk nearly full");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "pollinatord: WARNING: disk nearly full\n");
}

}  // namespace
}  // namespace pollinator
