// `pollinator import` (see import_command.h).
#include "tools/cli/import_command.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tools/cli/import_report.h"
#include "data/profile_jsonl.h"

namespace pollinator {
namespace {

// The lines of one batch, and what of them is sent.
struct Batch {
  int64_t lines_read = 0;  // non-blank lines, parsed or not
  int64_t last_line = 0;   // the last input line consumed, blank or not
  std::vector<v1::UpsertProfileRequest> requests;
  std::vector<SentItem> sent;  // sent[i] describes requests[i]
};

ImportLineError ParseError(const JsonlLine& line) {
  ImportLineError error;
  error.line = line.number;
  error.code = static_cast<int>(line.profile.status().code());
  error.message = std::string(line.profile.status().message());
  return error;
}

void AddToBatch(const std::string& tenant, JsonlLine line, Batch* batch) {
  SentItem item;
  item.line = line.number;
  item.profile_id = line.profile->id();
  batch->sent.push_back(std::move(item));
  v1::UpsertProfileRequest& request = batch->requests.emplace_back();
  request.set_tenant(tenant);
  *request.mutable_profile() = *std::move(line.profile);
}

Batch ReadBatch(const ImportOptions& options, JsonlProfileReader* reader,
                ImportReport* report) {
  Batch batch;
  JsonlLine line;
  while (batch.lines_read < options.batch_size && reader->Next(&line)) {
    ++batch.lines_read;
    if (line.profile.ok()) {
      AddToBatch(options.tenant, std::move(line), &batch);
    } else {
      report->errors.push_back(ParseError(line));
    }
  }
  batch.last_line = reader->line_number();
  report->lines_read += batch.lines_read;
  return batch;
}

absl::Status SendBatch(const Batch& batch, PollinatorClient& client,
                       ImportReport* report) {
  if (batch.requests.empty()) return absl::OkStatus();
  absl::StatusOr<v1::BulkUpsertResponse> response =
      client.BulkUpsert(batch.requests);
  if (!response.ok()) return response.status();
  RecordBulkUpsertResponse(*response, batch.sent, report);
  return absl::OkStatus();
}

// Reads and sends batches until the input ends or a call fails.
absl::Status SendAll(const ImportOptions& options, std::istream& input,
                     PollinatorClient& client, const CommandIo& io,
                     ImportReport* report) {
  JsonlProfileReader reader(&input);
  const absl::Time start = io.now();
  while (true) {
    Batch batch = ReadBatch(options, &reader, report);
    if (batch.lines_read == 0) {
      report->acknowledged_through_line = batch.last_line;
      return reader.status();
    }
    absl::Status status = SendBatch(batch, client, report);
    if (status.ok()) report->acknowledged_through_line = batch.last_line;
    io.err << FormatImportProgress(*report, io.now() - start) << std::endl;
    if (!status.ok()) return status;
  }
}

// The status for an import whose calls all succeeded but some lines failed.
absl::Status LineErrorsStatus(const ImportReport& report) {
  const ImportLineError* first = &report.errors.front();
  for (const ImportLineError& error : report.errors) {
    if (error.line < first->line) first = &error;
  }
  // A server that reports an item error with code OK (0) or an unknown code
  // must still fail the import.
  const bool known =
      first->code > 0 &&
      first->code <= static_cast<int>(absl::StatusCode::kUnauthenticated);
  return absl::Status(
      known ? static_cast<absl::StatusCode>(first->code)
            : absl::StatusCode::kUnknown,
      absl::StrCat(report.errors.size(), " of ", report.lines_read,
                   " lines were not upserted, the first at line ",
                   first->line));
}

}  // namespace

absl::Status RunImport(const ImportOptions& options, std::istream& input,
                       PollinatorClient& client, const CommandIo& io) {
  ImportReport report;
  absl::Status status = SendAll(options, input, client, io, &report);
  if (options.json) {
    io.out << FormatImportSummaryJson(report) << std::endl;
  } else {
    io.out << FormatImportSummary(report) << std::flush;
  }
  if (!status.ok()) {
    (options.json ? io.err : io.out)
        << FormatAcknowledgement(report) << std::endl;
    return status;
  }
  if (!report.errors.empty()) return LineErrorsStatus(report);
  return absl::OkStatus();
}

}  // namespace pollinator
