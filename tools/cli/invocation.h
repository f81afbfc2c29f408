// Turns the command line of `pollinator` (positional arguments plus flag
// values) into an Invocation: which command to run, against which server, with
// which requests. Every usage error is found here, before any RPC, so that
// main can report it with exit status 2.
//
//   FlagValues flags;  // main copies the parsed absl flags in here
//   flags.tenant = "acme";
//   absl::StatusOr<Invocation> invocation =
//       ParseInvocation({"get", "smb-1"}, flags);
#ifndef POLLINATOR_TOOLS_CLI_INVOCATION_H_
#define POLLINATOR_TOOLS_CLI_INVOCATION_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pollinator/v1/access.pb.h"
#include "pollinator/v1/matching.pb.h"
#include "pollinator/v1/service.pb.h"
#include "pollinator/v1/challenge.pb.h"
#include "pollinator/v1/ecosystem.pb.h"
#include "tools/cli/cohort_command.h"
#include "tools/cli/interaction_flags.h"
#include "tools/cli/match_flags.h"

namespace pollinator {

// Every flag of `pollinator`, with its default. main defines the absl flags
// from these defaults and copies their parsed values back in.
struct FlagValues {
  std::string server = "localhost:50051";      // --server: HOST:PORT
  std::string tenant;                          // --tenant: all but `health`
  // --key: the API key sent with every call; empty falls back to the
  // environment (below).
  std::string key;
  // --tls_ca_file: TLS, trusting this CA bundle (PEM); --tls_cert_file and
  // --tls_key_file: the client's certificate for mutual TLS. All empty:
  // plaintext.
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string env_key;        // $POLLINATOR_KEY
  std::string env_admin_key;  // $POLLINATOR_ADMIN_KEY: `tenants` prefers it
  std::string role;           // --role: keys create: reader, writer, admin
  std::string label;          // --label: keys create, tenants create
  bool json = false;                           // --json: JSON output
  absl::Duration timeout = absl::Seconds(30);  // --timeout: per-RPC deadline
  int32_t batch_size = 200;  // --batch_size: import records per batch
  // --format: import: jsonl, csv or cordis; empty = by FILE's name.
  std::string format;
  std::string output;  // --output: export: the file; empty = stdout
  int32_t page_size = 100;   // --page_size: list page size, 1 to 1000
  std::string page_token;    // --page_token: list start page; empty = first
  bool all = false;          // --all: list follows next_page_token to the end
  MatchFlags match;          // the `match` flags
  InteractFlags interact;    // the `interact` flags
  // The `history` flags; its --profile is the same flag as match's.
  HistoryFlags history;
  // train-ranker: 0 leaves the server's default (its --min_relevance is
  // match's flag).
  double validation_share = 0;  // --validation_share: 0.05 to 0.5
  int32_t max_queries = 0;      // --max_queries: 0 to 10000
  CohortFlags cohort;           // the `cohort` flags
};

enum class Command {
  kImport,
  kExport,
  kGet,
  kDelete,
  kList,
  kMatch,
  kInteract,
  kHistory,
  kTrainRanker,
  kCohort,
  kSolvers,
  kChallenges,
  kGaps,
  kKeysCreate,
  kKeysList,
  kKeysRevoke,
  kTenantsCreate,
  kTenantsList,
  kTenantsDelete,
  kTenantsSuspend,
  kTenantsResume,
  kBackup,
  kHealth
};

// How the channel is secured: plaintext while every file is empty; with
// only a certificate and key, TLS trusting the system's CAs.
struct ClientTls {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  bool enabled() const { return !ca_file.empty() || !cert_file.empty(); }
};

// A validated command, ready to run.
struct Invocation {
  Command command = Command::kHealth;
  std::string server;
  ClientTls tls;
  // Deadline of each RPC; absl::InfiniteDuration() for none.
  absl::Duration timeout = absl::Seconds(30);
  std::string tenant;  // empty for `health`, `tenants` and calls by key
  // Sent as "authorization: Bearer <key>"; empty for none.
  std::string key;
  v1::KeyRole key_role = v1::KEY_ROLE_UNSPECIFIED;  // keys create
  std::string label;  // keys create, tenants create
  bool json = false;
  // import: FILE ("-" for stdin); get, delete: ID; keys revoke: KEY_ID;
  // tenants create/delete/suspend/resume: NAME.
  std::string argument;
  int32_t batch_size = 200;                       // import
  std::string import_format;                      // import: as --format
  std::string export_output;                      // export: --output
  std::string export_profile;                     // export: --profile
  v1::ListProfilesRequest list_request;           // list: the first page
  bool list_all = false;                          // list
  v1::FindPartnersRequest match_request;          // match
  v1::RecordInteractionRequest interact_request;  // interact
  v1::ListInteractionsRequest history_request;    // history: the first page
  int32_t history_limit = 0;  // history: at most this many; 0 means all
  v1::TrainRankerRequest train_request;           // train-ranker
  v1::ScreenCohortRequest cohort_request;         // cohort: all but the members
  std::string cohort_file;                        // cohort: the members' CSV
  v1::FindSolversRequest solvers_request;         // solvers
  v1::FindChallengesRequest challenges_request;   // challenges
  v1::AnalyzeEcosystemRequest gaps_request;       // gaps
};

// `positional` starts with the command name. Errors are InvalidArgument with a
// one-line message for the user.
absl::StatusOr<Invocation> ParseInvocation(
    absl::Span<const std::string> positional, const FlagValues& flags);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_INVOCATION_H_
