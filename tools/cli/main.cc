// Entry point of `pollinator`, the command-line client of the Pollinator
// service: defines the flags, turns the command line into an Invocation and
// runs it over a gRPC channel.
//
// Exit status: 0 success, 1 an RPC or data error ("error: CODE: message" on
// stderr), 2 a usage error (one line plus a pointer to --help).
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tools/cli/command_io.h"
#include "tools/cli/command_line.h"
#include "tools/cli/commands.h"
#include "tools/cli/grpc_pollinator_client.h"
#include "tools/cli/invocation.h"
#include "tools/cli/names.h"
#include "tools/cli/usage.h"

// The flags and their defaults; UsageText() documents them.
ABSL_FLAG(std::string, server, pollinator::FlagValues().server,
          "server address, HOST:PORT");
ABSL_FLAG(std::string, tenant, "", "tenant; required by all but health");
ABSL_FLAG(std::string, key, "", "API key; default $POLLINATOR_KEY");
ABSL_FLAG(std::string, tls_ca_file, "", "TLS, trusting this PEM CA bundle");
ABSL_FLAG(std::string, tls_cert_file, "", "mutual TLS: the client's PEM certificate");
ABSL_FLAG(std::string, tls_key_file, "", "mutual TLS: its PEM private key");
ABSL_FLAG(std::string, role, "", "keys create: reader, writer or admin");
ABSL_FLAG(std::string, label, "", "keys create, tenants create: the key's label");
ABSL_FLAG(bool, json, false, "print protobuf JSON instead of tables");
ABSL_FLAG(absl::Duration, timeout, pollinator::FlagValues().timeout,
          "deadline of each RPC");
ABSL_FLAG(int32_t, batch_size, pollinator::FlagValues().batch_size,
          "import: records per batch");
ABSL_FLAG(std::string, format, "",
          "import: jsonl, csv or cordis; default: by FILE's name");
ABSL_FLAG(std::string, output, "", "export: write to this file, not stdout");
ABSL_FLAG(int32_t, page_size, pollinator::FlagValues().page_size,
          "list: profiles per page");
ABSL_FLAG(std::string, page_token, "", "list: page to start from");
ABSL_FLAG(bool, all, false, "list: follow the pages to the end");
ABSL_FLAG(std::string, profile, "",
          "match: query by this profile; history: whose interactions");
ABSL_FLAG(std::string, text, "", "match: query by this text");
ABSL_FLAG(std::string, vector, "", "match: query by this embedding");
ABSL_FLAG(std::string, item, "", "match: only this need or offer");
ABSL_FLAG(std::string, direction, pollinator::MatchFlags().direction,
          "match: needs or offers");
ABSL_FLAG(int32_t, top_k, pollinator::MatchFlags().top_k,
          "match: number of suggestions");
ABSL_FLAG(std::string, kinds, "", "match: partner kinds");
ABSL_FLAG(std::string, countries, "", "match: partner countries");
ABSL_FLAG(std::string, components, "", "match: components of the partner item");
ABSL_FLAG(std::string, sectors, "", "match: NACE code prefixes");
ABSL_FLAG(double, max_km, 0, "match: maximum distance in km; 0 = no limit");
ABSL_FLAG(std::string, exclude, "", "match: profile ids to leave out");
ABSL_FLAG(std::string, reciprocity, "",
          "match: harmonic, arithmetic or off; empty = the server's default");
ABSL_FLAG(double, diversity, pollinator::MatchFlags().diversity,
          "match: 0 to 1, trade score for varied partners");
ABSL_FLAG(int32_t, max_per_kind, pollinator::MatchFlags().max_per_kind,
          "match: at most this many suggestions per kind; 0 = no cap");
ABSL_FLAG(double, min_relevance, pollinator::MatchFlags().min_relevance,
          "match: 0 to 1, text fit a partner needs; negative = the server's default (0.2)");
ABSL_FLAG(std::string, from, "", "interact: the profile that acted");
ABSL_FLAG(std::string, to, "", "interact: the profile acted upon");
ABSL_FLAG(std::string, type, "", "interact: what happened");
ABSL_FLAG(std::string, reason, "", "interact: why it was declined");
ABSL_FLAG(std::string, note, "", "interact: free text");
ABSL_FLAG(int32_t, limit, pollinator::HistoryFlags().limit,
          "history: at most this many interactions; 0 = all");
ABSL_FLAG(std::string, cohort, "", "cohort: CSV of members (a profile_id column)");
ABSL_FLAG(std::string, pool_kinds, "", "cohort: partner kinds");
ABSL_FLAG(std::string, pool_components, "", "cohort: components of the partner's offer");
ABSL_FLAG(std::string, pool_ids, "", "cohort: only these partners");
ABSL_FLAG(int32_t, per_member, pollinator::CohortFlags().per_member, "cohort: partners per member");
ABSL_FLAG(int32_t, capacity, pollinator::CohortFlags().capacity, "cohort: members per partner");
ABSL_FLAG(std::string, capacity_overrides, "", "cohort: PARTNER:N,...");
ABSL_FLAG(std::string, conflicts, "", "cohort: MEMBER:PARTNER pairs never assigned");
ABSL_FLAG(std::string, must_include, "", "cohort: MEMBER:PARTNER pairs always assigned");
ABSL_FLAG(int32_t, alternatives, pollinator::CohortFlags().alternatives, "cohort: alternatives per member");
ABSL_FLAG(double, validation_share, pollinator::FlagValues().validation_share,
          "train-ranker: share of the latest outcomes that validate; 0 = the server's default (0.2)");
ABSL_FLAG(int32_t, max_queries, pollinator::FlagValues().max_queries,
          "train-ranker: most recent askers to train on; 0 = the server's default (1000)");

namespace pollinator {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

MatchFlags ReadMatchFlags() {
  MatchFlags match;
  match.profile = absl::GetFlag(FLAGS_profile);
  match.text = absl::GetFlag(FLAGS_text);
  match.vector = absl::GetFlag(FLAGS_vector);
  match.item = absl::GetFlag(FLAGS_item);
  match.direction = absl::GetFlag(FLAGS_direction);
  match.top_k = absl::GetFlag(FLAGS_top_k);
  match.kinds = absl::GetFlag(FLAGS_kinds);
  match.countries = absl::GetFlag(FLAGS_countries);
  match.components = absl::GetFlag(FLAGS_components);
  match.sectors = absl::GetFlag(FLAGS_sectors);
  match.max_km = absl::GetFlag(FLAGS_max_km);
  match.exclude = absl::GetFlag(FLAGS_exclude);
  match.reciprocity = absl::GetFlag(FLAGS_reciprocity);
  match.diversity = absl::GetFlag(FLAGS_diversity);
  match.max_per_kind = absl::GetFlag(FLAGS_max_per_kind);
  match.min_relevance = absl::GetFlag(FLAGS_min_relevance);
  return match;
}

InteractFlags ReadInteractFlags() {
  InteractFlags interact;
  interact.from = absl::GetFlag(FLAGS_from);
  interact.to = absl::GetFlag(FLAGS_to);
  interact.type = absl::GetFlag(FLAGS_type);
  interact.reason = absl::GetFlag(FLAGS_reason);
  interact.note = absl::GetFlag(FLAGS_note);
  return interact;
}

HistoryFlags ReadHistoryFlags() {
  HistoryFlags history;
  history.profile = absl::GetFlag(FLAGS_profile);
  history.limit = absl::GetFlag(FLAGS_limit);
  return history;
}

FlagValues ReadFlagValues() {
  FlagValues flags;
  flags.server = absl::GetFlag(FLAGS_server);
  flags.tenant = absl::GetFlag(FLAGS_tenant);
  flags.key = absl::GetFlag(FLAGS_key);
  flags.tls_ca_file = absl::GetFlag(FLAGS_tls_ca_file);
  flags.tls_cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  flags.tls_key_file = absl::GetFlag(FLAGS_tls_key_file);
  if (const char* key = std::getenv("POLLINATOR_KEY")) flags.env_key = key;
  if (const char* key = std::getenv("POLLINATOR_ADMIN_KEY")) {
    flags.env_admin_key = key;
  }
  flags.role = absl::GetFlag(FLAGS_role);
  flags.label = absl::GetFlag(FLAGS_label);
  flags.json = absl::GetFlag(FLAGS_json);
  flags.timeout = absl::GetFlag(FLAGS_timeout);
  flags.batch_size = absl::GetFlag(FLAGS_batch_size);
  flags.format = absl::GetFlag(FLAGS_format);
  flags.output = absl::GetFlag(FLAGS_output);
  flags.page_size = absl::GetFlag(FLAGS_page_size);
  flags.page_token = absl::GetFlag(FLAGS_page_token);
  flags.all = absl::GetFlag(FLAGS_all);
  flags.match = ReadMatchFlags();
  flags.interact = ReadInteractFlags();
  flags.history = ReadHistoryFlags();
  flags.validation_share = absl::GetFlag(FLAGS_validation_share);
  flags.max_queries = absl::GetFlag(FLAGS_max_queries);
  flags.cohort.cohort = absl::GetFlag(FLAGS_cohort);
  flags.cohort.pool_kinds = absl::GetFlag(FLAGS_pool_kinds);
  flags.cohort.pool_components = absl::GetFlag(FLAGS_pool_components);
  flags.cohort.pool_ids = absl::GetFlag(FLAGS_pool_ids);
  flags.cohort.per_member = absl::GetFlag(FLAGS_per_member);
  flags.cohort.capacity = absl::GetFlag(FLAGS_capacity);
  flags.cohort.capacity_overrides = absl::GetFlag(FLAGS_capacity_overrides);
  flags.cohort.conflicts = absl::GetFlag(FLAGS_conflicts);
  flags.cohort.must_include = absl::GetFlag(FLAGS_must_include);
  flags.cohort.alternatives = absl::GetFlag(FLAGS_alternatives);
  return flags;
}

int UsageError(const absl::Status& status) {
  std::cerr << "pollinator: " << status.message()
            << "\nrun `pollinator --help`\n";
  return kExitUsage;
}

int Main(const std::vector<std::string>& args) {
  absl::StatusOr<CommandLine> command_line = ParseCommandLine(args);
  if (!command_line.ok()) return UsageError(command_line.status());
  if (command_line->help_requested) {
    std::cout << UsageText();
    return kExitOk;
  }
  absl::StatusOr<Invocation> invocation =
      ParseInvocation(command_line->positional, ReadFlagValues());
  if (!invocation.ok()) return UsageError(invocation.status());
  absl::StatusOr<std::unique_ptr<GrpcPollinatorClient>> client =
      GrpcPollinatorClient::Connect(invocation->server, invocation->timeout,
                                    invocation->key, invocation->tls);
  if (!client.ok()) return UsageError(client.status());
  const CommandIo io{std::cin, std::cout, std::cerr, &absl::Now};
  const absl::Status status = RunInvocation(*invocation, **client, io);
  std::cout.flush();
  if (status.ok()) return kExitOk;
  std::cerr << "error: " << FormatStatus(status) << "\n";
  return kExitFailure;
}

}  // namespace
}  // namespace pollinator

int main(int argc, char** argv) {
  return pollinator::Main(std::vector<std::string>(argv + 1, argv + argc));
}
