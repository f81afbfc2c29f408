// load_bench: a bounded load test of the real pollinatord on loopback. An
// open-loop mix of reads and writes arrives at a fixed rate for a fixed time;
// every failed call is counted, latency is reported per method, and the
// server's resident memory is followed over the run.
//
//   build/bin/load_bench                 # 200 calls/s for 300 s over 5,000 profiles; run from the repository root
//   build/bin/load_bench --rate=250      # headroom: past the 200 calls/s a server must sustain
//   build/bin/load_bench --seconds=20    # a short try
//
// It starts pollinatord (bench/scale/server_process.h) with its data in a
// temporary folder, seeds --profiles profiles of the scale benchmark's
// catalogue (bench/scale/workload.h) through BulkUpsert, times FindPartners
// one call at a time on the idle server (the unloaded baseline), then runs
// the load: call k is due at k / --rate seconds after the start, whoever of
// the --clients threads is free makes it, so a slow server does not slow the
// arrivals (latency is also given from the due time, which counts the wait
// for a free client). The mix, per 100 calls:
//   60 FindPartners by profile, 20 of them with a country filter;
//   15 GetProfile; 11 UpsertProfile of an existing profile (new texts);
//   4 UpsertProfile of a new profile and 4 DeleteProfile, which take turns on
//   a pool of --churn_profiles ids, so the catalogue keeps its size;
//   5 RecordInteraction; 1 ListProfiles (the next page of a walk).
// Every call has a deadline of --deadline_ms. The server's VmRSS, and its
// RocksDB memtables (from /metrics on its HTTP port), are sampled every
// 10 s; a progress line goes to stderr every 30 s. Tables go to stdout
// (markdown). A call that cannot start within its deadline (every client
// busy) is given up, as its caller would, so the run stays bounded. The exit
// code is 1 if any call failed, answered wrongly or was given up, the
// achieved rate fell below 95 % of --rate, resident memory drifted by more
// than --max_rss_drift_percent from the first to the last minute, or the
// server did not stop cleanly; 2 if the run could not be set up.
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/bench_support.h"
#include "bench/scale/server_process.h"
#include "bench/scale/workload.h"
#include "pollinator/v1/service.grpc.pb.h"

ABSL_FLAG(int64_t, profiles, 5000, "Profiles seeded before the load; reads, updates and interactions use them.");
ABSL_FLAG(int64_t, churn_profiles, 1000,
          "Further profile ids that are created and deleted in turn during the load; half exist at the start.");
ABSL_FLAG(double, rate, 200,
          "Calls per second to start, on a fixed schedule (open loop); 200 is what a server must sustain.");
ABSL_FLAG(int, seconds, 300, "Length of the load phase.");
ABSL_FLAG(int, clients, 32, "Client threads, each on its own connection; a call waits only when all are busy.");
ABSL_FLAG(int, deadline_ms, 5000, "Deadline of every call.");
ABSL_FLAG(int, baseline_calls, 300,
          "FindPartners calls per baseline row, one at a time on the idle server before the load.");
ABSL_FLAG(double, max_rss_drift_percent, 10,
          "Largest change of the server's mean resident memory from the first to the last minute that passes.");
ABSL_FLAG(std::string, samples, "data/samples/ecosystem.jsonl",
          "Bundled sample profiles: the structure of the generated ones, and their texts without CORDIS.");
ABSL_FLAG(std::string, cordis, "../shared/datasets/cordis_he_hopon",
          "CORDIS folder whose project objectives give the texts; absent: the sample texts.");
ABSL_FLAG(uint64_t, seed, 42, "Seed of the profiles and of the call mix.");
ABSL_FLAG(bool, keep_data, false, "Keep the temporary folder (server data and logs) after the run.");
ABSL_FLAG(std::string, server, POLLINATORD_PATH,
          "The pollinatord to load; another build's, to compare two versions on the same machine.");

namespace pollinator {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kTenant[] = "load";
constexpr int kTopK = 20;
constexpr int kListPageSize = 50;
constexpr int kSampleSeconds = 10;
constexpr int kProgressSeconds = 30;
// A call that starts this much after its due time waited for a free client.
constexpr double kLateMs = 10.0;

double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }
double MsBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}
double Mib(int64_t bytes) { return static_cast<double>(bytes) / (1 << 20); }

// This process's own user plus system CPU seconds: the clients share the
// machine with the server.
double OwnCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// ---------------------------------------------------------------------------
// The mix.

enum Op {
  kFind,
  kFindFiltered,
  kGet,
  kUpdate,
  kCreate,
  kInteract,
  kDelete,
  kList,
  kOpCount,
};

constexpr const char* kOpNames[kOpCount] = {
    "FindPartners by profile",
    "FindPartners, country filter",
    "GetProfile",
    "UpsertProfile, existing",
    "UpsertProfile, new",
    "RecordInteraction",
    "DeleteProfile",
    "ListProfiles",
};
// Calls per 100. Creates and deletes match, so the catalogue keeps its size.
constexpr int kOpWeights[kOpCount] = {40, 20, 15, 11, 4, 5, 4, 1};

Op PickOp(std::mt19937_64& rng) {
  int roll = static_cast<int>(Pick(rng, 100));
  for (int op = 0; op < kOpCount; ++op) {
    if (roll < kOpWeights[op]) return static_cast<Op>(op);
    roll -= kOpWeights[op];
  }
  return kFind;
}

// The churn ids: each is either in the catalogue or not, and is handed to one
// call at a time, so a delete never races the create of the same id.
class ChurnPool {
 public:
  ChurnPool(int64_t first, int64_t count) {
    for (int64_t i = first; i < first + count; ++i) (i - first < count / 2 ? present_ : absent_).push_back(i);
  }
  std::optional<int64_t> TakeAbsent() { return Take(absent_); }
  std::optional<int64_t> TakePresent() { return Take(present_); }
  void PutBack(int64_t id, bool present) {
    std::lock_guard<std::mutex> lock(mu_);
    (present ? present_ : absent_).push_back(id);
  }
  // The ids seeded before the load.
  std::vector<int64_t> Present() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::vector<int64_t>(present_.begin(), present_.end());
  }

 private:
  std::optional<int64_t> Take(std::deque<int64_t>& from) {
    std::lock_guard<std::mutex> lock(mu_);
    if (from.empty()) return std::nullopt;
    const int64_t id = from.front();
    from.pop_front();
    return id;
  }

  std::mutex mu_;
  std::deque<int64_t> present_;
  std::deque<int64_t> absent_;
};

// A failed call: the gRPC code's name, or "wrong answer" for an OK call whose
// answer contradicts what the bench knows (e.g. an update reported as a
// create).
struct Failure {
  std::string kind;
  std::string message;
};

struct OpStats {
  std::vector<double> service_ms;   // from sending to the answer
  std::vector<double> response_ms;  // from the due time to the answer
  int64_t errors = 0;
  int64_t late_starts = 0;
};

struct ErrorCount {
  int64_t count = 0;
  std::string first_message;
};

// What one client thread saw, merged after the run.
struct ClientResult {
  OpStats ops[kOpCount];
  std::map<std::pair<int, std::string>, ErrorCount> errors;  // (op, kind)
  Clock::time_point last_done{};
};

std::optional<Failure> FromGrpc(const grpc::Status& status) {
  if (status.ok()) return std::nullopt;
  return Failure{absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())), status.error_message()};
}

Failure WrongAnswer(std::string message) { return Failure{"wrong answer", std::move(message)}; }

// What the client threads share.
struct LoadContext {
  const SamplePool* pool;
  const TextSource* texts;
  const ServerProcess* server;
  int64_t profiles;
  uint64_t seed;
  std::chrono::milliseconds deadline;
  ChurnPool* churn;
  std::mutex list_mu;
  std::string list_token;  // the next page of the ListProfiles walk
};

v1::FindPartnersRequest FindRequest(int64_t asker, std::optional<double> selectivity) {
  v1::FindPartnersRequest request;
  request.set_tenant(kTenant);
  request.set_profile_id(absl::StrFormat("s%07d", asker));
  request.set_top_k(kTopK);
  if (selectivity.has_value()) *request.mutable_filters() = CountryFilterFor(*selectivity);
  return request;
}

class Client {
 public:
  explicit Client(LoadContext& context)
      : context_(context),
        profiles_(v1::ProfileService::NewStub(context.server->NewChannel())),
        matches_(v1::MatchService::NewStub(context.server->NewChannel())),
        interactions_(v1::InteractionService::NewStub(context.server->NewChannel())) {}

  // Makes call number `k` of the schedule; `op` may change when the churn
  // pool has no id for it (then the call is an update or a list instead).
  std::optional<Failure> Call(int64_t k, Op& op) {
    std::mt19937_64 rng(context_.seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(k));
    op = PickOp(rng);
    const int64_t stable = static_cast<int64_t>(Pick(rng, static_cast<size_t>(context_.profiles)));
    switch (op) {
      case kFind:
        return Find(FindRequest(stable, std::nullopt));
      case kFindFiltered:
        return Find(FindRequest(stable, kFilterSelectivities[Pick(rng, std::size(kFilterSelectivities))]));
      case kGet:
        return Get(stable);
      case kCreate:
        if (std::optional<int64_t> id = context_.churn->TakeAbsent(); id.has_value()) return Create(*id, k);
        op = kUpdate;
        return Upsert(stable, k, /*expect_created=*/false);
      case kUpdate:
        return Upsert(stable, k, /*expect_created=*/false);
      case kInteract: {
        int64_t other = static_cast<int64_t>(Pick(rng, static_cast<size_t>(context_.profiles - 1)));
        if (other >= stable) ++other;
        return Interact(stable, other, rng);
      }
      case kDelete:
        if (std::optional<int64_t> id = context_.churn->TakePresent(); id.has_value()) return Delete(*id);
        op = kList;
        return List();
      case kList:
      case kOpCount:
        break;
    }
    op = kList;
    return List();
  }

 private:
  void Prepare(grpc::ClientContext& context) const {
    context.set_deadline(std::chrono::system_clock::now() + context_.deadline);
  }

  std::optional<Failure> Find(const v1::FindPartnersRequest& request) {
    grpc::ClientContext context;
    Prepare(context);
    v1::FindPartnersResponse response;
    return FromGrpc(matches_->FindPartners(&context, request, &response));
  }

  std::optional<Failure> Get(int64_t i) {
    grpc::ClientContext context;
    Prepare(context);
    v1::GetProfileRequest request;
    request.set_tenant(kTenant);
    request.set_id(absl::StrFormat("s%07d", i));
    v1::Profile profile;
    if (std::optional<Failure> failure = FromGrpc(profiles_->GetProfile(&context, request, &profile))) return failure;
    if (profile.id() != request.id()) {
      return WrongAnswer(absl::StrCat("asked for ", request.id(), ", got ", profile.id()));
    }
    return std::nullopt;
  }

  // Profile i again with other texts and sectors (the generator's seed is
  // the call's number); the id and country stay.
  std::optional<Failure> Upsert(int64_t i, int64_t k, bool expect_created) {
    grpc::ClientContext context;
    Prepare(context);
    v1::UpsertProfileRequest request;
    request.set_tenant(kTenant);
    *request.mutable_profile() = MakeScaleProfile(*context_.pool, *context_.texts, i, context_.seed + 1 + k);
    v1::UpsertProfileResponse response;
    if (std::optional<Failure> failure = FromGrpc(profiles_->UpsertProfile(&context, request, &response))) {
      return failure;
    }
    if (response.created() != expect_created) {
      return WrongAnswer(absl::StrCat(request.profile().id(), ": created ", response.created() ? "true" : "false",
                                      ", expected ", expect_created ? "true" : "false"));
    }
    return std::nullopt;
  }

  std::optional<Failure> Create(int64_t churn_id, int64_t k) {
    std::optional<Failure> failure = Upsert(churn_id, k, /*expect_created=*/true);
    // After a failure the id's state is unknown: it is not used again.
    if (!failure.has_value()) context_.churn->PutBack(churn_id, /*present=*/true);
    return failure;
  }

  std::optional<Failure> Delete(int64_t churn_id) {
    grpc::ClientContext context;
    Prepare(context);
    v1::DeleteProfileRequest request;
    request.set_tenant(kTenant);
    request.set_id(absl::StrFormat("s%07d", churn_id));
    v1::DeleteProfileResponse response;
    std::optional<Failure> failure = FromGrpc(profiles_->DeleteProfile(&context, request, &response));
    if (!failure.has_value()) context_.churn->PutBack(churn_id, /*present=*/false);
    return failure;
  }

  std::optional<Failure> Interact(int64_t from, int64_t to, std::mt19937_64& rng) {
    constexpr v1::InteractionType kTypes[] = {v1::INTERACTION_TYPE_SHOWN, v1::INTERACTION_TYPE_CONTACTED,
                                              v1::INTERACTION_TYPE_ACCEPTED, v1::INTERACTION_TYPE_DECLINED,
                                              v1::INTERACTION_TYPE_COLLABORATED};
    grpc::ClientContext context;
    Prepare(context);
    v1::RecordInteractionRequest request;
    request.set_tenant(kTenant);
    v1::Interaction* interaction = request.mutable_interaction();
    interaction->set_from_profile_id(absl::StrFormat("s%07d", from));
    interaction->set_to_profile_id(absl::StrFormat("s%07d", to));
    interaction->set_type(kTypes[Pick(rng, std::size(kTypes))]);
    if (interaction->type() == v1::INTERACTION_TYPE_DECLINED) {
      interaction->set_decline_reason(v1::DECLINE_REASON_NOT_RELEVANT);
    }
    v1::RecordInteractionResponse response;
    if (std::optional<Failure> failure = FromGrpc(interactions_->RecordInteraction(&context, request, &response))) {
      return failure;
    }
    if (response.interaction().sequence() <= 0) return WrongAnswer("no sequence assigned");
    return std::nullopt;
  }

  // The next page of one walk through the catalogue, shared by all clients;
  // at the end it starts again.
  std::optional<Failure> List() {
    v1::ListProfilesRequest request;
    request.set_tenant(kTenant);
    request.set_page_size(kListPageSize);
    {
      std::lock_guard<std::mutex> lock(context_.list_mu);
      request.set_page_token(context_.list_token);
    }
    grpc::ClientContext context;
    Prepare(context);
    v1::ListProfilesResponse response;
    if (std::optional<Failure> failure = FromGrpc(profiles_->ListProfiles(&context, request, &response))) {
      return failure;
    }
    if (response.profiles_size() == 0) return WrongAnswer("an empty page");
    std::lock_guard<std::mutex> lock(context_.list_mu);
    context_.list_token = response.next_page_token();
    return std::nullopt;
  }

  LoadContext& context_;
  std::unique_ptr<v1::ProfileService::Stub> profiles_;
  std::unique_ptr<v1::MatchService::Stub> matches_;
  std::unique_ptr<v1::InteractionService::Stub> interactions_;
};

// ---------------------------------------------------------------------------
// Memory and progress.

struct MemorySample {
  double seconds = 0.0;
  int64_t rss = 0;
  // RocksDB's memtables, from the server's /metrics; -1 if unread.
  double memtables = -1;
};

// Samples the server's VmRSS at the start and every kSampleSeconds, and
// prints a progress line every kProgressSeconds, until Finish().
class Monitor {
 public:
  Monitor(const ServerProcess& server, Clock::time_point start, const std::atomic<int64_t>& calls,
          const std::atomic<int64_t>& errors, const std::atomic<int64_t>& late, const std::atomic<int64_t>& abandoned)
      : server_(server), start_(start), calls_(calls), errors_(errors), late_(late), abandoned_(abandoned) {
    samples_.push_back(Sample(0.0));
    thread_ = std::thread([this] { Loop(); });
  }
  ~Monitor() { Finish(); }

  // Stops sampling; adds a last sample at the end.
  void Finish() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (done_) return;
      done_ = true;
    }
    wake_.notify_all();
    thread_.join();
    const double now = Since(start_);
    if (now - samples_.back().seconds > 1.0) samples_.push_back(Sample(now));
  }
  const std::vector<MemorySample>& samples() const { return samples_; }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    for (int tick = 1;; ++tick) {
      if (wake_.wait_until(lock, start_ + std::chrono::seconds(tick * kSampleSeconds), [this] { return done_; })) {
        return;
      }
      const MemorySample sample = Sample(Since(start_));
      samples_.push_back(sample);
      if ((tick * kSampleSeconds) % kProgressSeconds == 0) {
        const int64_t calls = calls_.load();
        std::cerr << absl::StrFormat(
            "load_bench: %4.0f s, %d calls (%.1f/s), %d errors, %d late starts, %d not started, server RSS %.0f "
            "MiB\n",
            sample.seconds, calls, static_cast<double>(calls) / sample.seconds, errors_.load(), late_.load(),
            abandoned_.load(), Mib(sample.rss));
      }
    }
  }

  MemorySample Sample(double seconds) const {
    return {seconds, server_.ResidentBytes(), server_.MetricValue("pollinator_store_memtable_bytes")};
  }

  const ServerProcess& server_;
  const Clock::time_point start_;
  const std::atomic<int64_t>& calls_;
  const std::atomic<int64_t>& errors_;
  const std::atomic<int64_t>& late_;
  const std::atomic<int64_t>& abandoned_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool done_ = false;
  std::vector<MemorySample> samples_;
  std::thread thread_;
};

double MeanRss(const std::vector<MemorySample>& samples, double from, double to) {
  double sum = 0.0;
  int n = 0;
  for (const MemorySample& s : samples) {
    if (s.seconds >= from && s.seconds <= to) {
      sum += static_cast<double>(s.rss);
      ++n;
    }
  }
  return n == 0 ? 0.0 : sum / n;
}

// ---------------------------------------------------------------------------
// Seeding and the baseline.

// Writes `ids` through two concurrent BulkUpsert streams of 500 profiles.
absl::Status Seed(const ServerProcess& server, const SamplePool& pool, const TextSource& texts,
                  const std::vector<int64_t>& ids, uint64_t seed) {
  constexpr int kStreams = 2;
  constexpr size_t kBatch = 500;
  std::atomic<size_t> next{0};
  std::mutex mu;
  absl::Status failure;
  std::vector<std::thread> writers;
  for (int s = 0; s < kStreams; ++s) {
    writers.emplace_back([&] {
      std::unique_ptr<v1::ProfileService::Stub> stub = v1::ProfileService::NewStub(server.NewChannel());
      for (size_t first = next.fetch_add(kBatch); first < ids.size(); first = next.fetch_add(kBatch)) {
        const size_t last = std::min(ids.size(), first + kBatch);
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(5));
        v1::BulkUpsertResponse response;
        std::unique_ptr<grpc::ClientWriter<v1::UpsertProfileRequest>> writer = stub->BulkUpsert(&context, &response);
        v1::UpsertProfileRequest request;
        request.set_tenant(kTenant);
        for (size_t i = first; i < last; ++i) {
          *request.mutable_profile() = MakeScaleProfile(pool, texts, ids[i], seed);
          if (!writer->Write(request)) break;
        }
        writer->WritesDone();
        const grpc::Status status = writer->Finish();
        if (!status.ok() || response.upserted() != static_cast<int64_t>(last - first) || response.errors_size() > 0) {
          std::lock_guard<std::mutex> lock(mu);
          if (failure.ok()) {
            failure = absl::InternalError(
                absl::StrCat("seeding: BulkUpsert ", status.ok() ? "" : status.error_message(), " upserted ",
                             response.upserted(), " of ", last - first,
                             response.errors_size() > 0 ? absl::StrCat(": ", response.errors(0).message()) : ""));
          }
          return;
        }
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  return failure;
}

// Waits until the server has used under 5 % of a core for two seconds running,
// so that the baseline meets a settled index, not one still linking writes.
void WaitForIdleServer(const ServerProcess& server) {
  const auto start = Clock::now();
  int quiet = 0;
  double cpu = server.CpuSeconds();
  while (quiet < 2 && Since(start) < 600) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const double now = server.CpuSeconds();
    quiet = now - cpu < 0.05 ? quiet + 1 : 0;
    cpu = now;
  }
}

// FindPartners one call at a time, unfiltered (row 0) and with the load's
// country filters (row 1), on the same kind of askers as the load.
absl::StatusOr<std::vector<std::vector<double>>> Baseline(const ServerProcess& server, int64_t profiles, int calls,
                                                          uint64_t seed, std::chrono::milliseconds deadline) {
  std::unique_ptr<v1::MatchService::Stub> stub = v1::MatchService::NewStub(server.NewChannel());
  std::mt19937_64 rng(seed + 7);
  std::vector<std::vector<double>> ms(2);
  // The first calls fault pages in and fill caches.
  for (int q = -20; q < calls * 2; ++q) {
    const int64_t asker = static_cast<int64_t>(Pick(rng, static_cast<size_t>(profiles)));
    const bool filtered = q >= calls;
    const v1::FindPartnersRequest request = FindRequest(
        asker, filtered ? std::optional<double>(kFilterSelectivities[Pick(rng, std::size(kFilterSelectivities))])
                        : std::nullopt);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline);
    v1::FindPartnersResponse response;
    const auto start = Clock::now();
    const grpc::Status status = stub->FindPartners(&context, request, &response);
    if (!status.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          absl::StrCat("baseline FindPartners: ", status.error_message()));
    }
    if (q >= 0) ms[filtered ? 1 : 0].push_back(MsBetween(start, Clock::now()));
  }
  return ms;
}

// ---------------------------------------------------------------------------
// The run.

// A fresh temporary folder, removed afterwards unless kept.
class TempDir {
 public:
  static absl::StatusOr<std::unique_ptr<TempDir>> Make(bool keep) {
    std::string pattern = (std::filesystem::temp_directory_path() / "pollinator-load-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return absl::InternalError("cannot make a temporary folder");
    return std::unique_ptr<TempDir>(new TempDir(std::move(pattern), keep));
  }
  ~TempDir() {
    std::error_code ignored;
    if (!keep_) std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  TempDir(std::string path, bool keep) : path_(std::move(path)), keep_(keep) {}
  const std::string path_;
  const bool keep_;
};

struct Summary {
  double p50 = 0.0;
  double p99 = 0.0;
  double max = 0.0;
};

Summary Summarize(std::vector<double>& ms) {
  Summary s;
  s.p50 = Percentile(ms, 50);
  s.p99 = Percentile(ms, 99);
  s.max = ms.empty() ? 0.0 : ms.back();  // Percentile sorted them
  return s;
}

const char* Verdict(bool met) { return met ? "met" : "**missed**"; }

// Returns whether every target was met; errors only when the run could not
// be made.
absl::StatusOr<bool> Run() {
  const int64_t n = absl::GetFlag(FLAGS_profiles);
  const int64_t churn_n = absl::GetFlag(FLAGS_churn_profiles);
  const double rate = absl::GetFlag(FLAGS_rate);
  const int seconds = absl::GetFlag(FLAGS_seconds);
  const int clients = absl::GetFlag(FLAGS_clients);
  const int baseline_calls = absl::GetFlag(FLAGS_baseline_calls);
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  const std::chrono::milliseconds deadline(absl::GetFlag(FLAGS_deadline_ms));
  if (n < 2 || churn_n < 2 || rate <= 0 || seconds < 1 || clients < 1 || baseline_calls < 1 || deadline.count() < 1) {
    return absl::InvalidArgumentError(
        "--profiles and --churn_profiles must be at least 2; --rate, --seconds, --clients, --baseline_calls and "
        "--deadline_ms positive");
  }
  absl::StatusOr<std::unique_ptr<TempDir>> dir = TempDir::Make(absl::GetFlag(FLAGS_keep_data));
  if (!dir.ok()) return dir.status();
  absl::StatusOr<SamplePool> pool = ReadSamples(absl::GetFlag(FLAGS_samples));
  if (!pool.ok()) return pool.status();
  absl::StatusOr<TextSource> texts = LoadTextSource(absl::GetFlag(FLAGS_cordis), *pool);
  if (!texts.ok()) return texts.status();

  ServerProcess server(absl::GetFlag(FLAGS_server), (*dir)->path() + "/data", (*dir)->path());
  if (absl::Status started = server.Start(); !started.ok()) return started;
  const std::string load_before = LoadAverage();

  ChurnPool churn(n, churn_n);
  std::vector<int64_t> seeded(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) seeded[i] = i;
  for (int64_t i : churn.Present()) seeded.push_back(i);
  std::cerr << "load_bench: seeding " << seeded.size() << " profiles through BulkUpsert; texts: " << texts->origin
            << "\n";
  const auto seed_start = Clock::now();
  if (absl::Status seeded_ok = Seed(server, *pool, *texts, seeded, seed); !seeded_ok.ok()) return seeded_ok;
  const double seed_s = Since(seed_start);
  WaitForIdleServer(server);
  const int64_t rss_seeded = server.ResidentBytes();

  std::cerr << "load_bench: unloaded FindPartners baseline, " << baseline_calls << " calls per row\n";
  absl::StatusOr<std::vector<std::vector<double>>> baseline = Baseline(server, n, baseline_calls, seed, deadline);
  if (!baseline.ok()) return baseline.status();
  const Summary base_find = Summarize((*baseline)[0]);
  const Summary base_filtered = Summarize((*baseline)[1]);

  // ------------------------------------------------------------------ load
  LoadContext context{&*pool, &*texts, &server, n, seed, deadline, &churn};
  const int64_t total = static_cast<int64_t>(rate * seconds);
  const double period_s = 1.0 / rate;
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> calls_done{0};
  std::atomic<int64_t> errors{0};
  std::atomic<int64_t> late{0};
  std::atomic<int64_t> abandoned{0};
  std::vector<ClientResult> results(static_cast<size_t>(clients));
  std::vector<std::unique_ptr<Client>> client_objects;
  for (int c = 0; c < clients; ++c) client_objects.push_back(std::make_unique<Client>(context));
  std::cerr << absl::StrFormat("load_bench: %d calls at %.0f/s for %d s from %d clients\n", total, rate, seconds,
                               clients);
  const double server_cpu_before = server.CpuSeconds();
  const double own_cpu_before = OwnCpuSeconds();
  // Starts a little ahead so that every client is waiting when call 0 is due.
  const auto start = Clock::now() + std::chrono::milliseconds(100);
  std::optional<Monitor> monitor;
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      ClientResult& result = results[c];
      for (int64_t k = next.fetch_add(1); k < total; k = next.fetch_add(1)) {
        const auto due =
            start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(k * period_s));
        std::this_thread::sleep_until(due);
        const auto sent = Clock::now();
        // Given up, as its caller would; an overloaded server cannot stretch
        // the run.
        if (sent - due > deadline) {
          abandoned.fetch_add(1);
          continue;
        }
        Op op = kFind;
        const std::optional<Failure> failure = client_objects[c]->Call(k, op);
        const auto done = Clock::now();
        OpStats& stats = result.ops[op];
        stats.service_ms.push_back(MsBetween(sent, done));
        stats.response_ms.push_back(MsBetween(due, done));
        if (MsBetween(due, sent) > kLateMs) {
          ++stats.late_starts;
          late.fetch_add(1);
        }
        if (failure.has_value()) {
          ++stats.errors;
          errors.fetch_add(1);
          ErrorCount& count = result.errors[{op, failure->kind}];
          if (count.count++ == 0) count.first_message = failure->message;
        }
        result.last_done = std::max(result.last_done, done);
        calls_done.fetch_add(1);
      }
    });
  }
  std::this_thread::sleep_until(start);
  monitor.emplace(server, start, calls_done, errors, late, abandoned);
  for (std::thread& thread : threads) thread.join();
  monitor->Finish();
  const double server_cpu = server.CpuSeconds() - server_cpu_before;
  const double own_cpu = OwnCpuSeconds() - own_cpu_before;
  const int64_t rss_peak = server.PeakResidentBytes();
  const std::string load_after = LoadAverage();
  client_objects.clear();
  std::cerr << "load_bench: load done; stopping the server with SIGTERM\n";
  absl::StatusOr<double> stop_s = server.Stop(SIGTERM);

  // ------------------------------------------------------------------ merge
  OpStats merged[kOpCount];
  std::map<std::pair<int, std::string>, ErrorCount> error_counts;
  Clock::time_point last_done = start;
  for (ClientResult& r : results) {
    for (int op = 0; op < kOpCount; ++op) {
      OpStats& to = merged[op];
      to.service_ms.insert(to.service_ms.end(), r.ops[op].service_ms.begin(), r.ops[op].service_ms.end());
      to.response_ms.insert(to.response_ms.end(), r.ops[op].response_ms.begin(), r.ops[op].response_ms.end());
      to.errors += r.ops[op].errors;
      to.late_starts += r.ops[op].late_starts;
    }
    for (const auto& [key, count] : r.errors) {
      ErrorCount& to = error_counts[key];
      if (to.count == 0) to.first_message = count.first_message;
      to.count += count.count;
    }
    last_done = std::max(last_done, r.last_done);
  }
  // The scheduled window at least: calls given up at its end still count.
  const double load_s = std::max<double>(seconds, MsBetween(start, last_done) / 1000.0);
  const int64_t completed = calls_done.load();
  const int64_t not_started = abandoned.load();
  const double achieved = static_cast<double>(completed) / load_s;

  // ------------------------------------------------------------------ report
  std::cout << absl::StrFormat("## load_bench: %.0f calls/s for %d s over %d profiles\n\n", rate, seconds, n);
  std::cout << absl::StrFormat(
      "%d cores; load average before %s, after %s; texts: %s; %d + %d churn profiles seeded in %.1f s (server RSS "
      "then %.0f MiB); %d client threads, each on its own connection; deadline %d ms; top_k %d.\n\n",
      std::thread::hardware_concurrency(), load_before, load_after, texts->origin, n, churn_n / 2, seed_s,
      Mib(rss_seeded), clients, deadline.count(), kTopK);
  if (absl::GetFlag(FLAGS_server) != POLLINATORD_PATH) {
    std::cout << "Server loaded: " << absl::GetFlag(FLAGS_server) << " (not this build's).\n\n";
  }
  std::vector<std::string> mix;
  for (int op = 0; op < kOpCount; ++op) mix.push_back(absl::StrCat(kOpWeights[op], " ", kOpNames[op]));
  std::cout << "Mix per 100 calls: " << absl::StrJoin(mix, "; ")
            << ". Service time is from sending the call to its answer; \"from due\" adds the wait for a free client "
               "after the call's scheduled time.\n\n";

  std::cout << "| method | calls | errors | p50 ms | p99 ms | max ms | p99 from due ms |\n"
               "|---|---:|---:|---:|---:|---:|---:|\n";
  std::vector<double> all_service, all_response;
  int64_t all_errors = 0, all_late = 0;
  Summary loaded[kOpCount];
  for (int op = 0; op < kOpCount; ++op) {
    OpStats& stats = merged[op];
    all_service.insert(all_service.end(), stats.service_ms.begin(), stats.service_ms.end());
    all_response.insert(all_response.end(), stats.response_ms.begin(), stats.response_ms.end());
    all_errors += stats.errors;
    all_late += stats.late_starts;
    const int64_t count = static_cast<int64_t>(stats.service_ms.size());
    loaded[op] = Summarize(stats.service_ms);
    const double p99_due = Percentile(stats.response_ms, 99);
    std::cout << absl::StrFormat("| %s | %d | %d | %.2f | %.2f | %.2f | %.2f |\n", kOpNames[op], count, stats.errors,
                                 loaded[op].p50, loaded[op].p99, loaded[op].max, p99_due);
  }
  const Summary all = Summarize(all_service);
  std::cout << absl::StrFormat("| **all** | %d | %d | %.2f | %.2f | %.2f | %.2f |\n\n", completed, all_errors, all.p50,
                               all.p99, all.max, Percentile(all_response, 99));

  std::cout << absl::StrFormat(
      "| rate | target /s | achieved /s | calls made | not started within the deadline | load phase s | late "
      "starts (> %.0f ms after due) | server CPU cores | client CPU cores |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
      "| open loop | %.0f | %.1f | %d | %d | %.1f | %d | %.2f | %.2f |\n\n",
      kLateMs, rate, achieved, completed, not_started, load_s, all_late, server_cpu / load_s, own_cpu / load_s);

  std::cout << "| FindPartners | p50 ms | p99 ms | max ms | p50 loaded / unloaded | p99 loaded / unloaded |\n"
               "|---|---:|---:|---:|---:|---:|\n";
  const auto ratio = [](double a, double b) { return b > 0 ? absl::StrFormat("%.2f", a / b) : std::string("–"); };
  std::cout << absl::StrFormat("| by profile, unloaded (%d calls one at a time) | %.2f | %.2f | %.2f | | |\n",
                               baseline_calls, base_find.p50, base_find.p99, base_find.max);
  std::cout << absl::StrFormat("| by profile, under load | %.2f | %.2f | %.2f | %s | %s |\n", loaded[kFind].p50,
                               loaded[kFind].p99, loaded[kFind].max, ratio(loaded[kFind].p50, base_find.p50),
                               ratio(loaded[kFind].p99, base_find.p99));
  std::cout << absl::StrFormat("| country filter, unloaded (%d calls one at a time) | %.2f | %.2f | %.2f | | |\n",
                               baseline_calls, base_filtered.p50, base_filtered.p99, base_filtered.max);
  std::cout << absl::StrFormat("| country filter, under load | %.2f | %.2f | %.2f | %s | %s |\n\n",
                               loaded[kFindFiltered].p50, loaded[kFindFiltered].p99, loaded[kFindFiltered].max,
                               ratio(loaded[kFindFiltered].p50, base_filtered.p50),
                               ratio(loaded[kFindFiltered].p99, base_filtered.p99));

  if (!error_counts.empty()) {
    std::cout << "| failed calls | kind | count | first message |\n|---|---|---:|---|\n";
    for (const auto& [key, count] : error_counts) {
      std::cout << absl::StrFormat("| %s | %s | %d | %s |\n", kOpNames[key.first], key.second, count.count,
                                   count.first_message);
    }
    std::cout << "\n";
  }

  // Memory: the minute marks of the 10 s samples, then all of them.
  const std::vector<MemorySample>& samples = monitor->samples();
  std::cout << "| server RSS | MiB | of which RocksDB memtables, MiB |\n|---|---:|---:|\n";
  for (const MemorySample& s : samples) {
    const int whole = static_cast<int>(s.seconds + 0.5);
    if (whole % 60 == 0 || &s == &samples.back()) {
      std::cout << absl::StrFormat("| %s%d s | %.1f | %s |\n", &s == &samples.back() ? "end, " : "", whole, Mib(s.rss),
                                   s.memtables < 0 ? std::string("?")
                                                   : absl::StrFormat("%.1f", Mib(static_cast<int64_t>(s.memtables))));
    }
  }
  std::cout << absl::StrFormat("| peak (VmHWM) | %.1f | |\n\n", Mib(rss_peak));
  std::vector<std::string> series;
  for (const MemorySample& s : samples) series.push_back(absl::StrFormat("%.0f", Mib(s.rss)));
  std::cout << "Server RSS every " << kSampleSeconds
            << " s from the start of the load, MiB: " << absl::StrJoin(series, " ") << "\n\n";
  // The first and last minute (or half of a shorter run); the first sample,
  // taken before any load, is left out of the first window.
  const double window = std::min(60.0, load_s / 2);
  const double first = MeanRss(samples, 1.0, window);
  const double last = MeanRss(samples, load_s - window, load_s + 1.0);
  const double drift_percent = first > 0 ? (last - first) / first * 100.0 : 0.0;
  std::cout << absl::StrFormat(
      "Mean server RSS over the first %.0f s of the load: %.1f MiB; over the last %.0f s: %.1f MiB; drift %+.1f MiB "
      "(%+.1f %%).\n\n",
      window, Mib(static_cast<int64_t>(first)), window, Mib(static_cast<int64_t>(last)),
      Mib(static_cast<int64_t>(last - first)), drift_percent);

  const double max_drift = absl::GetFlag(FLAGS_max_rss_drift_percent);
  const bool no_errors = all_errors == 0 && not_started == 0;
  const bool rate_met = achieved >= 0.95 * rate;
  const bool memory_met = std::abs(drift_percent) <= max_drift;
  const bool stopped = stop_s.ok();
  std::cout << "| target | measured | |\n|---|---:|---|\n";
  std::cout << absl::StrFormat("| every call made and answered | %d failed, %d not started, of %d | %s |\n", all_errors,
                               not_started, total, Verdict(no_errors));
  std::cout << absl::StrFormat("| achieved rate ≥ 95 %% of %.0f/s | %.1f/s | %s |\n", rate, achieved,
                               Verdict(rate_met));
  std::cout << absl::StrFormat("| RSS drift, first to last minute, within ±%.0f %% | %+.1f %% | %s |\n", max_drift,
                               drift_percent, Verdict(memory_met));
  std::cout << absl::StrFormat("| p99 of all calls (service time) | %.2f ms | |\n", all.p99);
  std::cout << absl::StrFormat("| clean stop after SIGTERM | %s | %s |\n",
                               stopped ? absl::StrFormat("%.1f s", *stop_s) : std::string("failed"), Verdict(stopped));
  if (!stopped) std::cerr << "load_bench: " << stop_s.status() << "\n";
  return no_errors && rate_met && memory_met && stopped;
}

}  // namespace
}  // namespace pollinator

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "A bounded load test of pollinatord on loopback: an open-loop mix of FindPartners, GetProfile, "
      "UpsertProfile, RecordInteraction, DeleteProfile and ListProfiles at a fixed rate.\n\n"
      "Usage: load_bench [--rate=200] [--seconds=300] [--profiles=5000] [--clients=32] [flags]\n"
      "Run from the repository root (for --samples). Starts its own pollinatord on a loopback port with its data in "
      "a temporary folder, seeds the profiles, times FindPartners unloaded, then runs the load. Tables go to stdout, "
      "progress to stderr every 30 s. A call that cannot start within its deadline (all clients busy) is given up and "
      "counted. Exits 1 if a call failed or was given up, the achieved rate fell below 95 % of --rate, the "
      "server's memory drifted by more than --max_rss_drift_percent, or the server did not stop cleanly. "
      "--seconds=20 is a short try. See bench/README.md.");
  absl::ParseCommandLine(argc, argv);
  const absl::StatusOr<bool> met = pollinator::Run();
  if (!met.ok()) {
    std::cerr << "load_bench: " << met.status() << "\n";
    return 2;
  }
  if (!*met) {
    std::cerr << "load_bench: FAILED: a target was missed (see the last table)\n";
    return 1;
  }
  return 0;
}
