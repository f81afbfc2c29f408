// scale_bench: Pollinator at catalogue scale, through gRPC, against raw FAISS
// and hnswlib on the same vectors.
//
//   build/bin/scale_bench                      # 100,000 profiles; run from the repository root
//   build/bin/scale_bench --profiles=1000000   # the 1M table (needs the memory, see bench/README.md)
//
// It generates N profiles (texts from CORDIS objectives when
// ../shared/datasets is there, the bundled sample texts otherwise; ~5 vectors
// each), starts the real pollinatord on a loopback port with its data in a
// temporary folder, and measures:
//   1. ingest through BulkUpsert streams, each acknowledged after its synced
//      commit;
//   2. FindPartners top-20 by profile, unfiltered and with country filters
//      that admit 50 %, 10 %, 1 % and 0.1 % of the profiles, and by text,
//      one call at a time;
//   3. throughput with --concurrency clients, each on its own connection;
//   4. the server's resident memory;
//   5. restart to the first answered query after SIGTERM, and after SIGKILL
//      that follows more writes (so that start-up replays them);
//   6. the retrieval stage in process (bench/scale/retrieval_comparison.h):
//      recall@20 against the exact scan and latency next to raw FAISS and
//      hnswlib.
// Tables go to stdout (markdown), progress to stderr. A failed call aborts
// the run with its status. It is a program, not a test.
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "bench/bench_support.h"
#include "bench/scale/retrieval_comparison.h"
#include "bench/scale/server_process.h"
#include "bench/scale/workload.h"
#include "pollinator/v1/service.grpc.pb.h"

ABSL_FLAG(int64_t, profiles, 100000, "Profiles to generate and load (1000000 for the 1M table).");
ABSL_FLAG(int, queries, 300, "Timed FindPartners calls per row, one at a time.");
ABSL_FLAG(int, concurrency, 16, "Clients of the throughput run, each on its own connection.");
ABSL_FLAG(int, qps_seconds, 20, "Length of the throughput run.");
ABSL_FLAG(int, load_streams, 2, "Concurrent BulkUpsert streams while loading.");
ABSL_FLAG(int, batch, 500, "Profiles per BulkUpsert stream.");
ABSL_FLAG(int64_t, replay_profiles, 1000,
          "Profiles written after the SIGTERM restart and before the SIGKILL, which start-up must replay.");
ABSL_FLAG(int64_t, retrieval_profiles, 100000,
          "Profiles (the first ones) for the in-process retrieval comparison; 0 skips it.");
ABSL_FLAG(std::string, samples, "data/samples/ecosystem.jsonl",
          "Bundled sample profiles: the structure of the generated ones, and their texts without CORDIS.");
ABSL_FLAG(std::string, cordis, "../shared/datasets/cordis_he_hopon",
          "CORDIS folder whose project objectives give the texts; absent: the sample texts.");
ABSL_FLAG(uint64_t, seed, 42, "Seed of the profiles and of the query choice.");
ABSL_FLAG(std::string, work_dir, "",
          "Folder for the server's data and logs, new or empty, kept after the run; empty: a temporary folder.");
ABSL_FLAG(bool, keep_data, false, "Keep the temporary folder after the run.");
ABSL_FLAG(bool, reuse_work_dir, false,
          "Measure the catalogue an earlier run with the same --profiles and --seed left in --work_dir, instead of "
          "loading it again (a million profiles take over half an hour); the ingest row is then not measured.");

namespace pollinator {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kTenant[] = "scale";
constexpr int kTopK = 20;

double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }
double MicrosSince(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

std::string Mib(int64_t bytes) { return absl::StrFormat("%.0f MiB", static_cast<double>(bytes) / (1 << 20)); }

absl::Status FromGrpc(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

// ---------------------------------------------------------------------------
// Ingest.

struct IngestResult {
  int64_t profiles = 0;
  double seconds = 0.0;
  double stream_p50_ms = 0.0;
  double stream_p99_ms = 0.0;
};

// Writes profiles[begin, end) through `streams` concurrent BulkUpsert calls
// of `batch` profiles each. A stream's response comes after its last commit
// is synced, so every profile counted is durably acknowledged.
absl::StatusOr<IngestResult> Ingest(const ServerProcess& server, const std::vector<v1::Profile>& profiles,
                                    int64_t begin, int64_t end, int streams, int batch) {
  std::atomic<int64_t> next{begin};
  std::atomic<int64_t> done{0};
  std::mutex mu;
  absl::Status failure;
  std::vector<double> stream_ms;
  const auto start = Clock::now();
  std::vector<std::thread> writers;
  for (int s = 0; s < streams; ++s) {
    writers.emplace_back([&] {
      std::unique_ptr<v1::ProfileService::Stub> stub = v1::ProfileService::NewStub(server.NewChannel());
      for (int64_t first = next.fetch_add(batch); first < end; first = next.fetch_add(batch)) {
        const int64_t last = std::min(end, first + batch);
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(5));
        v1::BulkUpsertResponse response;
        const auto stream_start = Clock::now();
        std::unique_ptr<grpc::ClientWriter<v1::UpsertProfileRequest>> writer = stub->BulkUpsert(&context, &response);
        v1::UpsertProfileRequest request;
        request.set_tenant(kTenant);
        for (int64_t i = first; i < last; ++i) {
          *request.mutable_profile() = profiles[i];
          if (!writer->Write(request)) break;
        }
        writer->WritesDone();
        const grpc::Status status = writer->Finish();
        std::lock_guard<std::mutex> lock(mu);
        stream_ms.push_back(MicrosSince(stream_start) / 1000.0);
        if (!status.ok() || response.upserted() != last - first || response.errors_size() > 0) {
          if (failure.ok()) {
            failure = !status.ok() ? FromGrpc(status, "BulkUpsert")
                                   : absl::InternalError(absl::StrCat(
                                         "BulkUpsert upserted ", response.upserted(), " of ", last - first, ": ",
                                         response.errors_size() > 0 ? response.errors(0).message() : ""));
          }
          return;
        }
        const int64_t total = done.fetch_add(last - first) + (last - first);
        if (total / 10000 != (total - (last - first)) / 10000) {
          std::cerr << absl::StrFormat("scale_bench: load: %d/%d profiles, %.0f/s\n", total, end - begin,
                                       static_cast<double>(total) / Since(start));
        }
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  if (!failure.ok()) return failure;
  IngestResult result;
  result.profiles = end - begin;
  result.seconds = Since(start);
  result.stream_p50_ms = Percentile(stream_ms, 50);
  result.stream_p99_ms = Percentile(stream_ms, 99);
  return result;
}

// Waits until the server has used less than 5 % of a core for two seconds
// running: writes are acknowledged before the index has linked them into its
// graph, and the query rows should measure the settled index. Returns the
// seconds waited.
double WaitForIdleServer(const ServerProcess& server) {
  const auto start = Clock::now();
  int quiet = 0;
  double cpu = server.CpuSeconds();
  while (quiet < 2 && Since(start) < 3600) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const double now = server.CpuSeconds();
    quiet = now - cpu < 0.05 ? quiet + 1 : 0;
    cpu = now;
  }
  return std::max(0.0, Since(start) - 2.0);
}

// ---------------------------------------------------------------------------
// Queries.

struct LatencyRow {
  std::string query;
  std::string selectivity;
  double p50_ms = 0.0;
  double p99_ms = 0.0;
  double mean_suggestions = 0.0;
  int64_t calls = 0;
};

v1::FindPartnersRequest ProfileQuery(const std::string& profile_id) {
  v1::FindPartnersRequest request;
  request.set_tenant(kTenant);
  request.set_profile_id(profile_id);
  request.set_top_k(kTopK);
  return request;
}

absl::StatusOr<int> Call(v1::MatchService::Stub& stub, const v1::FindPartnersRequest& request) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::FindPartnersResponse response;
  const grpc::Status status = stub.FindPartners(&context, request, &response);
  if (!status.ok()) return FromGrpc(status, "FindPartners");
  return response.suggestions_size();
}

absl::StatusOr<LatencyRow> TimeRequests(v1::MatchService::Stub& stub, std::string query, std::string selectivity,
                                        const std::vector<v1::FindPartnersRequest>& requests) {
  LatencyRow row{std::move(query), std::move(selectivity)};
  std::vector<double> ms;
  int64_t suggestions = 0;
  for (const v1::FindPartnersRequest& request : requests) {
    const auto start = Clock::now();
    absl::StatusOr<int> count = Call(stub, request);
    if (!count.ok()) return count.status();
    ms.push_back(MicrosSince(start) / 1000.0);
    suggestions += *count;
  }
  row.calls = static_cast<int64_t>(requests.size());
  row.p50_ms = Percentile(ms, 50);
  row.p99_ms = Percentile(ms, 99);
  row.mean_suggestions = static_cast<double>(suggestions) / static_cast<double>(std::max<int64_t>(1, row.calls));
  return row;
}

struct Throughput {
  int clients = 0;
  int64_t calls = 0;
  double qps = 0.0;
  double p50_ms = 0.0;
  double p99_ms = 0.0;
};

// `clients` threads, each on its own connection, call FindPartners by
// profile back to back for `seconds`.
absl::StatusOr<Throughput> MeasureThroughput(const ServerProcess& server, const std::vector<std::string>& askers,
                                             int clients, int seconds) {
  std::mutex mu;
  std::vector<double> ms;
  absl::Status failure;
  const auto start = Clock::now();
  const auto stop = start + std::chrono::seconds(seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      std::unique_ptr<v1::MatchService::Stub> stub = v1::MatchService::NewStub(server.NewChannel());
      std::vector<double> mine;
      absl::Status status;
      for (size_t i = static_cast<size_t>(c); Clock::now() < stop && status.ok(); i += static_cast<size_t>(clients)) {
        const auto call_start = Clock::now();
        status = Call(*stub, ProfileQuery(askers[i % askers.size()])).status();
        mine.push_back(MicrosSince(call_start) / 1000.0);
      }
      std::lock_guard<std::mutex> lock(mu);
      ms.insert(ms.end(), mine.begin(), mine.end());
      if (!status.ok() && failure.ok()) failure = status;
    });
  }
  for (std::thread& thread : threads) thread.join();
  if (!failure.ok()) return failure;
  Throughput result;
  result.clients = clients;
  result.calls = static_cast<int64_t>(ms.size());
  result.qps = static_cast<double>(ms.size()) / Since(start);
  result.p50_ms = Percentile(ms, 50);
  result.p99_ms = Percentile(ms, 99);
  return result;
}

// Starts the server and calls FindPartners until one succeeds; the seconds
// from the start of the process to that answer, or an error after `wait`.
absl::StatusOr<double> RestartToFirstAnswer(ServerProcess& server, const std::string& asker, absl::Duration wait) {
  const auto start = Clock::now();
  if (absl::Status started = server.Start(wait); !started.ok()) return started;
  std::unique_ptr<v1::MatchService::Stub> stub = v1::MatchService::NewStub(server.NewChannel());
  absl::Status last;
  while (Since(start) < absl::ToDoubleSeconds(wait)) {
    absl::StatusOr<int> answered = Call(*stub, ProfileQuery(asker));
    if (answered.ok()) return Since(start);
    last = answered.status();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("no answer within ", absl::FormatDuration(wait), " of the restart; last: ", last.ToString()));
}

absl::Status ExpectProfile(const ServerProcess& server, const std::string& id) {
  std::unique_ptr<v1::ProfileService::Stub> stub = v1::ProfileService::NewStub(server.NewChannel());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::GetProfileRequest request;
  request.set_tenant(kTenant);
  request.set_id(id);
  v1::Profile profile;
  return FromGrpc(stub->GetProfile(&context, request, &profile), absl::StrCat("GetProfile ", id));
}

// ---------------------------------------------------------------------------
// The run.

class WorkDir {
 public:
  // A folder given by the caller must be new or empty (a catalogue already
  // in it would be measured too), unless `reuse` asks for that catalogue,
  // and is kept; a temporary one is removed unless `keep`.
  static absl::StatusOr<WorkDir> Make(const std::string& requested, bool keep, bool reuse) {
    WorkDir dir;
    if (reuse) {
      if (requested.empty() || !std::filesystem::is_directory(std::filesystem::path(requested) / "data")) {
        return absl::InvalidArgumentError("--reuse_work_dir: --work_dir must name the folder of an earlier run");
      }
      dir.path_ = requested;
      dir.keep_ = true;
      return dir;
    }
    if (!requested.empty()) {
      std::error_code error;
      std::filesystem::create_directories(requested, error);
      if (error) return absl::InternalError(absl::StrCat("--work_dir=", requested, ": ", error.message()));
      if (!std::filesystem::is_empty(requested, error) || error) {
        return absl::InvalidArgumentError(absl::StrCat("--work_dir=", requested, ": must be new or empty"));
      }
      dir.path_ = requested;
      dir.keep_ = true;
      return dir;
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "pollinator-scale-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return absl::InternalError("cannot make a temporary folder");
    dir.path_ = pattern;
    dir.keep_ = keep;
    return dir;
  }
  WorkDir() = default;
  WorkDir(WorkDir&& other) noexcept : path_(std::move(other.path_)), keep_(other.keep_) { other.path_.clear(); }
  ~WorkDir() {
    std::error_code ignored;
    if (!keep_ && !path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool keep_ = false;
};

std::string Percent(double share) { return share >= 1.0 ? "none" : absl::StrFormat("%g %%", share * 100); }

const char* Verdict(bool met) { return met ? "met" : "**missed**"; }

absl::Status Run() {
  const int64_t n = absl::GetFlag(FLAGS_profiles);
  const int queries = absl::GetFlag(FLAGS_queries);
  if (n < 1000 || queries < 1 || absl::GetFlag(FLAGS_concurrency) < 1 || absl::GetFlag(FLAGS_batch) < 1 ||
      absl::GetFlag(FLAGS_load_streams) < 1 || absl::GetFlag(FLAGS_replay_profiles) < 0) {
    return absl::InvalidArgumentError(
        "--profiles must be at least 1000; --queries, --concurrency, --batch and --load_streams at least 1");
  }
  const bool reuse = absl::GetFlag(FLAGS_reuse_work_dir);
  absl::StatusOr<WorkDir> dir =
      WorkDir::Make(absl::GetFlag(FLAGS_work_dir), absl::GetFlag(FLAGS_keep_data), reuse);
  if (!dir.ok()) return dir.status();
  absl::StatusOr<SamplePool> pool = ReadSamples(absl::GetFlag(FLAGS_samples));
  if (!pool.ok()) return pool.status();
  absl::StatusOr<TextSource> texts = LoadTextSource(absl::GetFlag(FLAGS_cordis), *pool);
  if (!texts.ok()) return texts.status();
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  const int64_t replay = absl::GetFlag(FLAGS_replay_profiles);
  std::vector<v1::Profile> profiles(static_cast<size_t>(n + replay));
  for (int64_t i = 0; i < n + replay; ++i) profiles[i] = MakeScaleProfile(*pool, *texts, i, seed);
  std::cerr << "scale_bench: " << profiles.size() << " profiles generated; texts: " << texts->origin << "\n";

  ServerProcess server(POLLINATORD_PATH, dir->path() + "/data", dir->path());
  // Start-up reads every profile: a million take minutes.
  const absl::Duration restart_wait = absl::Seconds(120) + absl::Seconds(n / 1000);
  if (absl::Status started = server.Start(restart_wait); !started.ok()) return started;
  const int64_t rss_empty = server.ResidentBytes();

  std::optional<IngestResult> ingest;
  if (reuse) {
    std::cerr << "scale_bench: reusing the catalogue in " << dir->path() << "\n";
    if (absl::Status kept = ExpectProfile(server, profiles[n - 1].id()); !kept.ok()) return kept;
  } else {
    std::cerr << "scale_bench: loading " << n << " profiles through BulkUpsert\n";
    absl::StatusOr<IngestResult> loaded =
        Ingest(server, profiles, 0, n, absl::GetFlag(FLAGS_load_streams), absl::GetFlag(FLAGS_batch));
    if (!loaded.ok()) return loaded.status();
    ingest = *loaded;
    std::cerr << "scale_bench: loaded in " << absl::StrFormat("%.1f", ingest->seconds) << " s; waiting for the index\n";
  }
  const double settle_s = WaitForIdleServer(server);
  const int64_t rss_loaded = server.ResidentBytes();

  std::mt19937_64 rng(seed);
  std::vector<std::string> askers;
  for (int q = 0; q < std::max(queries, 1000); ++q) askers.push_back(profiles[Pick(rng, n)].id());
  std::unique_ptr<v1::MatchService::Stub> stub = v1::MatchService::NewStub(server.NewChannel());
  // Warm-up: the first calls fault in pages and fill caches.
  for (int q = 0; q < 20; ++q) {
    if (absl::StatusOr<int> warm = Call(*stub, ProfileQuery(askers[q])); !warm.ok()) return warm.status();
  }
  std::vector<LatencyRow> rows;
  std::vector<v1::FindPartnersRequest> requests;
  for (int q = 0; q < queries; ++q) requests.push_back(ProfileQuery(askers[q]));
  absl::StatusOr<LatencyRow> row = TimeRequests(*stub, "by profile", "none", requests);
  if (!row.ok()) return row.status();
  rows.push_back(*row);
  for (double selectivity : kFilterSelectivities) {
    for (v1::FindPartnersRequest& request : requests) *request.mutable_filters() = CountryFilterFor(selectivity);
    row = TimeRequests(*stub, absl::StrCat("by profile, country ", CountryFor(selectivity)), Percent(selectivity),
                       requests);
    if (!row.ok()) return row.status();
    rows.push_back(*row);
  }
  requests.clear();
  for (int q = 0; q < queries; ++q) {
    v1::FindPartnersRequest request;
    request.set_tenant(kTenant);
    request.set_text(texts->sentences[Pick(rng, texts->sentences.size())]);
    request.set_top_k(kTopK);
    requests.push_back(std::move(request));
  }
  row = TimeRequests(*stub, "by text", "none", requests);
  if (!row.ok()) return row.status();
  rows.push_back(*row);
  std::cerr << "scale_bench: latency rows done; throughput with " << absl::GetFlag(FLAGS_concurrency)
            << " clients\n";
  absl::StatusOr<Throughput> throughput =
      MeasureThroughput(server, askers, absl::GetFlag(FLAGS_concurrency), absl::GetFlag(FLAGS_qps_seconds));
  if (!throughput.ok()) return throughput.status();
  const int64_t rss_serving = server.ResidentBytes();
  const int64_t rss_peak = server.PeakResidentBytes();

  std::cerr << "scale_bench: restart after SIGTERM\n";
  absl::StatusOr<double> sigterm_stop_s = server.Stop(SIGTERM);
  if (!sigterm_stop_s.ok()) return sigterm_stop_s.status();
  absl::StatusOr<double> sigterm_restart_s = RestartToFirstAnswer(server, askers[0], restart_wait);
  if (!sigterm_restart_s.ok()) return sigterm_restart_s.status();
  const int64_t rss_restarted = server.ResidentBytes();

  std::cerr << "scale_bench: " << replay << " more profiles, then SIGKILL\n";
  absl::StatusOr<IngestResult> replay_ingest = Ingest(server, profiles, n, n + replay, 1, absl::GetFlag(FLAGS_batch));
  if (!replay_ingest.ok()) return replay_ingest.status();
  if (absl::StatusOr<double> killed = server.Stop(SIGKILL); !killed.ok()) return killed.status();
  absl::StatusOr<double> sigkill_restart_s = RestartToFirstAnswer(server, askers[0], restart_wait);
  if (!sigkill_restart_s.ok()) return sigkill_restart_s.status();
  if (replay > 0) {
    if (absl::Status kept = ExpectProfile(server, profiles[n + replay - 1].id()); !kept.ok()) return kept;
  }
  if (absl::StatusOr<double> stopped = server.Stop(SIGTERM); !stopped.ok()) return stopped.status();

  std::optional<RetrievalReport> retrieval;
  const int64_t retrieval_profiles = std::min(n, absl::GetFlag(FLAGS_retrieval_profiles));
  if (retrieval_profiles > 0) {
    std::cerr << "scale_bench: retrieval stage in process over " << retrieval_profiles << " profiles\n";
    RetrievalOptions options;
    options.queries = queries;
    options.k = kTopK;
    options.seed = seed;
    options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    absl::StatusOr<RetrievalReport> report = CompareRetrieval(
        std::vector<v1::Profile>(profiles.begin(), profiles.begin() + retrieval_profiles), options);
    if (!report.ok()) return report.status();
    retrieval = *std::move(report);
  }

  // ------------------------------------------------------------------ report
  std::cout << absl::StrFormat("## scale_bench: %d profiles\n\n", n);
  std::cout << absl::StrFormat(
      "%d cores; load average at the end %s; texts: %s; top_k %d; %d calls per latency row, one at a time, "
      "through gRPC on loopback.\n\n",
      std::thread::hardware_concurrency(), LoadAverage(), texts->origin, kTopK, queries);
  std::cout << "| FindPartners | filter admits | p50 ms | p99 ms | suggestions per answer |\n"
               "|---|---:|---:|---:|---:|\n";
  for (const LatencyRow& r : rows) {
    std::cout << absl::StrFormat("| %s | %s | %.2f | %.2f | %.1f |\n", r.query, r.selectivity, r.p50_ms, r.p99_ms,
                                 r.mean_suggestions);
  }
  std::cout << absl::StrFormat(
      "\n| throughput | clients | calls | QPS | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|\n"
      "| by profile, unfiltered | %d | %d | %.1f | %.2f | %.2f |\n\n",
      throughput->clients, throughput->calls, throughput->qps, throughput->p50_ms, throughput->p99_ms);
  if (ingest.has_value()) {
    std::cout << absl::StrFormat(
        "| ingest | profiles | seconds | profiles/s | stream of %d, p50 / p99 ms | index settled after |\n"
        "|---|---:|---:|---:|---:|---:|\n"
        "| BulkUpsert, %d streams | %d | %.1f | %.0f | %.0f / %.0f | %.1f s |\n\n",
        absl::GetFlag(FLAGS_batch), absl::GetFlag(FLAGS_load_streams), ingest->profiles, ingest->seconds,
        static_cast<double>(ingest->profiles) / ingest->seconds, ingest->stream_p50_ms, ingest->stream_p99_ms,
        settle_s);
  } else {
    std::cout << "Ingest not measured: the catalogue of an earlier run was reused (--reuse_work_dir), so memory per "
                 "profile below is the whole resident size over the profiles.\n\n";
  }
  std::cout << absl::StrFormat(
      "| resident memory | empty | loaded | serving | peak | after restart | per profile (serving) |\n"
      "|---|---:|---:|---:|---:|---:|---:|\n"
      "| pollinatord | %s | %s | %s | %s | %s | %.1f KiB |\n\n",
      ingest.has_value() ? Mib(rss_empty) : "–", Mib(rss_loaded), Mib(rss_serving), Mib(rss_peak),
      Mib(rss_restarted),
      static_cast<double>(rss_serving - (ingest.has_value() ? rss_empty : 0)) / 1024.0 / static_cast<double>(n));
  std::cout << absl::StrFormat(
      "| restart to first answer | seconds |\n|---|---:|\n"
      "| SIGTERM (drain and save took %.1f s) | %.1f |\n"
      "| SIGKILL after %d more acknowledged profiles (all found after restart) | %.1f |\n\n",
      *sigterm_stop_s, *sigterm_restart_s, replay, *sigkill_restart_s);

  if (retrieval.has_value()) {
    std::cout << absl::StrFormat(
        "Retrieval stage in process: %d vectors of %d profiles (built-in 256-d embedder, %.0f s to embed), "
        "top-%d per query vector, %d queries per row, one thread.\n\n",
        retrieval->vectors, retrieval_profiles, retrieval->embed_s, kTopK, queries);
    std::cout << "| method | filter admits | p50 µs | p99 µs | recall@20 | build s |\n"
                 "|---|---:|---:|---:|---:|---:|\n";
    for (const RetrievalRow& r : retrieval->rows) {
      std::cout << absl::StrFormat("| %s | %s | %.0f | %.0f | %s | %s |\n", r.method, Percent(r.selectivity), r.p50_us,
                                   r.p99_us, r.recall < 0 ? "–" : absl::StrFormat("%.3f", r.recall),
                                   r.build_s < 0 ? "" : absl::StrFormat("%.1f", r.build_s));
    }
    std::cout << "\n";
    for (const std::string& note : retrieval->notes) std::cout << "- " << note << "\n";
    const auto p50_of = [&](absl::string_view prefix) {
      for (const RetrievalRow& r : retrieval->rows) {
        if (absl::StartsWith(r.method, prefix) && r.selectivity >= 1.0) return r.p50_us;
      }
      return 0.0;
    };
    const double find_us = rows[0].p50_ms * 1000.0;
    for (absl::string_view method : {"pollinator planner", "FAISS IndexFlatIP", "FAISS IndexHNSWFlat", "hnswlib"}) {
      if (const double us = p50_of(method); us > 0) {
        std::cout << absl::StrFormat("- FindPartners by profile (p50, gRPC, full ranking) / %s top-20 (p50): %.0fx\n",
                                     method, find_us / us);
      }
    }
    std::cout << "\n";
  }

  // The targets, as measured here.
  double worst_p50 = 0.0, worst_p99 = 0.0;
  for (size_t r = 0; r + 1 < rows.size(); ++r) {
    worst_p50 = std::max(worst_p50, rows[r].p50_ms);
    worst_p99 = std::max(worst_p99, rows[r].p99_ms);
  }
  double worst_recall = 1.0;
  if (retrieval.has_value()) {
    for (const RetrievalRow& r : retrieval->rows) {
      if (absl::StartsWith(r.method, "pollinator planner")) worst_recall = std::min(worst_recall, r.recall);
    }
  }
  const double worst_restart = std::max(*sigterm_restart_s, *sigkill_restart_s);
  std::cout << "| target | measured | |\n|---|---:|---|\n";
  std::cout << absl::StrFormat("| FindPartners p50 ≤ 3 ms, every filter | %.2f ms | %s |\n", worst_p50,
                               Verdict(worst_p50 <= 3.0));
  std::cout << absl::StrFormat("| FindPartners p99 ≤ 15 ms, every filter | %.2f ms | %s |\n", worst_p99,
                               Verdict(worst_p99 <= 15.0));
  std::cout << absl::StrFormat("| ≥ 500 QPS at concurrency 16 | %.1f | %s |\n", throughput->qps,
                               Verdict(throughput->qps >= 500 && throughput->clients >= 16));
  if (retrieval.has_value()) {
    std::cout << absl::StrFormat("| retrieval recall@20 ≥ 0.95, every filter | %.3f | %s |\n", worst_recall,
                                 Verdict(worst_recall >= 0.95));
  }
  if (ingest.has_value()) {
    const double ingest_rate = static_cast<double>(ingest->profiles) / ingest->seconds;
    std::cout << absl::StrFormat("| ingest ≥ 2,000 profiles/s | %.0f/s | %s |\n", ingest_rate,
                                 Verdict(ingest_rate >= 2000));
  }
  std::cout << absl::StrFormat("| restart ≤ 10 s, SIGTERM and SIGKILL | %.1f s | %s |\n", worst_restart,
                               Verdict(worst_restart <= 10.0));
  return absl::OkStatus();
}

}  // namespace
}  // namespace pollinator

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Pollinator at catalogue scale through gRPC, next to raw FAISS and hnswlib.\n\n"
      "Usage: scale_bench [--profiles=N] [--queries=Q] [--concurrency=C] [flags]\n"
      "Run from the repository root (for --samples). Starts its own pollinatord on a loopback port with its data in "
      "a temporary folder; tables go to stdout, progress to stderr. See bench/README.md.");
  absl::ParseCommandLine(argc, argv);
  const absl::Status status = pollinator::Run();
  if (!status.ok()) {
    std::cerr << "scale_bench: " << status << "\n";
    return 1;
  }
  return 0;
}
