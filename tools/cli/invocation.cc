// Validates the command line into an Invocation (see invocation.h).
#include "tools/cli/invocation.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "tools/cli/challenge_commands.h"
#include "tools/cli/import_source.h"

namespace pollinator {
namespace {

constexpr int32_t kMaxPageSize = 1000;

struct CommandSpec {
  absl::string_view name;
  absl::string_view argument;  // the one positional argument, or empty
  Command command;
  bool needs_tenant;
};

constexpr CommandSpec kCommands[] = {
    {"import", "FILE", Command::kImport, true},
    {"export", "", Command::kExport, true},
    {"get", "ID", Command::kGet, true},
    {"delete", "ID", Command::kDelete, true},
    {"list", "", Command::kList, true},
    {"match", "", Command::kMatch, true},
    {"interact", "", Command::kInteract, true},
    {"history", "", Command::kHistory, true},
    {"train-ranker", "", Command::kTrainRanker, true},
    {"cohort", "", Command::kCohort, true},
    {"solvers", "", Command::kSolvers, true},
    {"challenges", "", Command::kChallenges, true},
    {"gaps", "", Command::kGaps, true},
    {"keys create", "", Command::kKeysCreate, true},
    {"keys list", "", Command::kKeysList, true},
    {"keys revoke", "KEY_ID", Command::kKeysRevoke, true},
    {"tenants create", "NAME", Command::kTenantsCreate, false},
    {"tenants list", "", Command::kTenantsList, false},
    {"tenants delete", "NAME", Command::kTenantsDelete, false},
    {"tenants suspend", "NAME", Command::kTenantsSuspend, false},
    {"tenants resume", "NAME", Command::kTenantsResume, false},
    {"backup", "NAME", Command::kBackup, false},
    {"health", "", Command::kHealth, false},
};

absl::StatusOr<CommandSpec> FindCommand(absl::string_view name) {
  for (const CommandSpec& spec : kCommands) {
    if (spec.name == name) return spec;
  }
  std::vector<absl::string_view> names;
  for (const CommandSpec& spec : kCommands) names.push_back(spec.name);
  const absl::string_view last = names.back();
  names.pop_back();
  return absl::InvalidArgumentError(
      absl::StrCat("unknown command \"", name, "\"; commands are ",
                   absl::StrJoin(names, ", "), " and ", last));
}

absl::Status CheckArguments(const CommandSpec& spec,
                            absl::Span<const std::string> arguments) {
  if (spec.argument.empty() && !arguments.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(spec.name, " takes no arguments, got \"",
                     absl::StrJoin(arguments, " "), "\""));
  }
  if (!spec.argument.empty() && arguments.size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(spec.name, " takes exactly one argument, ", spec.argument,
                     "; got ", arguments.size()));
  }
  if (!spec.argument.empty() && arguments[0].empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(spec.name, ": ", spec.argument, " is empty"));
  }
  return absl::OkStatus();
}

absl::Status CheckConnection(const FlagValues& flags) {
  if (flags.server.empty()) {
    return absl::InvalidArgumentError("--server is empty");
  }
  if (flags.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--timeout must be positive, got ",
                     absl::FormatDuration(flags.timeout)));
  }
  if (flags.tls_cert_file.empty() != flags.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert_file and --tls_key_file go together (the client "
        "certificate of mutual TLS and its key)");
  }
  return absl::OkStatus();
}

absl::Status SetListRequest(const FlagValues& flags, Invocation* invocation) {
  if (flags.page_size < 1 || flags.page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--page_size must be 1 to ", kMaxPageSize, ", got ", flags.page_size));
  }
  invocation->list_request.set_tenant(invocation->tenant);
  invocation->list_request.set_page_size(flags.page_size);
  invocation->list_request.set_page_token(flags.page_token);
  invocation->list_all = flags.all;
  return absl::OkStatus();
}

absl::Status SetTrainRequest(const FlagValues& flags, Invocation* invocation) {
  const double share = flags.validation_share;
  if (share != 0 && !(share >= 0.05 && share <= 0.5)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--validation_share must be 0.05 to 0.5, got ", share));
  }
  if (flags.max_queries < 0 || flags.max_queries > 10000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max_queries must be 0 to 10000, got ", flags.max_queries));
  }
  const double floor = flags.match.min_relevance;
  if (floor >= 0 || std::isnan(floor)) {
    if (!(floor <= 1)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--min_relevance must be 0 to 1, got ", floor));
    }
    invocation->train_request.set_min_relevance(floor);
  }
  invocation->train_request.set_tenant(invocation->tenant);
  invocation->train_request.set_validation_share(share);
  invocation->train_request.set_max_queries(flags.max_queries);
  return absl::OkStatus();
}

absl::Status SetCommandOptions(const FlagValues& flags,
                               Invocation* invocation) {
  switch (invocation->command) {
    case Command::kImport:
      if (flags.batch_size < 1) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--batch_size must be at least 1, got ", flags.batch_size));
      }
      invocation->batch_size = flags.batch_size;
      if (!flags.format.empty()) {
        absl::StatusOr<ImportFormat> format = ParseImportFormat(flags.format);
        if (!format.ok()) return format.status();
      }
      invocation->import_format = flags.format;
      return absl::OkStatus();
    case Command::kExport:
      invocation->export_output = flags.output;
      invocation->export_profile = flags.match.profile;
      return absl::OkStatus();
    case Command::kList:
      return SetListRequest(flags, invocation);
    case Command::kMatch: {
      absl::StatusOr<v1::FindPartnersRequest> request =
          BuildFindPartnersRequest(flags.match, invocation->tenant);
      if (!request.ok()) return request.status();
      invocation->match_request = *std::move(request);
      return absl::OkStatus();
    }
    case Command::kInteract: {
      absl::StatusOr<v1::RecordInteractionRequest> request =
          BuildRecordInteractionRequest(flags.interact, invocation->tenant);
      if (!request.ok()) return request.status();
      invocation->interact_request = *std::move(request);
      return absl::OkStatus();
    }
    case Command::kHistory: {
      absl::StatusOr<v1::ListInteractionsRequest> request =
          BuildListInteractionsRequest(flags.history, invocation->tenant);
      if (!request.ok()) return request.status();
      invocation->history_request = *std::move(request);
      invocation->history_limit = flags.history.limit;
      return absl::OkStatus();
    }
    case Command::kTrainRanker:
      return SetTrainRequest(flags, invocation);
    case Command::kKeysCreate: {
      if (flags.role == "reader") {
        invocation->key_role = v1::KEY_ROLE_READER;
      } else if (flags.role == "writer") {
        invocation->key_role = v1::KEY_ROLE_WRITER;
      } else if (flags.role == "admin") {
        invocation->key_role = v1::KEY_ROLE_ADMIN;
      } else {
        return absl::InvalidArgumentError(absl::StrCat(
            "keys create needs --role=reader, writer or admin, got \"",
            flags.role, "\""));
      }
      invocation->label = flags.label;
      return absl::OkStatus();
    }
    case Command::kTenantsCreate:
      invocation->label = flags.label;
      return absl::OkStatus();
    case Command::kCohort: {
      absl::StatusOr<v1::ScreenCohortRequest> request =
          BuildScreenCohortRequest(flags.cohort, invocation->tenant);
      if (!request.ok()) return request.status();
      invocation->cohort_request = *std::move(request);
      invocation->cohort_file = flags.cohort.cohort;
      return absl::OkStatus();
    }
    case Command::kSolvers: {
      absl::StatusOr<v1::FindSolversRequest> request = BuildFindSolversRequest(flags.match, invocation->tenant);
      if (!request.ok()) return request.status();
      invocation->solvers_request = *std::move(request);
      return absl::OkStatus();
    }
    case Command::kChallenges: {
      absl::StatusOr<v1::FindChallengesRequest> request = BuildFindChallengesRequest(flags.match, invocation->tenant);
      if (!request.ok()) return request.status();
      invocation->challenges_request = *std::move(request);
      return absl::OkStatus();
    }
    case Command::kGaps:
      if (flags.match.min_relevance > 1) {
        return absl::InvalidArgumentError("--min_relevance: must be 0 to 1");
      }
      invocation->gaps_request.set_tenant(invocation->tenant);
      if (flags.match.min_relevance >= 0) invocation->gaps_request.set_min_relevance(flags.match.min_relevance);
      return absl::OkStatus();
    case Command::kKeysList:
    case Command::kKeysRevoke:
    case Command::kTenantsList:
    case Command::kTenantsDelete:
    case Command::kTenantsSuspend:
    case Command::kTenantsResume:
    case Command::kBackup:
    case Command::kGet:
    case Command::kDelete:
    case Command::kHealth:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Invocation> ParseInvocation(
    absl::Span<const std::string> positional, const FlagValues& flags) {
  if (positional.empty()) {
    return absl::InvalidArgumentError("missing command");
  }
  // `keys` and `tenants` take a subcommand: "keys create" is one command.
  std::string name = positional[0];
  size_t consumed = 1;
  if (name == "keys" || name == "tenants") {
    if (positional.size() < 2) {
      return absl::InvalidArgumentError(absl::StrCat(
          name, " needs a subcommand: ",
          name == "keys" ? "create, list or revoke"
                         : "create, list, delete, suspend or resume"));
    }
    absl::StrAppend(&name, " ", positional[1]);
    consumed = 2;
  }
  absl::StatusOr<CommandSpec> spec = FindCommand(name);
  if (!spec.ok()) return spec.status();
  absl::Status status = CheckArguments(*spec, positional.subspan(consumed));
  if (status.ok()) status = CheckConnection(flags);
  if (!status.ok()) return status;
  // Operator commands fall back to the operator key.
  const bool manages_tenants = absl::StartsWith(spec->name, "tenants ") || spec->command == Command::kBackup;
  std::string key = flags.key;
  if (key.empty() && manages_tenants) key = flags.env_admin_key;
  if (key.empty()) key = flags.env_key;
  // A key names its tenant; --tenant then only has to agree with it.
  if (spec->needs_tenant && flags.tenant.empty() && key.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--tenant is required for ", spec->name,
        " (or --key / POLLINATOR_KEY, whose tenant is used)"));
  }
  Invocation invocation;
  invocation.command = spec->command;
  invocation.server = flags.server;
  invocation.tls = {flags.tls_ca_file, flags.tls_cert_file, flags.tls_key_file};
  invocation.timeout = flags.timeout;
  invocation.tenant = spec->needs_tenant ? flags.tenant : "";
  invocation.key = key;
  invocation.json = flags.json;
  if (!spec->argument.empty()) invocation.argument = positional[consumed];
  status = SetCommandOptions(flags, &invocation);
  if (!status.ok()) return status;
  return invocation;
}

}  // namespace pollinator
