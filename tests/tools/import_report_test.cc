// Tests of tools/cli/import_report.h: error mapping and summaries.
#include "tools/cli/import_report.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pollinator {
namespace {

using ::testing::HasSubstr;

v1::BulkUpsertResponse::ItemError* AddError(v1::BulkUpsertResponse* response,
                                            int64_t index, int code,
                                            const std::string& message) {
  v1::BulkUpsertResponse::ItemError* error = response->add_errors();
  error->set_index(index);
  error->set_code(code);
  error->set_message(message);
  return error;
}

TEST(ImportReportTest, MapsItemIndexesToLines) {
  const std::vector<SentItem> sent = {{3, "a"}, {5, "b"}, {9, "c"}};
  v1::BulkUpsertResponse response;
  response.set_upserted(1);
  AddError(&response, 1, 3, "needs[0].text: empty")->set_profile_id("b");
  AddError(&response, 2, 5, "gone");  // no profile_id from the server
  ImportReport report;
  RecordBulkUpsertResponse(response, sent, &report);
  EXPECT_EQ(report.upserted, 1);
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_EQ(report.errors[0].line, 5);
  EXPECT_EQ(report.errors[0].profile_id, "b");
  EXPECT_EQ(report.errors[0].code, 3);
  EXPECT_EQ(report.errors[1].line, 9);
  EXPECT_EQ(report.errors[1].profile_id, "c");
}

TEST(ImportReportTest, KeepsErrorsWithOutOfRangeIndexes) {
  const std::vector<SentItem> sent = {{1, "a"}};
  v1::BulkUpsertResponse response;
  AddError(&response, 7, 13, "boom");
  ImportReport report;
  RecordBulkUpsertResponse(response, sent, &report);
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].line, 0);
  EXPECT_THAT(report.errors[0].message,
              HasSubstr("server reported item 7 of a call with 1 items"));
}

ImportReport SampleReport() {
  ImportReport report;
  report.lines_read = 1400;
  report.upserted = 1398;
  report.acknowledged_through_line = 1402;
  report.errors.push_back({230, "", 3, "not a pollinator.v1.Profile: bad"});
  report.errors.push_back({17, "smb-x", 3, "needs[0].text: empty"});
  return report;
}

TEST(ImportReportTest, FormatsProgress) {
  EXPECT_EQ(FormatImportProgress(SampleReport(), absl::Milliseconds(1400)),
            "import: 1400 lines read, 1398 upserted, 2 errors, 1000 lines/s");
  EXPECT_THAT(FormatImportProgress(SampleReport(), absl::ZeroDuration()),
              HasSubstr("lines/s"));
}

TEST(ImportReportTest, FormatsSummarySortedByLine) {
  EXPECT_EQ(FormatImportSummary(SampleReport()),
            "import: 1400 lines read, 1398 upserted, 2 errors\n"
            "line 17 (id smb-x): INVALID_ARGUMENT: needs[0].text: empty\n"
            "line 230: INVALID_ARGUMENT: not a pollinator.v1.Profile: bad\n");
}

TEST(ImportReportTest, FormatsJsonSummary) {
  EXPECT_EQ(
      FormatImportSummaryJson(SampleReport()),
      R"({"linesRead":1400,"upserted":1398,"interactions":0,)"
      R"("acknowledgedThroughLine":1402,)"
      R"("errors":[{"line":17,"profileId":"smb-x","code":"INVALID_ARGUMENT",)"
      R"("message":"needs[0].text: empty"},{"line":230,"profileId":"",)"
      R"("code":"INVALID_ARGUMENT",)"
      R"("message":"not a pollinator.v1.Profile: bad"}]})");
}

TEST(ImportReportTest, FormatsAcknowledgement) {
  EXPECT_EQ(FormatAcknowledgement(SampleReport()),
            "acknowledged through line 1402; later lines were not confirmed, "
            "re-run the import to retry (upserts are idempotent, and interactions already stored are skipped)");
}

}  // namespace
}  // namespace pollinator
