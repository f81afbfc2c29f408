// The CLI commands other than import, and the dispatch (see commands.h).
#include "tools/cli/commands.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/message.h"
#include "pollinator/v1/access.grpc.pb.h"
#include "pollinator/v1/challenge.grpc.pb.h"
#include "pollinator/v1/cohort.grpc.pb.h"
#include "pollinator/v1/ecosystem.grpc.pb.h"
#include "pollinator/v1/operations.grpc.pb.h"
#include "pollinator/v1/service.grpc.pb.h"
#include "pollinator/v1/transfer.grpc.pb.h"
#include "tools/cli/access_commands.h"
#include "tools/cli/challenge_commands.h"
#include "tools/cli/cohort_command.h"
#include "tools/cli/gaps_command.h"
#include "tools/cli/export_command.h"
#include "tools/cli/import_command.h"
#include "tools/cli/import_source.h"
#include "tools/cli/interaction_view.h"
#include "tools/cli/json_text.h"
#include "tools/cli/match_view.h"
#include "tools/cli/names.h"
#include "tools/cli/profile_view.h"
#include "tools/cli/table.h"

namespace pollinator {
namespace {

using ::grpc::health::v1::HealthCheckResponse;

absl::Status RunImportCommand(const Invocation& invocation,
                              PollinatorClient& client, const CommandIo& io) {
  ImportOptions options;
  options.tenant = invocation.tenant;
  options.batch_size = invocation.batch_size;
  options.json = invocation.json;
  ImportFormat format = DefaultImportFormat(invocation.argument);
  if (!invocation.import_format.empty()) {
    absl::StatusOr<ImportFormat> chosen =
        ParseImportFormat(invocation.import_format);
    if (!chosen.ok()) return chosen.status();
    format = *chosen;
  }
  absl::StatusOr<std::unique_ptr<ImportSource>> source =
      OpenImportSource(format, invocation.argument, io);
  if (!source.ok()) return source.status();
  return RunImport(options, **source, client, io);
}

absl::Status RunExportCommand(const Invocation& invocation,
                              PollinatorClient& client, const CommandIo& io) {
  ExportOptions options;
  options.tenant = invocation.tenant;
  options.output = invocation.export_output;
  options.profile_id = invocation.export_profile;
  return RunExport(options, client, io);
}

absl::Status RunGet(const Invocation& invocation, PollinatorClient& client,
                    const CommandIo& io) {
  v1::GetProfileRequest request;
  request.set_tenant(invocation.tenant);
  request.set_id(invocation.argument);
  absl::StatusOr<v1::Profile> profile = client.GetProfile(request);
  if (!profile.ok()) return profile.status();
  if (invocation.json) return PrintJson(*profile, io.out);
  io.out << FormatProfileDetails(*profile);
  return absl::OkStatus();
}

absl::Status RunDelete(const Invocation& invocation, PollinatorClient& client,
                       const CommandIo& io) {
  v1::DeleteProfileRequest request;
  request.set_tenant(invocation.tenant);
  request.set_id(invocation.argument);
  absl::StatusOr<v1::DeleteProfileResponse> response =
      client.DeleteProfile(request);
  if (!response.ok()) return response.status();
  if (invocation.json) return PrintJson(*response, io.out);
  io.out << "deleted " << invocation.argument << "\n";
  return absl::OkStatus();
}

// Fetches pages (all of them with --all) and prints them: JSON Lines as they
// arrive, or one table at the end.
absl::Status RunList(const Invocation& invocation, PollinatorClient& client,
                     const CommandIo& io) {
  v1::ListProfilesRequest request = invocation.list_request;
  std::vector<v1::Profile> table_rows;
  std::string next_page_token;
  while (true) {
    absl::StatusOr<v1::ListProfilesResponse> page =
        client.ListProfiles(request);
    if (!page.ok()) return page.status();
    for (const v1::Profile& profile : page->profiles()) {
      if (!invocation.json) {
        table_rows.push_back(profile);
        continue;
      }
      absl::Status status = PrintJson(profile, io.out);
      if (!status.ok()) return status;
    }
    next_page_token = page->next_page_token();
    if (!invocation.list_all || next_page_token.empty()) break;
    if (next_page_token == request.page_token()) {
      return absl::InternalError(
          "the server returned the same page token twice");
    }
    request.set_page_token(next_page_token);
  }
  if (!invocation.json) io.out << FormatProfileTable(table_rows);
  if (!next_page_token.empty()) {
    // Keep JSON Lines output clean: with --json the hint goes to stderr.
    (invocation.json ? io.err : io.out)
        << "next page: --page_token=" << next_page_token << "\n";
  }
  return absl::OkStatus();
}

absl::Status RunMatch(const Invocation& invocation, PollinatorClient& client,
                      const CommandIo& io) {
  absl::StatusOr<v1::FindPartnersResponse> response =
      client.FindPartners(invocation.match_request);
  if (!response.ok()) return response.status();
  if (invocation.json) return PrintJson(*response, io.out);
  io.out << FormatSuggestions(*response, invocation.match_request.direction());
  return absl::OkStatus();
}

absl::Status RunInteract(const Invocation& invocation, PollinatorClient& client,
                         const CommandIo& io) {
  absl::StatusOr<v1::RecordInteractionResponse> response =
      client.RecordInteraction(invocation.interact_request);
  if (!response.ok()) return response.status();
  // The Interaction itself, the same object as each line of `history --json`.
  if (invocation.json) return PrintJson(response->interaction(), io.out);
  io.out << FormatInteractionDetails(response->interaction());
  return absl::OkStatus();
}

// Follows the pages until the last one or --limit, then prints: JSON Lines
// as the interactions arrive, or one table at the end.
absl::Status RunHistory(const Invocation& invocation, PollinatorClient& client,
                        const CommandIo& io) {
  const int64_t limit = invocation.history_limit;
  v1::ListInteractionsRequest request = invocation.history_request;
  std::vector<v1::Interaction> table_rows;
  int64_t count = 0;
  bool stopped_at_limit = false;
  while (true) {
    absl::StatusOr<v1::ListInteractionsResponse> page =
        client.ListInteractions(request);
    if (!page.ok()) return page.status();
    for (const v1::Interaction& interaction : page->interactions()) {
      if (limit > 0 && count == limit) {
        stopped_at_limit = true;
        break;
      }
      ++count;
      if (!invocation.json) {
        table_rows.push_back(interaction);
        continue;
      }
      absl::Status status = PrintJson(interaction, io.out);
      if (!status.ok()) return status;
    }
    const std::string& next_page_token = page->next_page_token();
    if (stopped_at_limit || next_page_token.empty()) break;
    if (limit > 0 && count == limit) {
      stopped_at_limit = true;
      break;
    }
    if (next_page_token == request.page_token()) {
      return absl::InternalError(
          "the server returned the same page token twice");
    }
    request.set_page_token(next_page_token);
  }
  if (!invocation.json) io.out << FormatInteractionTable(table_rows);
  if (stopped_at_limit) {
    // Keep JSON Lines output clean: with --json the hint goes to stderr.
    (invocation.json ? io.err : io.out)
        << "stopped at --limit=" << limit << "; there may be more\n";
  }
  return absl::OkStatus();
}

absl::Status RunTrainRanker(const Invocation& invocation, PollinatorClient& client,
                            const CommandIo& io) {
  absl::StatusOr<v1::TrainRankerResponse> report =
      client.TrainRanker(invocation.train_request);
  if (!report.ok()) return report.status();
  if (invocation.json) return PrintJson(*report, io.out);
  io.out << FormatTrainReport(*report);
  return absl::OkStatus();
}

// The result of one health check: a serving status, or why the RPC failed.
std::string HealthText(const absl::StatusOr<HealthCheckResponse>& result) {
  if (!result.ok()) {
    return absl::StrCat("error: ", FormatStatus(result.status()));
  }
  return HealthCheckResponse::ServingStatus_Name(result->status());
}

std::string HealthJson(absl::string_view service,
                       const absl::StatusOr<HealthCheckResponse>& result) {
  if (!result.ok()) {
    return absl::StrCat(
        "{\"service\":", JsonQuote(service), ",\"error\":{\"code\":",
        JsonQuote(StatusCodeName(static_cast<int>(result.status().code()))),
        ",\"message\":", JsonQuote(result.status().message()), "}}");
  }
  return absl::StrCat(
      "{\"service\":", JsonQuote(service), ",\"status\":",
      JsonQuote(HealthCheckResponse::ServingStatus_Name(result->status())),
      "}");
}

absl::Status RunBackup(const Invocation& invocation, PollinatorClient& client,
                       const CommandIo& io) {
  v1::CreateBackupRequest request;
  request.set_name(invocation.argument);
  absl::StatusOr<v1::CreateBackupResponse> backup =
      client.CreateBackup(request);
  if (!backup.ok()) return backup.status();
  if (invocation.json) return PrintJson(*backup, io.out);
  io.out << "backup " << backup->path() << ": " << backup->tenants()
         << " tenants, " << backup->index_files() << " index files, "
         << backup->bytes() << " bytes, in " << backup->duration_ms()
         << " ms\n";
  return absl::OkStatus();
}

absl::Status RunHealth(const Invocation& invocation, PollinatorClient& client,
                       const CommandIo& io) {
  const std::string services[] = {"",
                                  v1::ProfileService::service_full_name(),
                                  v1::MatchService::service_full_name(),
                                  v1::InteractionService::service_full_name(),
                                  v1::CohortService::service_full_name(),
                                  v1::ChallengeService::service_full_name(),
                                  v1::EcosystemService::service_full_name(),
                                  v1::TransferService::service_full_name(),
                                  v1::KeyService::service_full_name(),
                                  v1::TenantService::service_full_name(),
                                  v1::BackupService::service_full_name()};
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> not_serving;
  for (const std::string& service : services) {
    const absl::StatusOr<HealthCheckResponse> result =
        client.CheckHealth(service);
    const std::string name = service.empty() ? "(overall)" : service;
    if (!result.ok() || result->status() != HealthCheckResponse::SERVING) {
      not_serving.push_back(name);
    }
    if (invocation.json) {
      io.out << HealthJson(service, result) << "\n";
    } else {
      rows.push_back({name, OneLine(HealthText(result))});
    }
  }
  if (!invocation.json) io.out << FormatTable({"SERVICE", "STATUS"}, rows);
  if (not_serving.empty()) return absl::OkStatus();
  return absl::UnavailableError(
      absl::StrCat("not serving: ", absl::StrJoin(not_serving, ", ")));
}

}  // namespace

absl::Status RunInvocation(const Invocation& invocation,
                           PollinatorClient& client, const CommandIo& io) {
  switch (invocation.command) {
    case Command::kImport:
      return RunImportCommand(invocation, client, io);
    case Command::kExport:
      return RunExportCommand(invocation, client, io);
    case Command::kGet:
      return RunGet(invocation, client, io);
    case Command::kDelete:
      return RunDelete(invocation, client, io);
    case Command::kList:
      return RunList(invocation, client, io);
    case Command::kMatch:
      return RunMatch(invocation, client, io);
    case Command::kInteract:
      return RunInteract(invocation, client, io);
    case Command::kHistory:
      return RunHistory(invocation, client, io);
    case Command::kTrainRanker:
      return RunTrainRanker(invocation, client, io);
    case Command::kCohort:
      return RunCohortCommand(invocation.cohort_file, invocation.cohort_request, invocation.json, client, io);
    case Command::kSolvers:
      return RunSolvers(invocation.solvers_request, invocation.json, client, io);
    case Command::kChallenges:
      return RunChallenges(invocation.challenges_request, invocation.json, client, io);
    case Command::kGaps:
      return RunGaps(invocation.gaps_request, invocation.json, client, io);
    case Command::kKeysCreate:
    case Command::kKeysList:
    case Command::kKeysRevoke:
    case Command::kTenantsCreate:
    case Command::kTenantsList:
    case Command::kTenantsDelete:
    case Command::kTenantsSuspend:
    case Command::kTenantsResume:
      return RunAccessCommand(invocation, client, io);
    case Command::kBackup:
      return RunBackup(invocation, client, io);
    case Command::kHealth:
      return RunHealth(invocation, client, io);
  }
  return absl::InternalError("unknown command");
}

}  // namespace pollinator
