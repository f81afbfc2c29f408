// Tests of tools/cli/commands.h against a fake client.
#include "tools/cli/commands.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tools/fake_pollinator_client.h"

namespace pollinator {
namespace {

using ::grpc::health::v1::HealthCheckResponse;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class CommandsTest : public ::testing::Test {
 protected:
  Invocation MakeInvocation(Command command, const std::string& argument = "") {
    Invocation invocation;
    invocation.command = command;
    invocation.tenant = "acme";
    invocation.argument = argument;
    invocation.list_request.set_tenant("acme");
    invocation.list_request.set_page_size(2);
    return invocation;
  }

  absl::Status Run(const Invocation& invocation) {
    return RunInvocation(invocation, client_, io_);
  }

  static v1::Profile Profile(const std::string& id) {
    v1::Profile profile;
    profile.set_id(id);
    profile.set_kind(v1::PROFILE_KIND_STARTUP);
    return profile;
  }

  static v1::ListProfilesResponse Page(const std::string& first_id,
                                       const std::string& next_token) {
    v1::ListProfilesResponse page;
    *page.add_profiles() = Profile(first_id);
    page.set_next_page_token(next_token);
    return page;
  }

  FakePollinatorClient client_;
  std::istringstream in_;
  std::ostringstream out_;
  std::ostringstream err_;
  CommandIo io_{in_, out_, err_, [] { return absl::UnixEpoch(); }};
};

TEST_F(CommandsTest, GetPrintsDetails) {
  client_.get_results.push_back(Profile("s-1"));
  ASSERT_TRUE(Run(MakeInvocation(Command::kGet, "s-1")).ok());
  ASSERT_EQ(client_.get_requests.size(), 1u);
  EXPECT_EQ(client_.get_requests[0].tenant(), "acme");
  EXPECT_EQ(client_.get_requests[0].id(), "s-1");
  EXPECT_THAT(out_.str(),
              StartsWith("id:          s-1\nkind:        startup\n"));
}

TEST_F(CommandsTest, GetPrintsJson) {
  client_.get_results.push_back(Profile("s-1"));
  Invocation invocation = MakeInvocation(Command::kGet, "s-1");
  invocation.json = true;
  ASSERT_TRUE(Run(invocation).ok());
  EXPECT_EQ(out_.str(), "{\"id\":\"s-1\",\"kind\":\"PROFILE_KIND_STARTUP\"}\n");
}

TEST_F(CommandsTest, GetPassesTheServerError) {
  client_.get_results.push_back(absl::NotFoundError("no profile s-9"));
  const absl::Status status = Run(MakeInvocation(Command::kGet, "s-9"));
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "no profile s-9");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CommandsTest, DeletePrintsDeleted) {
  ASSERT_TRUE(Run(MakeInvocation(Command::kDelete, "s-1")).ok());
  EXPECT_EQ(client_.delete_requests[0].id(), "s-1");
  EXPECT_EQ(out_.str(), "deleted s-1\n");
}

TEST_F(CommandsTest, ListPrintsOnePageAndTheNextToken) {
  client_.list_results.push_back(Page("a", "tok2"));
  ASSERT_TRUE(Run(MakeInvocation(Command::kList)).ok());
  EXPECT_EQ(client_.list_requests.size(), 1u);
  EXPECT_THAT(out_.str(), StartsWith("ID  KIND     NAME"));
  EXPECT_THAT(out_.str(), HasSubstr("\na   startup"));
  EXPECT_THAT(out_.str(), HasSubstr("next page: --page_token=tok2\n"));
}

TEST_F(CommandsTest, ListAllFollowsTokensAndPrintsJsonLines) {
  client_.list_results.push_back(Page("a", "t2"));
  client_.list_results.push_back(Page("b", "t3"));
  client_.list_results.push_back(Page("c", ""));
  Invocation invocation = MakeInvocation(Command::kList);
  invocation.list_all = true;
  invocation.json = true;
  ASSERT_TRUE(Run(invocation).ok());
  ASSERT_EQ(client_.list_requests.size(), 3u);
  EXPECT_EQ(client_.list_requests[0].page_token(), "");
  EXPECT_EQ(client_.list_requests[1].page_token(), "t2");
  EXPECT_EQ(client_.list_requests[2].page_token(), "t3");
  EXPECT_EQ(client_.list_requests[2].tenant(), "acme");
  EXPECT_EQ(out_.str(),
            "{\"id\":\"a\",\"kind\":\"PROFILE_KIND_STARTUP\"}\n"
            "{\"id\":\"b\",\"kind\":\"PROFILE_KIND_STARTUP\"}\n"
            "{\"id\":\"c\",\"kind\":\"PROFILE_KIND_STARTUP\"}\n");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CommandsTest, ListJsonPutsTheNextTokenOnStderr) {
  client_.list_results.push_back(Page("a", "tok2"));
  Invocation invocation = MakeInvocation(Command::kList);
  invocation.json = true;
  ASSERT_TRUE(Run(invocation).ok());
  EXPECT_EQ(err_.str(), "next page: --page_token=tok2\n");
}

TEST_F(CommandsTest, ListAllStopsOnARepeatedToken) {
  client_.list_results.push_back(Page("a", "t2"));
  client_.list_results.push_back(Page("b", "t2"));
  Invocation invocation = MakeInvocation(Command::kList);
  invocation.list_all = true;
  EXPECT_EQ(Run(invocation).code(), absl::StatusCode::kInternal);
}

TEST_F(CommandsTest, MatchSendsTheRequestAndPrintsSuggestions) {
  Invocation invocation = MakeInvocation(Command::kMatch);
  invocation.match_request.set_tenant("acme");
  invocation.match_request.set_text("battery");
  ASSERT_TRUE(Run(invocation).ok());
  ASSERT_EQ(client_.find_partners_requests.size(), 1u);
  EXPECT_EQ(client_.find_partners_requests[0].text(), "battery");
  EXPECT_EQ(out_.str(), "no suggestions\n");
}

TEST_F(CommandsTest, MatchJson) {
  v1::FindPartnersResponse response;
  response.add_suggestions()->set_score(0.5);
  client_.find_partners_results.push_back(response);
  Invocation invocation = MakeInvocation(Command::kMatch);
  invocation.json = true;
  ASSERT_TRUE(Run(invocation).ok());
  EXPECT_EQ(out_.str(), "{\"suggestions\":[{\"score\":0.5}]}\n");
}

TEST_F(CommandsTest, HealthChecksAllThreeServices) {
  ASSERT_TRUE(Run(MakeInvocation(Command::kHealth)).ok());
  EXPECT_THAT(client_.health_requests,
              ElementsAre("", "pollinator.v1.ProfileService",
                          "pollinator.v1.MatchService"));
  EXPECT_EQ(out_.str(),
            "SERVICE                       STATUS\n"
            "(overall)                     SERVING\n"
            "pollinator.v1.ProfileService  SERVING\n"
            "pollinator.v1.MatchService    SERVING\n");
}

TEST_F(CommandsTest, HealthFailsUnlessAllServing) {
  HealthCheckResponse not_serving;
  not_serving.set_status(HealthCheckResponse::NOT_SERVING);
  client_.health_results.emplace("pollinator.v1.ProfileService", not_serving);
  client_.health_results.emplace("pollinator.v1.MatchService",
                                 absl::NotFoundError("unknown service"));
  const absl::Status status = Run(MakeInvocation(Command::kHealth));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(),
            "not serving: pollinator.v1.ProfileService, "
            "pollinator.v1.MatchService");
  EXPECT_THAT(out_.str(),
              HasSubstr("pollinator.v1.ProfileService  NOT_SERVING\n"));
  EXPECT_THAT(out_.str(), HasSubstr("pollinator.v1.MatchService    error: "
                                    "NOT_FOUND: unknown service\n"));
}

TEST_F(CommandsTest, HealthJson) {
  client_.health_results.emplace("pollinator.v1.MatchService",
                                 absl::UnavailableError("down"));
  Invocation invocation = MakeInvocation(Command::kHealth);
  invocation.json = true;
  EXPECT_EQ(Run(invocation).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(
      out_.str(),
      "{\"service\":\"\",\"status\":\"SERVING\"}\n"
      "{\"service\":\"pollinator.v1.ProfileService\",\"status\":\"SERVING\"}\n"
      "{\"service\":\"pollinator.v1.MatchService\",\"error\":{\"code\":"
      "\"UNAVAILABLE\",\"message\":\"down\"}}\n");
}

TEST_F(CommandsTest, ImportReadsStdinForDash) {
  in_.str("{\"id\":\"a\"}\n");
  ASSERT_TRUE(Run(MakeInvocation(Command::kImport, "-")).ok());
  ASSERT_EQ(client_.bulk_upsert_calls.size(), 1u);
  EXPECT_EQ(client_.bulk_upsert_calls[0][0].profile().id(), "a");
}

TEST_F(CommandsTest, ImportReadsAFile) {
  const std::string path = ::testing::TempDir() + "/commands_test.jsonl";
  {
    std::ofstream file(path);
    file << "{\"id\":\"f1\"}\n{\"id\":\"f2\"}\n";
  }
  ASSERT_TRUE(Run(MakeInvocation(Command::kImport, path)).ok());
  std::remove(path.c_str());
  ASSERT_EQ(client_.bulk_upsert_calls.size(), 1u);
  EXPECT_EQ(client_.bulk_upsert_calls[0].size(), 2u);
}

TEST_F(CommandsTest, ImportOfAMissingFileIsNotFound) {
  const absl::Status status = Run(MakeInvocation(
      Command::kImport, ::testing::TempDir() + "/does-not-exist.jsonl"));
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("cannot open"));
}

}  // namespace
}  // namespace pollinator
