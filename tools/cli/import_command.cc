// `pollinator import` (see import_command.h).
#include "tools/cli/import_command.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tools/cli/import_report.h"

namespace pollinator {
namespace {

// Interactions per ImportInteractions call: the server's limit.
constexpr size_t kMaxInteractionsPerCall = 1000;

// Consecutive records of one kind: one call's worth.
struct Run {
  bool interactions = false;
  std::vector<v1::UpsertProfileRequest> requests;  // profiles
  std::vector<SentItem> sent;                      // sent[i]: requests[i]
  v1::ImportInteractionsRequest import;            // interactions
  int64_t first_line = 0;
  int64_t last_line = 0;
};

// The records of one batch, and what of them is sent.
struct Batch {
  int64_t records = 0;    // records read, good or not
  int64_t last_line = 0;  // the last input line consumed
  std::vector<Run> runs;  // in input order
};

// The run an item of this kind joins: the last one, or a new one.
Run& RunFor(bool interactions, Batch* batch) {
  if (batch->runs.empty() || batch->runs.back().interactions != interactions ||
      (interactions &&
       static_cast<size_t>(batch->runs.back().import.interactions_size()) ==
           kMaxInteractionsPerCall)) {
    batch->runs.emplace_back().interactions = interactions;
  }
  return batch->runs.back();
}

void AddToBatch(const std::string& tenant, ImportItem item, Batch* batch) {
  const bool interaction = item.record.has_interaction();
  Run& run = RunFor(interaction, batch);
  if (run.first_line == 0) run.first_line = item.line;
  run.last_line = item.line;
  if (interaction) {
    run.import.set_tenant(tenant);
    *run.import.add_interactions() =
        std::move(*item.record.mutable_interaction());
    return;
  }
  SentItem sent;
  sent.line = item.line;
  sent.profile_id = item.record.profile().id();
  run.sent.push_back(std::move(sent));
  v1::UpsertProfileRequest& request = run.requests.emplace_back();
  request.set_tenant(tenant);
  *request.mutable_profile() = std::move(*item.record.mutable_profile());
}

Batch ReadBatch(const ImportOptions& options, ImportSource& source,
                ImportReport* report) {
  Batch batch;
  ImportItem item;
  while (batch.records < options.batch_size && source.Next(&item)) {
    ++batch.records;
    report->lines_read += item.lines;
    if (item.errors.empty()) {
      AddToBatch(options.tenant, std::move(item), &batch);
    } else {
      report->errors.insert(report->errors.end(), item.errors.begin(),
                            item.errors.end());
    }
  }
  batch.last_line = source.line_number();
  return batch;
}

absl::Status SendRun(const Run& run, PollinatorClient& client,
                     ImportReport* report) {
  if (!run.interactions) {
    absl::StatusOr<v1::BulkUpsertResponse> response =
        client.BulkUpsert(run.requests);
    if (!response.ok()) return response.status();
    RecordBulkUpsertResponse(*response, run.sent, report);
    return absl::OkStatus();
  }
  absl::StatusOr<v1::ImportInteractionsResponse> response =
      client.ImportInteractions(run.import);
  if (!response.ok()) {
    // The server names the item by its place in the call; say where the
    // call's interactions are in the file.
    return absl::Status(
        response.status().code(),
        absl::StrCat(response.status().message(), " (interactions of lines ",
                     run.first_line, " to ", run.last_line, ")"));
  }
  report->interactions += response->imported();
  return absl::OkStatus();
}

// Reads and sends batches until the input ends or a call fails.
absl::Status SendAll(const ImportOptions& options, ImportSource& source,
                     PollinatorClient& client, const CommandIo& io,
                     ImportReport* report) {
  const absl::Time start = io.now();
  while (true) {
    Batch batch = ReadBatch(options, source, report);
    if (batch.records == 0) {
      report->acknowledged_through_line = batch.last_line;
      return source.status();
    }
    absl::Status status;
    for (const Run& run : batch.runs) {
      // The runs before this one were confirmed.
      report->acknowledged_through_line =
          std::max(report->acknowledged_through_line, run.first_line - 1);
      status = SendRun(run, client, report);
      if (!status.ok()) break;
    }
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

absl::Status RunImport(const ImportOptions& options, ImportSource& source,
                       PollinatorClient& client, const CommandIo& io) {
  ImportReport report;
  absl::Status status = SendAll(options, source, client, io, &report);
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

absl::Status RunImport(const ImportOptions& options, std::istream& input,
                       PollinatorClient& client, const CommandIo& io) {
  std::unique_ptr<ImportSource> source = JsonlImportSource(&input);
  return RunImport(options, *source, client, io);
}

}  // namespace pollinator
