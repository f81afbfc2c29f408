// pollinatord: the Pollinator gRPC server.
//
// Serves pollinator.v1.ProfileService, MatchService, InteractionService,
// CohortService, ChallengeService, EcosystemService, TransferService,
// KeyService and TenantService with health checking and reflection on
// --listen, checking API keys (unless
// --auth=none), keeping data in --data_dir. SIGTERM or SIGINT drain
// in-flight calls, save indexes and flush the database before exit; further
// signals during that do not interrupt it. SIGHUP re-reads
// --tenant_limits_file.
#include <fcntl.h>
#include <signal.h>
#include <sys/select.h>
#include <unistd.h>

#include <cerrno>

#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/internal/usage.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/strip.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "index/concepts.h"
#include "index/match_scoring.h"
#include "services/backup/backup.h"
#include "services/calls/call_workers.h"
#include "services/observability/log.h"
#include "services/sample_loader.h"
#include "services/server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "Address to serve on, HOST:PORT (port 0 picks a free port).");
ABSL_FLAG(std::string, http_listen, "",
          "Also serve JSON over HTTP on HOST:PORT (routes in /v1/openapi.yaml); empty: no HTTP.");
ABSL_FLAG(int64_t, http_max_body_bytes, 8 << 20, "HTTP request bodies larger than this get 413.");
ABSL_FLAG(double, tenant_requests_per_second, 0,
          "Calls each tenant may make per second, in bursts of up to a second's worth; over it, RESOURCE_EXHAUSTED "
          "(HTTP 429). 0: no limit.");
ABSL_FLAG(int64_t, tenant_max_profiles, 0, "Profiles each tenant may store (RESOURCE_EXHAUSTED past it); 0: no limit.");
ABSL_FLAG(int64_t, tenant_max_bytes, 0,
          "Bytes of profiles and vectors each tenant may store (RESOURCE_EXHAUSTED past it); 0: no limit.");
ABSL_FLAG(std::string, tenant_limits_file, "",
          "Per-tenant overrides of the three --tenant_* limits, one tenant per line: `TENANT "
          "[requests_per_second=N] [max_profiles=N] [max_bytes=N]` (# comments; 0: no limit). Re-read on SIGHUP.");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain: serve TLS on --listen and --http_listen (HTTPS). Empty: plaintext.");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file.");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA bundle: mutual TLS, every client must present a certificate this CA signed (on both ports).");
ABSL_FLAG(std::string, auth, "keys",
          "keys: every call needs an API key (authorization: Bearer <key>) and tenants are managed with the operator "
          "key; none: no keys, for local development only (listens on loopback only).");
ABSL_FLAG(std::string, admin_key_file, "",
          "File holding the operator key (at least 32 bytes; surrounding whitespace ignored) that creates, lists, "
          "suspends and deletes tenants. Default: the POLLINATOR_ADMIN_KEY environment variable.");
ABSL_FLAG(std::string, data_dir, "var/pollinator",
          "Data folder: RocksDB in DIR/db, FAISS index files in DIR/index. Created if missing.");
ABSL_FLAG(std::string, log_format, "text",
          "Log lines on stderr as text (\"pollinatord: ...\") or json (one object per line: time, level, message or "
          "event and its fields).");
ABSL_FLAG(bool, log_requests, false,
          "Log one line per call (HTTP requests included): request id (the client's x-request-id, or a new one, "
          "sent back as x-request-id), method, code, milliseconds.");
ABSL_FLAG(bool, log_debug, false,
          "Add error messages, which may quote what clients sent, to request lines. Off: the log never holds need "
          "or offer texts.");
ABSL_FLAG(std::string, backup_dir, "",
          "Folder that BackupService.CreateBackup (`pollinator backup`, operator key) writes backups into, one "
          "sub-folder each. Empty: backups are off.");
ABSL_FLAG(std::string, restore_from, "",
          "A backup folder (from `pollinator backup`) to copy into --data_dir before starting; refused when "
          "--data_dir already holds a database. The copy is checked against its checksums first.");
ABSL_FLAG(std::string, samples, "",
          "JSON Lines file of profiles to load into --samples_tenant when that tenant is empty "
          "(e.g. data/samples/ecosystem.jsonl).");
ABSL_FLAG(std::string, samples_tenant, "demo", "Tenant that --samples is loaded into.");
ABSL_FLAG(std::string, weights, "",
          "Ranking weights to override, e.g. \"prior_share=0.4,semantic=0.4,lexical=0.6\". Relevance shares: "
          "semantic, lexical (sum 1); how far priors move a score: prior_share (0 to 1); prior shares: geography, "
          "sector, kind_fit, experience, network (sum 1). Empty: the defaults of index/match_scoring.h.");
ABSL_FLAG(int, dimension, 256, "Vector dimension of the built-in embedder for new tenants (8 to 4096).");
ABSL_FLAG(absl::Duration, index_save_interval, absl::Minutes(1),
          "How often changed FAISS indexes are saved; they are always saved on shutdown.");
ABSL_FLAG(absl::Duration, ranker_training_interval, absl::Hours(24),
          "How often each tenant with new outcomes gets its ranking model retrained (activated only if it ranks the "
          "latest outcomes better than the current ranking); 0 turns it off. TrainRanker trains on demand.");
ABSL_FLAG(int, call_workers, 0,
          "Threads that run calls (gRPC's own threads only hand calls over); 0: two per core, at least 4.");
ABSL_FLAG(int, max_queued_calls, 0,
          "Calls that may wait for a free worker; past that a call gets RESOURCE_EXHAUSTED at once. 0: 64 per worker.");
ABSL_FLAG(absl::Duration, drain_timeout, absl::Seconds(10),
          "On SIGTERM/SIGINT, how long in-flight calls may run before they are cancelled.");

namespace pollinator {
namespace {

// Shutdown signals, and SIGHUP, are turned into a byte on this pipe by a
// handler. Every thread but the one waiting for them has them blocked, so
// the handler only runs on a thread that is ready for it: the waiting thread,
// inside pselect(). A handler, rather than sigwait alone, because libraries
// such as OpenBLAS start threads before main runs; those threads do not have
// the signals blocked, and a second Ctrl-C delivered to one of them must not
// kill the process in the middle of saving.
int signal_pipe[2] = {-1, -1};
constexpr int kHandledSignals[] = {SIGINT, SIGTERM, SIGHUP};

extern "C" void OnSignal(int signal_number) {
  const int saved_errno = errno;  // The interrupted thread may be reading it.
  const char byte = static_cast<char>(signal_number);
  // Nothing useful can be done if the pipe is full: a byte is already there.
  [[maybe_unused]] const ssize_t ignored = write(signal_pipe[1], &byte, 1);
  errno = saved_errno;
}

sigset_t HandledSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int signal_number : kHandledSignals) sigaddset(&set, signal_number);
  return set;
}

// Installs the handler and blocks the signals in this thread, before it
// starts any other: the threads it starts inherit the mask.
absl::Status InstallSignalHandlers() {
  if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  struct sigaction action = {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int signal_number : kHandledSignals) {
    if (sigaction(signal_number, &action, nullptr) != 0) {
      return absl::InternalError(absl::StrCat("sigaction: ", std::strerror(errno)));
    }
  }
  const sigset_t handled = HandledSignals();
  if (const int error = pthread_sigmask(SIG_BLOCK, &handled, nullptr); error != 0) {
    return absl::InternalError(absl::StrCat("pthread_sigmask: ", std::strerror(error)));
  }
  return absl::OkStatus();
}

// Blocks until SIGINT, SIGTERM or SIGHUP arrives and returns which. The
// signals are unblocked only inside pselect(); during shutdown they stay
// blocked here and only add bytes to the pipe, so it is never interrupted.
int WaitForSignal() {
  sigset_t waiting;
  pthread_sigmask(SIG_BLOCK, nullptr, &waiting);
  for (int signal_number : kHandledSignals) sigdelset(&waiting, signal_number);
  fd_set readable;
  char byte = 0;
  // The pipe is read before every wait: a byte may already be there, and a
  // handler deferred past pselect() (ThreadSanitizer runs them at the next
  // call it intercepts, such as this read) has then written it.
  while (read(signal_pipe[0], &byte, 1) != 1) {
    FD_ZERO(&readable);
    FD_SET(signal_pipe[0], &readable);
    pselect(signal_pipe[0] + 1, &readable, nullptr, nullptr, nullptr, &waiting);
  }
  return byte;
}

// Fills options.access from --auth, --admin_key_file and POLLINATOR_ADMIN_KEY.
absl::Status ConfigureAccess(AccessOptions& access) {
  const std::string mode = absl::GetFlag(FLAGS_auth);
  if (mode == "none") {
    access.enforce = false;
    LogWarning("--auth=none: no API keys are checked; any caller can read and change every tenant. For local "
               "development only.");
    return absl::OkStatus();
  }
  if (mode != "keys") return absl::InvalidArgumentError(absl::StrCat("--auth: \"", mode, "\" is not keys or none"));
  access.enforce = true;
  if (const std::string path = absl::GetFlag(FLAGS_admin_key_file); !path.empty()) {
    std::ifstream file(path);
    if (!file) return absl::NotFoundError(absl::StrCat("--admin_key_file: cannot read ", path));
    std::stringstream text;
    text << file.rdbuf();
    access.operator_key = std::string(absl::StripAsciiWhitespace(text.str()));
    if (access.operator_key.empty()) return absl::InvalidArgumentError(absl::StrCat("--admin_key_file: ", path, " is empty"));
  } else if (const char* env = std::getenv("POLLINATOR_ADMIN_KEY"); env != nullptr && *env != '\0') {
    access.operator_key = std::string(absl::StripAsciiWhitespace(env));
  } else {
    return absl::InvalidArgumentError(
        "--auth=keys needs the operator key: pass --admin_key_file=FILE or set POLLINATOR_ADMIN_KEY "
        "(e.g. `head -c 32 /dev/urandom | base64 > operator.key`), or run with --auth=none on loopback for "
        "local development");
  }
  return absl::OkStatus();
}

int Run() {
  // First, before a restore or the server start any thread.
  if (absl::Status s = InstallSignalHandlers(); !s.ok()) {
    std::cerr << "pollinatord: " << s.ToString() << "\n";
    return EXIT_FAILURE;
  }
  absl::StatusOr<LogFormat> log_format = ParseLogFormat(absl::GetFlag(FLAGS_log_format));
  if (!log_format.ok()) {
    std::cerr << "pollinatord: " << log_format.status().message() << "\n";
    return EXIT_FAILURE;
  }
  ConfigureLog({*log_format, absl::GetFlag(FLAGS_log_requests), absl::GetFlag(FLAGS_log_debug)});
  ServerOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  if (absl::Status s = ConfigureAccess(options.access); !s.ok()) {
    LogError(s.message());
    return EXIT_FAILURE;
  }
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.backup_dir = absl::GetFlag(FLAGS_backup_dir);
  if (const std::string backup = absl::GetFlag(FLAGS_restore_from); !backup.empty()) {
    LogInfo(absl::StrCat("restoring ", backup, " into ", options.data_dir));
    if (absl::Status s = RestoreBackup(backup, options.data_dir); !s.ok()) {
      LogError(absl::StrCat("cannot restore: ", s.ToString()));
      return EXIT_FAILURE;
    }
  }
  options.http.listen = absl::GetFlag(FLAGS_http_listen);
  options.http.max_body_bytes = static_cast<size_t>(std::max<int64_t>(0, absl::GetFlag(FLAGS_http_max_body_bytes)));
  options.tenant_limits.requests_per_second = absl::GetFlag(FLAGS_tenant_requests_per_second);
  options.tenant_limits.max_profiles = absl::GetFlag(FLAGS_tenant_max_profiles);
  options.tenant_limits.max_stored_bytes = absl::GetFlag(FLAGS_tenant_max_bytes);
  options.tenant_limits_file = absl::GetFlag(FLAGS_tenant_limits_file);
  options.tls.cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  options.tls.key_file = absl::GetFlag(FLAGS_tls_key_file);
  options.tls.client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  options.embedder.dimension = absl::GetFlag(FLAGS_dimension);
  options.index_save_interval = absl::GetFlag(FLAGS_index_save_interval);
  options.ranker_training_interval = absl::GetFlag(FLAGS_ranker_training_interval);
  if (absl::Status s = CallWorkers::Configure({absl::GetFlag(FLAGS_call_workers), absl::GetFlag(FLAGS_max_queued_calls)});
      !s.ok()) {
    LogError(absl::StrCat("--call_workers, --max_queued_calls: ", s.message()));
    return EXIT_FAILURE;
  }
  // Started here, so that its threads inherit the blocked signals.
  CallWorkers::Shared();
  if (const std::string weights = absl::GetFlag(FLAGS_weights); !weights.empty()) {
    absl::StatusOr<ScoringWeights> parsed = ParseScoringWeights(weights);
    if (!parsed.ok()) {
      LogError(absl::StrCat("--weights: ", parsed.status().message()));
      return EXIT_FAILURE;
    }
    options.weights = *parsed;
  }


  if (const std::string samples = absl::GetFlag(FLAGS_samples); !samples.empty()) {
    // Loaded before the server listens: a client never sees half the samples.
    options.prepare = [samples, tenant = absl::GetFlag(FLAGS_samples_tenant)](Catalog& catalog) -> absl::Status {
      absl::StatusOr<SeedReport> seeded = SeedTenantIfEmpty(catalog, tenant, samples);
      if (!seeded.ok()) {
        return absl::Status(seeded.status().code(), absl::StrCat("cannot load samples: ", seeded.status().message()));
      }
      if (seeded->seeded) {
        LogInfo(absl::StrCat("loaded ", seeded->upserted, " sample profiles into tenant \"", tenant, "\" from ",
                             samples));
        for (const std::string& error : seeded->errors) LogWarning(absl::StrCat("samples ", error));
      } else {
        LogInfo(absl::StrCat("tenant \"", tenant, "\" already has profiles; samples not loaded"));
      }
      return absl::OkStatus();
    };
  }
  if (!ConceptsAvailable()) {
    // Not fatal: matching works on words alone, but synonyms are off and
    // built-in tenants are re-embedded without them.
    LogWarning("WordNet not found (Debian package wordnet-base); synonyms are off");
  }
  absl::StatusOr<std::unique_ptr<PollinatorServer>> server = PollinatorServer::Start(options);
  if (!server.ok()) {
    LogError(absl::StrCat("cannot start: ", server.status().ToString()));
    return EXIT_FAILURE;
  }
  const char* security = !options.tls.enabled() ? "" : options.tls.mutual() ? " with mutual TLS" : " with TLS";
  std::string serving = absl::StrCat("serving on ", options.listen, " (port ", (*server)->port(), ")", security);
  if (!options.http.listen.empty()) {
    absl::StrAppend(&serving, ", ", options.tls.enabled() ? "HTTPS" : "HTTP", " on ", options.http.listen, " (port ",
                    (*server)->http_port(), ")");
  }
  LogInfo(absl::StrCat(serving, ", data in ", options.data_dir));

  int signal_number = WaitForSignal();
  for (; signal_number == SIGHUP; signal_number = WaitForSignal()) {
    if (options.tenant_limits_file.empty()) {
      LogWarning("SIGHUP: nothing to re-read (no --tenant_limits_file)");
      continue;
    }
    absl::StatusOr<size_t> tenants = (*server)->ReloadTenantLimits();
    if (tenants.ok()) {
      LogInfo(absl::StrCat("SIGHUP: tenant limits re-read: ", *tenants, " tenants with their own"));
    } else {
      LogError(absl::StrCat("SIGHUP: tenant limits kept as they were: ", tenants.status().message()));
    }
  }
  LogInfo(absl::StrCat(signal_number == SIGTERM ? "SIGTERM" : "SIGINT", ", draining and saving"));
  const absl::Status status = (*server)->Shutdown(absl::GetFlag(FLAGS_drain_timeout));
  if (!status.ok()) {
    LogError(absl::StrCat("shutdown: ", status.ToString()));
    return EXIT_FAILURE;
  }
  LogInfo("stopped cleanly");
  return EXIT_SUCCESS;
}

}  // namespace
}  // namespace pollinator

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Pollinator partner-matchmaking server.\n\n"
      "Usage: pollinatord [--listen=HOST:PORT] [--data_dir=DIR] [--admin_key_file=FILE | --auth=none]\n"
      "                   [--http_listen=HOST:PORT] [--tls_cert_file=PEM --tls_key_file=PEM [--tls_client_ca_file=PEM]]\n"
      "                   [--samples=FILE.jsonl [--samples_tenant=NAME]]\n\n"
      "Serves pollinator.v1.ProfileService, MatchService, InteractionService, CohortService, ChallengeService,\n"
      "EcosystemService, TransferService, KeyService and TenantService (see proto/pollinator/v1), plus\n"
      "grpc.health.v1.Health and server reflection; with --http_listen, the same API as JSON over HTTP and\n"
      "the staff console at /. Every call needs an API key unless --auth=none. Stop with SIGTERM or Ctrl-C;\n"
      "SIGHUP re-reads --tenant_limits_file.");
  // Flags are listed by their file's path inside the project, not the build machine's.
  absl::FlagsUsageConfig usage_config;
  usage_config.normalize_filename = [](absl::string_view file) {
    const size_t services = file.rfind("services/");
    return std::string(services == absl::string_view::npos ? file : file.substr(services));
  };
  absl::SetFlagsUsageConfig(usage_config);
  // Abseil's own --help exits with status 1; asking for help is not an error.
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-help" || arg == "-h" || arg == "--helpfull") {
      absl::flags_internal::FlagsHelp(std::cout, arg == "--helpfull" ? "" : "pollinatord_main",
                                      absl::flags_internal::HelpFormat::kHumanReadable, absl::ProgramUsageMessage());
      return EXIT_SUCCESS;
    }
  }
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() > 1) {
    std::cerr << "pollinatord: unexpected argument \"" << positional[1] << "\"; run pollinatord --help\n";
    return 2;
  }
  return pollinator::Run();
}
