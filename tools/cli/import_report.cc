// Import totals, error mapping and summaries (see import_report.h).
#include "tools/cli/import_report.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/cli/json_text.h"
#include "tools/cli/names.h"
#include "tools/cli/table.h"

namespace pollinator {
namespace {

// Below this, the rate would be noise (and a division by zero at 0).
constexpr absl::Duration kMinElapsed = absl::Milliseconds(1);

ImportLineError MapItemError(const v1::BulkUpsertResponse::ItemError& error,
                             absl::Span<const SentItem> sent) {
  ImportLineError mapped;
  mapped.profile_id = error.profile_id();
  mapped.code = error.code();
  mapped.message = error.message();
  if (error.index() < 0 || error.index() >= static_cast<int64_t>(sent.size())) {
    // The server broke the contract; keep the error rather than drop it.
    absl::StrAppend(&mapped.message, " (server reported item ", error.index(),
                    " of a call with ", sent.size(), " items)");
    return mapped;
  }
  const SentItem& item = sent[static_cast<size_t>(error.index())];
  mapped.line = item.line;
  if (mapped.profile_id.empty()) mapped.profile_id = item.profile_id;
  return mapped;
}

std::vector<ImportLineError> SortedErrors(const ImportReport& report) {
  std::vector<ImportLineError> errors = report.errors;
  std::stable_sort(errors.begin(), errors.end(),
                   [](const ImportLineError& a, const ImportLineError& b) {
                     return a.line < b.line;
                   });
  return errors;
}

std::string Totals(const ImportReport& report) {
  return absl::StrCat(
      "import: ", report.lines_read, " lines read, ", report.upserted,
      " upserted, ",
      report.interactions > 0
          ? absl::StrCat(report.interactions, " interactions, ")
          : "",
      report.errors.size(), " errors");
}

std::string ErrorLine(const ImportLineError& error) {
  std::string line = absl::StrCat("line ", error.line);
  if (!error.column.empty()) {
    absl::StrAppend(&line, ", column ", OneLine(error.column));
  }
  if (!error.profile_id.empty()) {
    absl::StrAppend(&line, " (id ", OneLine(error.profile_id), ")");
  }
  absl::StrAppend(&line, ": ", StatusCodeName(error.code));
  if (!error.message.empty()) {
    absl::StrAppend(&line, ": ", OneLine(error.message));
  }
  return line;
}

std::string ErrorJson(const ImportLineError& error) {
  return absl::StrCat(
      "{\"line\":", error.line,
      error.column.empty()
          ? ""
          : absl::StrCat(",\"column\":", JsonQuote(error.column)),
      ",\"profileId\":", JsonQuote(error.profile_id),
      ",\"code\":", JsonQuote(StatusCodeName(error.code)),
      ",\"message\":", JsonQuote(error.message), "}");
}

}  // namespace

void RecordBulkUpsertResponse(const v1::BulkUpsertResponse& response,
                              absl::Span<const SentItem> sent,
                              ImportReport* report) {
  report->upserted += response.upserted();
  for (const v1::BulkUpsertResponse::ItemError& error : response.errors()) {
    report->errors.push_back(MapItemError(error, sent));
  }
}

std::string FormatImportProgress(const ImportReport& report,
                                 absl::Duration elapsed) {
  const double seconds = absl::ToDoubleSeconds(std::max(elapsed, kMinElapsed));
  return absl::StrFormat("%s, %.0f lines/s", Totals(report),
                         static_cast<double>(report.lines_read) / seconds);
}

std::string FormatImportSummary(const ImportReport& report) {
  std::string summary = absl::StrCat(Totals(report), "\n");
  for (const ImportLineError& error : SortedErrors(report)) {
    absl::StrAppend(&summary, ErrorLine(error), "\n");
  }
  return summary;
}

std::string FormatImportSummaryJson(const ImportReport& report) {
  std::vector<std::string> errors;
  for (const ImportLineError& error : SortedErrors(report)) {
    errors.push_back(ErrorJson(error));
  }
  return absl::StrCat(
      "{\"linesRead\":", report.lines_read, ",\"upserted\":", report.upserted,
      ",\"interactions\":", report.interactions,
      ",\"acknowledgedThroughLine\":", report.acknowledged_through_line,
      ",\"errors\":[", absl::StrJoin(errors, ","), "]}");
}

std::string FormatAcknowledgement(const ImportReport& report) {
  return absl::StrCat("acknowledged through line ",
                      report.acknowledged_through_line,
                      "; later lines were not confirmed, re-run the import to "
                      "retry (upserts are idempotent, and interactions already "
                      "stored are skipped)");
}

}  // namespace pollinator
