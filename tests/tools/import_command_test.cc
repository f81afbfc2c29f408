// Tests of tools/cli/import_command.h against a fake client.
#include "tools/cli/import_command.h"

#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tools/fake_pollinator_client.h"

namespace pollinator {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Each call of the clock advances it by one second.
class ImportCommandTest : public ::testing::Test {
 protected:
  absl::Status Import(const std::string& text, int batch_size,
                      bool json = false) {
    std::istringstream input(text);
    ImportOptions options;
    options.tenant = "acme";
    options.batch_size = batch_size;
    options.json = json;
    return RunImport(options, input, client_, io_);
  }

  FakePollinatorClient client_;
  std::istringstream stdin_;
  std::ostringstream out_;
  std::ostringstream err_;
  absl::Time clock_ = absl::UnixEpoch();
  CommandIo io_{stdin_, out_, err_, [this] {
                  clock_ += absl::Seconds(1);
                  return clock_;
                }};
};

std::string Profiles(int count) {
  std::string text;
  for (int i = 1; i <= count; ++i) {
    text += "{\"id\":\"p" + std::to_string(i) + "\"}\n";
  }
  return text;
}

TEST_F(ImportCommandTest, SendsBatchesWithTheTenant) {
  ASSERT_TRUE(Import(Profiles(5), 2).ok());
  ASSERT_EQ(client_.bulk_upsert_calls.size(), 3u);
  EXPECT_EQ(client_.bulk_upsert_calls[0].size(), 2u);
  EXPECT_EQ(client_.bulk_upsert_calls[2].size(), 1u);
  EXPECT_EQ(client_.bulk_upsert_calls[2][0].profile().id(), "p5");
  for (const auto& call : client_.bulk_upsert_calls) {
    for (const v1::UpsertProfileRequest& request : call) {
      EXPECT_EQ(request.tenant(), "acme");
    }
  }
  EXPECT_EQ(out_.str(), "import: 5 lines read, 5 upserted, 0 errors\n");
  EXPECT_EQ(err_.str(),
            "import: 2 lines read, 2 upserted, 0 errors, 2 lines/s\n"
            "import: 4 lines read, 4 upserted, 0 errors, 2 lines/s\n"
            "import: 5 lines read, 5 upserted, 0 errors, 2 lines/s\n");
}

TEST_F(ImportCommandTest, ReportsParseErrorsLocallyAndSendsTheRest) {
  const absl::Status status =
      Import("{\"id\":\"a\"}\n\nnot json\n{\"id\":\"b\"}\n", 10);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("1 of 3 lines were not upserted, the first at line 3"));
  ASSERT_EQ(client_.bulk_upsert_calls.size(), 1u);
  EXPECT_EQ(client_.bulk_upsert_calls[0].size(), 2u);
  EXPECT_THAT(out_.str(),
              HasSubstr("import: 3 lines read, 2 upserted, 1 errors\n"
                        "line 3: INVALID_ARGUMENT: not a "
                        "pollinator.v1.Profile"));
}

TEST_F(ImportCommandTest, MapsServerErrorsToFileLines) {
  v1::BulkUpsertResponse first;  // lines 1 and 3 (line 2 is blank)
  first.set_upserted(1);
  v1::BulkUpsertResponse::ItemError* error = first.add_errors();
  error->set_index(1);
  error->set_profile_id("p2");
  error->set_code(3);
  error->set_message("needs[0].text: empty");
  client_.bulk_upsert_results.push_back(first);
  const absl::Status status =
      Import("{\"id\":\"p1\"}\n\n{\"id\":\"p2\"}\n{\"id\":\"p3\"}\n", 2);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(out_.str(),
            "import: 3 lines read, 2 upserted, 1 errors\n"
            "line 3 (id p2): INVALID_ARGUMENT: needs[0].text: empty\n");
}

TEST_F(ImportCommandTest, StopsWhenACallFails) {
  client_.bulk_upsert_results.push_back(v1::BulkUpsertResponse());
  client_.bulk_upsert_results.back()->set_upserted(2);
  client_.bulk_upsert_results.push_back(
      absl::UnavailableError("connection refused"));
  const absl::Status status = Import(Profiles(7), 2);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "connection refused");
  EXPECT_EQ(client_.bulk_upsert_calls.size(), 2u);
  EXPECT_EQ(out_.str(),
            "import: 4 lines read, 2 upserted, 0 errors\n"
            "acknowledged through line 2; later lines were not confirmed, "
            "re-run the import to retry (upserts are idempotent)\n");
}

TEST_F(ImportCommandTest, JsonSummaryOnStdoutAndHintOnStderr) {
  client_.bulk_upsert_results.push_back(absl::UnavailableError("gone"));
  EXPECT_EQ(Import(Profiles(3), 2, /*json=*/true).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(out_.str(),
            "{\"linesRead\":2,\"upserted\":0,\"acknowledgedThroughLine\":0,"
            "\"errors\":[]}\n");
  EXPECT_THAT(err_.str(), HasSubstr("acknowledged through line 0"));
}

TEST_F(ImportCommandTest, AcknowledgesTrailingBlankLines) {
  ASSERT_TRUE(Import(Profiles(2) + "\n\n", 2, /*json=*/true).ok());
  EXPECT_THAT(out_.str(), HasSubstr("\"acknowledgedThroughLine\":4"));
}

TEST_F(ImportCommandTest, BatchOfOnlyBadLinesMakesNoCall) {
  EXPECT_EQ(Import("x\ny\n", 2).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(client_.bulk_upsert_calls.empty());
  EXPECT_THAT(out_.str(), Not(HasSubstr("acknowledged")));
}

TEST_F(ImportCommandTest, ItemErrorWithCodeZeroStillFails) {
  v1::BulkUpsertResponse response;
  response.add_errors()->set_index(0);
  client_.bulk_upsert_results.push_back(response);
  EXPECT_EQ(Import(Profiles(1), 2).code(), absl::StatusCode::kUnknown);
}

TEST_F(ImportCommandTest, EmptyInput) {
  ASSERT_TRUE(Import("", 2).ok());
  EXPECT_TRUE(client_.bulk_upsert_calls.empty());
  EXPECT_EQ(out_.str(), "import: 0 lines read, 0 upserted, 0 errors\n");
}

}  // namespace
}  // namespace pollinator
