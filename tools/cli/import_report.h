// The running totals of `pollinator import` and how they are printed: the
// progress line after each batch, the final summary (text or JSON), and the
// mapping of BulkUpsert per-item errors back to lines of the input file.
//
//   ImportReport report;
//   report.lines_read += 3;
//   RecordBulkUpsertResponse(response, sent_items, &report);
//   std::cerr << FormatImportProgress(report, absl::Seconds(2)) << "\n";
//   std::cout << FormatImportSummary(report);
#ifndef POLLINATOR_TOOLS_CLI_IMPORT_REPORT_H_
#define POLLINATOR_TOOLS_CLI_IMPORT_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pollinator/v1/service.pb.h"

namespace pollinator {

// One input line that was not upserted.
struct ImportLineError {
  int64_t line = 0;        // 1-based line of the input
  std::string profile_id;  // empty when the line did not parse
  int code = 0;            // a google.rpc.Code value
  std::string message;
  std::string column;      // the CSV column at fault; empty for others
};

struct ImportReport {
  int64_t lines_read = 0;  // non-blank lines read, parsed or not
  int64_t upserted = 0;    // profiles the server confirmed
  int64_t interactions = 0;  // interactions the server stored
  // Every line up to and including this one was confirmed by the server or
  // reported as an error.
  int64_t acknowledged_through_line = 0;
  std::vector<ImportLineError> errors;  // in the order found
};

// What was sent as one item of a BulkUpsert stream.
struct SentItem {
  int64_t line = 0;
  std::string profile_id;
};

// Adds the result of one BulkUpsert call that returned OK. `sent[i]` is the
// item at 0-based position i of that call's stream, which is what
// BulkUpsertResponse.ItemError.index refers to.
void RecordBulkUpsertResponse(const v1::BulkUpsertResponse& response,
                              absl::Span<const SentItem> sent,
                              ImportReport* report);

// "import: 1400 lines read, 1398 upserted, 2 errors, 1050 lines/s"; after
// "upserted", "N interactions, " when there were any.
std::string FormatImportProgress(const ImportReport& report,
                                 absl::Duration elapsed);

// "import: 1400 lines read, 1398 upserted, 2 errors" and then one line per
// error, sorted by line: "line 17 (id smb-x): INVALID_ARGUMENT: ...", or
// "line 14, column expires (id smb-x): INVALID_ARGUMENT: ..." for a CSV
// cell.
std::string FormatImportSummary(const ImportReport& report);

// One JSON object, errors sorted by line, no trailing newline:
//   {"linesRead":..,"upserted":..,"interactions":..,
//    "acknowledgedThroughLine":..,"errors":[{"line":..,"profileId":..,
//    "code":"INVALID_ARGUMENT","message":..}]}
// An error about a CSV cell also has "column".
std::string FormatImportSummaryJson(const ImportReport& report);

// What to tell the user after a BulkUpsert call failed.
std::string FormatAcknowledgement(const ImportReport& report);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_IMPORT_REPORT_H_
