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
            "re-run the import to retry (upserts are idempotent, and interactions already stored are skipped)\n");
}

TEST_F(ImportCommandTest, JsonSummaryOnStdoutAndHintOnStderr) {
  client_.bulk_upsert_results.push_back(absl::UnavailableError("gone"));
  EXPECT_EQ(Import(Profiles(3), 2, /*json=*/true).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(out_.str(),
            "{\"linesRead\":2,\"upserted\":0,\"interactions\":0,"
            "\"acknowledgedThroughLine\":0,"
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

std::string Interaction(int sequence) {
  return "{\"interaction\":{\"fromProfileId\":\"p1\",\"toProfileId\":\"p2\","
         "\"type\":\"INTERACTION_TYPE_SHOWN\",\"sequence\":\"" +
         std::to_string(sequence) +
         "\",\"recordedAtUnixMs\":\"1600000000000\"}}\n";
}

TEST_F(ImportCommandTest, SendsAnExportsInteractionsAfterItsProfilesInOrder) {
  std::string text = Profiles(2);
  for (int i = 1; i <= 3; ++i) text += Interaction(i);
  text += "{\"profile\":{\"id\":\"p3\"}}\n" + Interaction(4);
  ASSERT_TRUE(Import(text, 10).ok());
  ASSERT_EQ(client_.bulk_upsert_calls.size(), 2u);
  EXPECT_EQ(client_.bulk_upsert_calls[0].size(), 2u);
  EXPECT_EQ(client_.bulk_upsert_calls[1][0].profile().id(), "p3");
  ASSERT_EQ(client_.import_interactions_requests.size(), 2u);
  const v1::ImportInteractionsRequest& first =
      client_.import_interactions_requests[0];
  EXPECT_EQ(first.tenant(), "acme");
  ASSERT_EQ(first.interactions_size(), 3);
  EXPECT_EQ(first.interactions(2).sequence(), 3);
  EXPECT_EQ(first.interactions(0).recorded_at_unix_ms(), 1600000000000);
  EXPECT_EQ(out_.str(),
            "import: 7 lines read, 3 upserted, 4 interactions, 0 errors\n");
}

TEST_F(ImportCommandTest, SplitsInteractionsIntoCallsOfAtMostAThousand) {
  std::string text;
  for (int i = 1; i <= 2500; ++i) text += Interaction(i);
  ASSERT_TRUE(Import(text, 5000).ok());
  ASSERT_EQ(client_.import_interactions_requests.size(), 3u);
  EXPECT_EQ(client_.import_interactions_requests[0].interactions_size(), 1000);
  EXPECT_EQ(client_.import_interactions_requests[2].interactions_size(), 500);
}

TEST_F(ImportCommandTest, ARefusedInteractionCallStopsTheImportAndSaysWhere) {
  client_.import_interactions_results.push_back(absl::FailedPreconditionError(
      "interactions[0].sequence: 1 is not after the tenant's last"));
  const absl::Status status =
      Import(Profiles(2) + Interaction(1) + Interaction(2) + Profiles(1), 10);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("(interactions of lines 3 to 4)"));
  // The profiles before were confirmed; the one after was never sent.
  EXPECT_EQ(client_.bulk_upsert_calls.size(), 1u);
  EXPECT_THAT(out_.str(), HasSubstr("acknowledged through line 2;"));
}

TEST_F(ImportCommandTest, ReportsCsvCellsByLineAndColumnAndSendsTheValidProfiles) {
  std::istringstream csv(
      "profile_id,kind,name,side,item_id,text,expires\n"
      "p1,smb,One,need,n1,welding,2027-01-01\n"
      "p2,smb,Two,need,n1,cutting,2024-13-01\n"
      "p1,,,offer,o1,laser lab,\n");
  CommandIo io{csv, out_, err_, io_.now};
  absl::StatusOr<std::unique_ptr<ImportSource>> source =
      OpenImportSource(ImportFormat::kCsv, "-", io);
  ASSERT_TRUE(source.ok()) << source.status();
  ImportOptions options;
  options.tenant = "acme";
  const absl::Status status = RunImport(options, **source, client_, io_);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(client_.bulk_upsert_calls.size(), 1u);
  ASSERT_EQ(client_.bulk_upsert_calls[0].size(), 1u);
  EXPECT_EQ(client_.bulk_upsert_calls[0][0].profile().offers_size(), 1);
  EXPECT_EQ(out_.str(),
            "import: 3 lines read, 1 upserted, 1 errors\n"
            "line 3, column expires (id p2): INVALID_ARGUMENT: "
            "\"2024-13-01\" is not a calendar date\n");
}

}  // namespace
}  // namespace pollinator
