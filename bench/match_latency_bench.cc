// match_latency_bench: how fast Pollinator stores profiles and answers
// FindPartners at several catalog sizes, next to a naive brute-force baseline
// measured in the same process.
//
//   build/bin/match_latency_bench   # defaults; run from the repository root
//   build/bin/match_latency_bench --sizes=1000,10000,50000 --queries=300
//
// For each size N it opens a RocksDbStore and a Catalog (built-in 256-d
// hashing embedder) in a fresh temporary directory, upserts N synthetic
// profiles recombined deterministically from the bundled samples, then times:
//   1. Catalog::Upsert (embedding plus one synced RocksDB WriteBatch each);
//   2. Matcher::FindPartners for several query shapes and filters, and
//      FaissVectorIndex::Search on its own, each against a plain C++ loop of
//      inner products over a copy of every stored vector plus partial_sort;
//   3. FaissVectorIndex::Save and ::Load, and a restart (Catalog::Open on the
//      same directory) with the saved index loaded and with it rebuilt.
// Tables go to stdout, progress to stderr. It is a program, not a test: a
// failed call aborts the run with the status.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/container/flat_hash_map.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/types/span.h"
#include "bench/bench_support.h"
#include "data/rocksdb_store.h"
#include "index/faiss_vector_index.h"
#include "index/labels.h"
#include "index/match_scoring.h"
#include "services/catalog.h"
#include "services/matcher.h"

ABSL_FLAG(std::vector<std::string>, sizes,
          std::vector<std::string>({"1000", "3000", "10000"}),
          "Comma-separated numbers of synthetic profiles; one fresh catalog "
          "per size.");
ABSL_FLAG(int, queries, 200, "Timed queries per scenario.");
ABSL_FLAG(int, top_k, 10,
          "top_k of every FindPartners request and of the plain index searches "
          "(1 to 100).");
ABSL_FLAG(std::string, samples, "data/samples/ecosystem.jsonl",
          "JSON Lines file of sample profiles that the synthetic profiles are "
          "recombined from.");
ABSL_FLAG(uint64_t, seed, 42,
          "Seed of the profile generator and of the query choice.");
ABSL_FLAG(std::string, work_dir, "",
          "Parent of the per-size temporary directories; empty means the "
          "system temp directory.");
ABSL_FLAG(bool, keep_data, false,
          "Keep each size's temporary directory instead of deleting it.");

namespace pollinator {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kTenant[] = "bench";
// Queries are timed in blocks of this many, alternating between the service
// and the naive baseline (see TimeAlternating).
constexpr size_t kBlockSize = 50;

// Appended to recombined texts so that copies of one sample text differ.
constexpr const char* kVariations[] = {
    "Timeline: within the next six months.",
    "Budget is flexible for the right partner.",
    "Open to joining an EU-funded consortium.",
    "We can start with a small paid pilot.",
    "English or German working language.",
    "Long-term cooperation preferred.",
    "Confidentiality agreement required up front.",
    "Ideally someone with references in regulated industries.",
    "First results are needed for a trade fair in spring.",
    "We can host visits at our site.",
    "Remote collaboration is fine.",
    "Co-funding through a regional innovation voucher is possible.",
};

// CPU time of the calling thread: for an upsert, everything but waiting on
// fsync (and on RocksDB's background threads).
double ThreadCpuSeconds() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) +
         static_cast<double>(now.tv_nsec) / 1e9;
}

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}
double Micros(Clock::duration d) {
  return std::chrono::duration<double, std::micro>(d).count();
}

// ---------------------------------------------------------------------------
// Synthetic profiles.

std::string Vary(absl::string_view text, std::mt19937_64& rng) {
  return absl::StrCat(text, " ",
                      kVariations[Pick(rng, std::size(kVariations))]);
}

// Recombines one item of the pool: same component, modes and scope, varied
// text, no expiry date (an expired sample need would make its asker
// unusable as a query) and no vector (the catalog embeds the text).
template <typename Item>
Item RecombineItem(const std::vector<Item>& pool, const std::string& id,
                   std::mt19937_64& rng) {
  Item item = pool[Pick(rng, pool.size())];
  item.set_id(id);
  item.set_text(Vary(item.text(), rng));
  item.clear_expires();
  item.clear_vector();
  return item;
}

// Profile `i` keeps kind, location (coordinates jittered by up to ~5 km),
// languages, size, stage and the number of needs and offers of sample
// i % samples; its sectors, description, needs and offers come from
// randomly chosen samples. Profiles are generated in order from one
// generator, so profile i is the same at every size.
v1::Profile MakeProfile(const SamplePool& pool, int64_t i,
                        std::mt19937_64& rng) {
  const v1::Profile& base =
      pool.profiles[static_cast<size_t>(i) % pool.profiles.size()];
  v1::Profile profile;
  profile.set_id(absl::StrFormat("p%07d", i));
  profile.set_kind(base.kind());
  profile.set_name(absl::StrCat(base.name(), " #", i));
  *profile.mutable_location() = base.location();
  if (base.location().has_lat() && base.location().has_lon()) {
    const auto jitter = [&rng]() {
      return (static_cast<double>(Pick(rng, 1001)) - 500.0) / 10000.0;
    };
    profile.mutable_location()->set_lat(base.location().lat() + jitter());
    profile.mutable_location()->set_lon(base.location().lon() + jitter());
  }
  *profile.mutable_languages() = base.languages();
  profile.set_size(base.size());
  profile.set_stage(base.stage());
  *profile.mutable_sectors() =
      pool.profiles[Pick(rng, pool.profiles.size())].sectors();
  profile.set_description(
      Vary(pool.profiles[Pick(rng, pool.profiles.size())].description(), rng));
  for (int n = 0; n < base.needs_size(); ++n) {
    *profile.add_needs() =
        RecombineItem(pool.needs, absl::StrCat("n", n + 1), rng);
  }
  for (int n = 0; n < base.offers_size(); ++n) {
    *profile.add_offers() =
        RecombineItem(pool.offers, absl::StrCat("o", n + 1), rng);
  }
  return profile;
}

// ---------------------------------------------------------------------------
// The baseline: every stored vector copied once into one array, searched by a
// plain loop of inner products and partial_sort. Not thread-safe: TopK
// reuses a scratch buffer.
class NaiveIndex {
 public:
  // `values` holds ids.size() vectors back to back; both must outlive this.
  NaiveIndex(int dimension, absl::Span<const int64_t> ids,
             absl::Span<const float> values)
      : dimension_(dimension),
        ids_(ids),
        values_(values),
        scored_(ids.size()) {}

  // The k highest inner products with `query` as (similarity, id).
  // Never inlined, so that every caller times the same machine code.
  ABSL_ATTRIBUTE_NOINLINE std::vector<std::pair<float, int64_t>> TopK(
      absl::Span<const float> query, int k) {
    const size_t n = ids_.size();
    for (size_t row = 0; row < n; ++row) {
      const float* x = values_.data() + row * static_cast<size_t>(dimension_);
      float sum = 0.0f;
      for (int d = 0; d < dimension_; ++d) sum += query[d] * x[d];
      scored_[row] = {sum, ids_[row]};
    }
    const size_t top = std::min<size_t>(static_cast<size_t>(k), n);
    std::partial_sort(
        scored_.begin(), scored_.begin() + static_cast<std::ptrdiff_t>(top),
        scored_.end(),
        [](const auto& a, const auto& b) { return a.first > b.first; });
    return {scored_.begin(),
            scored_.begin() + static_cast<std::ptrdiff_t>(top)};
  }

 private:
  const int dimension_;
  const absl::Span<const int64_t> ids_;
  const absl::Span<const float> values_;
  // Reused between calls so that the baseline does not time the allocator.
  std::vector<std::pair<float, int64_t>> scored_;
};

// What the benchmark reads out of the tenant once, under its shared lock.
struct TenantSnapshot {
  int dimension = 0;
  std::vector<int64_t> ids;
  std::vector<float> values;
  absl::flat_hash_map<int64_t, v1::ItemSide> sides;
  absl::flat_hash_map<int64_t, size_t> rows;
  // Need vector ids of each profile with at least one need.
  std::vector<std::pair<std::string, std::vector<int64_t>>> askers;

  // The stored vector `vector_id`, which must exist.
  absl::Span<const float> Row(int64_t vector_id) const {
    const size_t dim = static_cast<size_t>(dimension);
    return absl::Span<const float>(values.data() + rows.at(vector_id) * dim,
                                   dim);
  }
};

absl::StatusOr<TenantSnapshot> Snapshot(const Catalog& catalog) {
  TenantSnapshot snapshot;
  absl::Status status = catalog.ReadTenant(
      kTenant,
      [&](const TenantState* state)
          ABSL_NO_THREAD_SAFETY_ANALYSIS -> absl::Status {
            if (state == nullptr) {
              return absl::FailedPreconditionError("tenant has no index");
            }
            snapshot.dimension = state->index->dimension();
            snapshot.ids = state->index->Ids();
            snapshot.values.reserve(snapshot.ids.size() *
                                    static_cast<size_t>(snapshot.dimension));
            for (size_t row = 0; row < snapshot.ids.size(); ++row) {
              absl::StatusOr<std::vector<float>> vector =
                  state->index->Get(snapshot.ids[row]);
              if (!vector.ok()) return vector.status();
              snapshot.values.insert(snapshot.values.end(), vector->begin(),
                                     vector->end());
              snapshot.rows[snapshot.ids[row]] = row;
              snapshot.sides[snapshot.ids[row]] =
                  state->items.at(snapshot.ids[row]).side;
            }
            for (const auto& [id, profile] : state->profiles) {
              std::vector<int64_t> needs;
              // In need order, which is the order FindPartners searches them.
              for (const IndexedEntry& need : profile.needs) {
                if (need.vector_id != 0) needs.push_back(need.vector_id);
              }
              if (needs.empty()) continue;
              snapshot.askers.emplace_back(id, std::move(needs));
            }
            // flat_hash_map order is not stable; the query choice must be.
            std::sort(snapshot.askers.begin(), snapshot.askers.end());
            return absl::OkStatus();
          });
  if (!status.ok()) return status;
  return snapshot;
}

absl::StatusOr<std::vector<std::vector<float>>> EmbedTexts(
    const Catalog& catalog, const std::vector<std::string>& texts) {
  std::vector<std::vector<float>> vectors;
  absl::Status status = catalog.ReadTenant(
      kTenant,
      [&](const TenantState* state)
          ABSL_NO_THREAD_SAFETY_ANALYSIS -> absl::Status {
            if (state == nullptr || state->embedder == nullptr) {
              return absl::FailedPreconditionError(
                  "tenant has no built-in embedder");
            }
            for (const std::string& text : texts) {
              absl::StatusOr<std::vector<float>> vector =
                  state->embedder->Embed(text);
              if (!vector.ok()) return vector.status();
              vectors.push_back(std::move(*vector));
            }
            return absl::OkStatus();
          });
  if (!status.ok()) return status;
  return vectors;
}

// ---------------------------------------------------------------------------
// Filters and their selectivity (share of all profiles a filter admits).

bool SectorPrefixMatches(const v1::Profile& profile,
                         const std::string& wanted) {
  // The same rule as the matcher's sector filter: a code prefix, or the
  // two-digit NACE division ("62" matches "J62.01" and "62.01").
  for (const std::string& sector : profile.sectors()) {
    if (absl::StartsWithIgnoreCase(sector, wanted)) return true;
    const std::optional<int> division = NaceDivision(sector);
    if (division &&
        absl::StartsWith(absl::StrFormat("%02d", *division), wanted)) {
      return true;
    }
  }
  return false;
}

bool Admits(const v1::MatchFilters& filters, const v1::Profile& profile) {
  if (!filters.kinds().empty() &&
      std::find(filters.kinds().begin(), filters.kinds().end(),
                profile.kind()) == filters.kinds().end()) {
    return false;
  }
  if (!filters.countries().empty() &&
      std::find(filters.countries().begin(), filters.countries().end(),
                profile.location().country()) == filters.countries().end()) {
    return false;
  }
  for (const std::string& wanted : filters.sectors()) {
    if (!SectorPrefixMatches(profile, wanted)) return false;
  }
  return true;
}

double Selectivity(const v1::MatchFilters& filters,
                   const std::vector<v1::Profile>& profiles) {
  int64_t admitted = 0;
  for (const v1::Profile& profile : profiles) {
    admitted += Admits(filters, profile) ? 1 : 0;
  }
  return static_cast<double>(admitted) / static_cast<double>(profiles.size());
}

// The set of kinds whose share of the profiles is closest to `target`
// (fewest kinds, then lowest enum values, on ties).
v1::MatchFilters KindsFilterNear(const std::vector<v1::Profile>& profiles,
                                 double target) {
  std::vector<v1::ProfileKind> kinds;
  for (int k = v1::ProfileKind_MIN; k <= v1::ProfileKind_MAX; ++k) {
    if (v1::ProfileKind_IsValid(k) && k != v1::PROFILE_KIND_UNSPECIFIED) {
      kinds.push_back(static_cast<v1::ProfileKind>(k));
    }
  }
  absl::flat_hash_map<int, int64_t> counts;
  for (const v1::Profile& profile : profiles) ++counts[profile.kind()];
  uint32_t best_mask = 1;
  double best_error = 2.0;
  int best_bits = 0;
  for (uint32_t mask = 1; mask < (1u << kinds.size()); ++mask) {
    int64_t admitted = 0;
    int bits = 0;
    for (size_t k = 0; k < kinds.size(); ++k) {
      if (mask & (1u << k)) {
        admitted += counts[kinds[k]];
        ++bits;
      }
    }
    const double error = std::abs(static_cast<double>(admitted) /
                                      static_cast<double>(profiles.size()) -
                                  target);
    if (error < best_error - 1e-12 ||
        (std::abs(error - best_error) <= 1e-12 && bits < best_bits)) {
      best_error = error;
      best_mask = mask;
      best_bits = bits;
    }
  }
  v1::MatchFilters filters;
  for (size_t k = 0; k < kinds.size(); ++k) {
    if (best_mask & (1u << k)) filters.add_kinds(kinds[k]);
  }
  return filters;
}

v1::MatchFilters MostCommonCountry(const std::vector<v1::Profile>& profiles) {
  std::map<std::string, int64_t> counts;
  for (const v1::Profile& profile : profiles) {
    ++counts[profile.location().country()];
  }
  auto best = std::max_element(
      counts.begin(), counts.end(),
      [](const auto& a, const auto& b) { return a.second < b.second; });
  v1::MatchFilters filters;
  filters.add_countries(best->first);
  return filters;
}

// A kind + country + NACE division combination admitting about `target` of
// the profiles (at least one profile).
v1::MatchFilters SelectiveFilterNear(const std::vector<v1::Profile>& profiles,
                                     double target) {
  std::map<std::tuple<int, std::string, std::string>, int64_t> counts;
  for (const v1::Profile& profile : profiles) {
    std::set<std::string> divisions;
    for (const std::string& sector : profile.sectors()) {
      if (std::optional<int> division = NaceDivision(sector)) {
        divisions.insert(absl::StrFormat("%02d", *division));
      }
    }
    for (const std::string& division : divisions) {
      ++counts[{profile.kind(), profile.location().country(), division}];
    }
  }
  const double wanted =
      std::max(1.0, target * static_cast<double>(profiles.size()));
  const std::tuple<int, std::string, std::string>* best = nullptr;
  double best_error = 0.0;
  for (const auto& [key, count] : counts) {
    const double error = std::abs(static_cast<double>(count) - wanted);
    if (best == nullptr || error < best_error) {
      best = &key;
      best_error = error;
    }
  }
  v1::MatchFilters filters;
  filters.add_kinds(static_cast<v1::ProfileKind>(std::get<0>(*best)));
  filters.add_countries(std::get<1>(*best));
  filters.add_sectors(std::get<2>(*best));
  return filters;
}

std::string Describe(const v1::MatchFilters& filters) {
  std::vector<std::string> parts;
  if (!filters.kinds().empty()) {
    std::vector<std::string> kinds;
    for (int kind : filters.kinds()) {
      kinds.push_back(ProfileKindLabel(static_cast<v1::ProfileKind>(kind)));
    }
    parts.push_back(absl::StrCat("kinds={", absl::StrJoin(kinds, ","), "}"));
  }
  if (!filters.countries().empty()) {
    parts.push_back(absl::StrCat("countries={",
                                 absl::StrJoin(filters.countries(), ","), "}"));
  }
  if (!filters.sectors().empty()) {
    parts.push_back(
        absl::StrCat("sectors={", absl::StrJoin(filters.sectors(), ","), "}"));
  }
  return parts.empty() ? "none" : absl::StrJoin(parts, " ");
}

// ---------------------------------------------------------------------------
// Results.

struct LatencyRow {
  int64_t size = 0;
  std::string scenario;
  int queries = 0;
  std::string selectivity;
  double median_us = 0;
  double p99_us = 0;
  double naive_median_us = 0;
};

struct SizeResult {
  int64_t size = 0;
  int64_t vectors = 0;
  double upsert_seconds = 0;
  double upsert_cpu_seconds = 0;
  double upsert_median_us = 0;
  double upsert_p99_us = 0;
  std::vector<LatencyRow> latency;
  std::vector<std::string> notes;
  double index_mb = 0;
  double save_seconds = 0;
  double load_seconds = 0;
  double store_open_seconds = 0;
  double open_loaded_seconds = 0;
  std::string loaded_check;
  double open_rebuilt_seconds = 0;
  std::string rebuilt_check;
};

LatencyRow MakeRow(int64_t size, std::string scenario, std::string selectivity,
                   std::vector<double> micros,
                   std::vector<double> naive_micros) {
  LatencyRow row;
  row.size = size;
  row.scenario = std::move(scenario);
  row.queries = static_cast<int>(micros.size());
  row.selectivity = std::move(selectivity);
  row.median_us = Percentile(micros, 50);
  row.p99_us = Percentile(micros, 99);
  row.naive_median_us = Percentile(naive_micros, 50);
  return row;
}

std::string Percent(double share) {
  return absl::StrFormat("%.3g%%", share * 100.0);
}

// ---------------------------------------------------------------------------
// One size.

struct RunOptions {
  int queries = 300;
  int top_k = 10;
  uint64_t seed = 42;
  std::filesystem::path work_dir;
  bool keep_data = false;
};

// Deletes a directory tree when it goes out of scope, unless told to keep it.
// Not thread-safe.
class DirectoryCleanup {
 public:
  DirectoryCleanup(std::filesystem::path path, bool keep)
      : path_(std::move(path)), keep_(keep) {}
  DirectoryCleanup(const DirectoryCleanup&) = delete;
  DirectoryCleanup& operator=(const DirectoryCleanup&) = delete;
  ~DirectoryCleanup() {
    std::error_code error;
    if (keep_) {
      std::cerr << "kept " << path_.string() << "\n";
    } else {
      std::filesystem::remove_all(path_, error);
    }
  }

 private:
  const std::filesystem::path path_;
  const bool keep_;
};

absl::StatusOr<std::filesystem::path> MakeTempDir(
    const std::filesystem::path& parent, int64_t size) {
  std::string pattern =
      (parent / absl::StrCat("pollinator-bench-", size, "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(
        absl::StrCat("mkdtemp ", pattern, ": ", std::strerror(errno)));
  }
  return std::filesystem::path(pattern);
}

absl::StatusOr<std::unique_ptr<RocksDbStore>> OpenStore(
    const std::filesystem::path& dir) {
  StoreOptions options;
  options.path = (dir / "db").string();
  options.sync_writes = true;  // As pollinatord runs it.
  return RocksDbStore::Open(options);
}

CatalogOptions MakeCatalogOptions(const std::filesystem::path& dir) {
  CatalogOptions options;
  options.index_dir = (dir / "index").string();
  return options;  // Default embedder: hashing, 256 dimensions.
}

// How a restart went: "loaded" or "rebuilt", with the catalog's reason when
// that is not what `expect_loaded` says should have happened.
std::string LoadOutcome(const Catalog& catalog, bool expect_loaded) {
  for (const TenantLoadReport& report : catalog.load_reports()) {
    if (report.tenant != kTenant) continue;
    if (report.index_loaded) return "loaded";
    if (!expect_loaded) return "rebuilt";
    return absl::StrCat("rebuilt (", report.rebuild_reason, ")");
  }
  return "tenant missing";
}

// Upserts every profile, timing each call. Fills the upsert fields of
// `result`.
absl::Status TimeUpserts(Catalog& catalog,
                         const std::vector<v1::Profile>& profiles,
                         SizeResult& result) {
  std::vector<double> micros;
  micros.reserve(profiles.size());
  const Clock::time_point all_start = Clock::now();
  const double cpu_start = ThreadCpuSeconds();
  for (size_t i = 0; i < profiles.size(); ++i) {
    const Clock::time_point start = Clock::now();
    absl::StatusOr<bool> created = catalog.Upsert(kTenant, profiles[i]);
    micros.push_back(Micros(Clock::now() - start));
    if (!created.ok()) {
      return absl::Status(created.status().code(),
                          absl::StrCat("upsert ", profiles[i].id(), ": ",
                                       created.status().message()));
    }
    if ((i + 1) % std::max<size_t>(1, profiles.size() / 10) == 0) {
      std::cerr << "size " << result.size << ": upserted " << i + 1 << "/"
                << profiles.size() << "\n";
    }
  }
  result.upsert_seconds = Seconds(Clock::now() - all_start);
  result.upsert_cpu_seconds = ThreadCpuSeconds() - cpu_start;
  result.upsert_median_us = Percentile(micros, 50);
  result.upsert_p99_us = Percentile(micros, 99);
  return absl::OkStatus();
}

// A plain VectorIndex::Search configuration.
struct IndexVariant {
  std::string name;
  int k = 10;
  // Empty accepts every vector.
  std::function<bool(int64_t)> filter;
  std::string selectivity;
};

// Runs `service(q)` and `baseline(q)` for every query q < n, timing each
// call. Queries go in blocks of kBlockSize: the service answers a block, then
// the baseline answers the same block, and so on. Each side thus works on its
// own data while it is warm in cache, as a busy server would (interleaved
// per query, the two evict each other), and a passing disturbance on this
// shared machine hits both sides alike. Every block starts with one untimed
// call, which brings that side's data back into cache.
absl::Status TimeAlternating(size_t n,
                             const std::function<absl::Status(size_t)>& service,
                             const std::function<void(size_t)>& baseline,
                             std::vector<double>& service_micros,
                             std::vector<double>& baseline_micros) {
  service_micros.assign(n, 0.0);
  baseline_micros.assign(n, 0.0);
  for (size_t begin = 0; begin < n; begin += kBlockSize) {
    const size_t end = std::min(n, begin + kBlockSize);
    if (absl::Status s = service(begin); !s.ok()) return s;
    for (size_t q = begin; q < end; ++q) {
      const Clock::time_point start = Clock::now();
      absl::Status status = service(q);
      service_micros[q] = Micros(Clock::now() - start);
      if (!status.ok()) return status;
    }
    baseline(begin);
    for (size_t q = begin; q < end; ++q) {
      const Clock::time_point start = Clock::now();
      baseline(q);
      baseline_micros[q] = Micros(Clock::now() - start);
    }
  }
  return absl::OkStatus();
}

// Times index.Search against naive.TopK on the same query vectors. Counts in
// `agreeing` the unfiltered queries whose top-k similarities equal the naive
// ones.
absl::StatusOr<LatencyRow> TimeIndexSearch(
    const VectorIndex& index, NaiveIndex& naive,
    const std::vector<absl::Span<const float>>& queries,
    const IndexVariant& variant, int64_t size, int& agreeing) {
  SearchOptions search;
  search.k = variant.k;
  if (variant.filter) {
    search.filter = [&variant](int64_t id, const VectorFacts&) { return variant.filter(id); };
  }
  std::vector<std::vector<VectorHit>> hits(queries.size());
  std::vector<std::vector<std::pair<float, int64_t>>> expected(queries.size());
  std::vector<double> micros;
  std::vector<double> naive_micros;
  absl::Status status = TimeAlternating(
      queries.size(),
      [&](size_t q) -> absl::Status {
        absl::StatusOr<std::vector<VectorHit>> found =
            index.Search(queries[q], search);
        if (!found.ok()) return found.status();
        hits[q] = std::move(*found);
        return absl::OkStatus();
      },
      [&](size_t q) { expected[q] = naive.TopK(queries[q], variant.k); },
      micros, naive_micros);
  if (!status.ok()) return status;
  const auto same = [](const VectorHit& hit, const auto& top) {
    return std::abs(hit.similarity - top.first) <= 1e-4f;
  };
  for (size_t q = 0; q < queries.size(); ++q) {
    if (!variant.filter && hits[q].size() == expected[q].size() &&
        std::equal(hits[q].begin(), hits[q].end(), expected[q].begin(), same)) {
      ++agreeing;
    }
  }
  return MakeRow(size, variant.name, variant.selectivity, std::move(micros),
                 std::move(naive_micros));
}

// One FindPartners query shape.
struct Scenario {
  std::string name;
  // Ad-hoc text instead of a profile id.
  bool text = false;
  v1::MatchFilters filters;
};

// What every scenario asks: the same askers and texts.
struct Queries {
  // Indexes into TenantSnapshot::askers.
  std::vector<size_t> askers;
  std::vector<std::string> texts;
  // The embedded texts, for the naive baseline.
  std::vector<std::vector<float>> text_vectors;
};

// Times FindPartners against the naive top-k of the same query vectors
// (each need of the asker, or the embedded text), which has no filters,
// scoring or explanations.
absl::StatusOr<LatencyRow> TimeFindPartners(
    const Matcher& matcher, NaiveIndex& naive, const TenantSnapshot& snapshot,
    const Queries& queries, const Scenario& scenario, double selectivity,
    int top_k, int64_t size) {
  std::vector<double> micros;
  std::vector<double> naive_micros;
  absl::Status status = TimeAlternating(
      queries.askers.size(),
      [&](size_t q) -> absl::Status {
        v1::FindPartnersRequest request;
        request.set_tenant(kTenant);
        request.set_top_k(top_k);
        *request.mutable_filters() = scenario.filters;
        if (scenario.text) {
          request.set_text(queries.texts[q]);
        } else {
          request.set_profile_id(snapshot.askers[queries.askers[q]].first);
        }
        absl::StatusOr<v1::FindPartnersResponse> response =
            matcher.FindPartners(request);
        if (response.ok()) return absl::OkStatus();
        return absl::Status(response.status().code(),
                            absl::StrCat(scenario.name, ": FindPartners: ",
                                         response.status().message()));
      },
      [&](size_t q) {
        if (scenario.text) {
          naive.TopK(queries.text_vectors[q], top_k);
          return;
        }
        for (int64_t vector_id : snapshot.askers[queries.askers[q]].second) {
          naive.TopK(snapshot.Row(vector_id), top_k);
        }
      },
      micros, naive_micros);
  if (!status.ok()) return status;
  return MakeRow(size, scenario.name, Percent(selectivity), std::move(micros),
                 std::move(naive_micros));
}

// Times FaissVectorIndex::Save and ::Load, then shuts down as pollinatord does
// (save indexes, flush) and times a restart with the saved index and one
// without.
// Consumes the store and the catalog.
absl::Status TimeSaveAndRestart(const std::filesystem::path& dir,
                                std::unique_ptr<RocksDbStore> store,
                                std::unique_ptr<Catalog> catalog,
                                SizeResult& result) {
  // Written beside the catalog's own file, so the catalog is not disturbed.
  const std::filesystem::path probe = dir / "save_probe.faiss";
  absl::Status saved = catalog->ReadTenant(
      kTenant,
      [&](const TenantState* state)
          ABSL_NO_THREAD_SAFETY_ANALYSIS -> absl::Status {
            if (state == nullptr) {
              return absl::FailedPreconditionError("tenant has no index");
            }
            const Clock::time_point start = Clock::now();
            absl::Status status = state->index->Save(
                probe.string(), state->record.write_sequence());
            result.save_seconds = Seconds(Clock::now() - start);
            return status;
          });
  if (!saved.ok()) return saved;
  std::error_code error;
  result.index_mb =
      static_cast<double>(std::filesystem::file_size(probe, error)) / 1e6;
  const Clock::time_point load_start = Clock::now();
  absl::StatusOr<FaissVectorIndex::Loaded> loaded =
      FaissVectorIndex::Load(probe.string());
  result.load_seconds = Seconds(Clock::now() - load_start);
  if (!loaded.ok()) return loaded.status();
  loaded->index.reset();
  std::filesystem::remove(probe, error);
  if (absl::Status s = catalog->SaveIndexes(); !s.ok()) return s;
  if (absl::Status s = store->Flush(); !s.ok()) return s;
  catalog.reset();
  store.reset();

  for (const bool keep_index : {true, false}) {
    if (!keep_index) std::filesystem::remove_all(dir / "index", error);
    const Clock::time_point start = Clock::now();
    absl::StatusOr<std::unique_ptr<RocksDbStore>> reopened_store =
        OpenStore(dir);
    if (!reopened_store.ok()) return reopened_store.status();
    const Clock::time_point middle = Clock::now();
    absl::StatusOr<std::unique_ptr<Catalog>> reopened =
        Catalog::Open(reopened_store->get(), MakeCatalogOptions(dir));
    const Clock::time_point end = Clock::now();
    if (!reopened.ok()) return reopened.status();
    if (keep_index) {
      result.store_open_seconds = Seconds(middle - start);
      result.open_loaded_seconds = Seconds(end - middle);
      result.loaded_check = LoadOutcome(**reopened, true);
    } else {
      result.open_rebuilt_seconds = Seconds(end - middle);
      result.rebuilt_check = LoadOutcome(**reopened, false);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<SizeResult> RunSize(const SamplePool& pool, int64_t size,
                                   const RunOptions& options) {
  SizeResult result;
  result.size = size;
  absl::StatusOr<std::filesystem::path> dir =
      MakeTempDir(options.work_dir, size);
  if (!dir.ok()) return dir.status();
  DirectoryCleanup cleanup(*dir, options.keep_data);
  std::cerr << "size " << size << ": working in " << dir->string() << "\n";

  // 1. Profiles and upserts.
  std::mt19937_64 rng(options.seed);
  std::vector<v1::Profile> profiles;
  profiles.reserve(static_cast<size_t>(size));
  for (int64_t i = 0; i < size; ++i) {
    profiles.push_back(MakeProfile(pool, i, rng));
  }
  absl::StatusOr<std::unique_ptr<RocksDbStore>> store = OpenStore(*dir);
  if (!store.ok()) return store.status();
  absl::StatusOr<std::unique_ptr<Catalog>> catalog =
      Catalog::Open(store->get(), MakeCatalogOptions(*dir));
  if (!catalog.ok()) return catalog.status();
  if (absl::Status s = TimeUpserts(**catalog, profiles, result); !s.ok()) {
    return s;
  }
  // Searches are timed on the finished index: its HNSW graph (above
  // FaissVectorIndexOptions::graph_min_vectors) is built in the background.
  const Clock::time_point wait_start = Clock::now();
  VectorIndexStats stats;
  absl::Status waited = (*catalog)->ReadTenant(
      kTenant, [&](const TenantState* state) ABSL_NO_THREAD_SAFETY_ANALYSIS -> absl::Status {
        const auto* index = state == nullptr ? nullptr : dynamic_cast<const FaissVectorIndex*>(state->index.get());
        if (index == nullptr) return absl::FailedPreconditionError("tenant has no FaissVectorIndex");
        index->WaitUntilIdle();
        stats = index->Stats();
        return absl::OkStatus();
      });
  if (!waited.ok()) return waited;
  result.notes.push_back(absl::StrFormat(
      "index of %d live vectors, HNSW graph over %d; waited %.2f s after the last upsert for it",
      stats.live, stats.graph_vectors, Seconds(Clock::now() - wait_start)));

  absl::StatusOr<TenantSnapshot> snapshot = Snapshot(**catalog);
  if (!snapshot.ok()) return snapshot.status();
  result.vectors = static_cast<int64_t>(snapshot->ids.size());
  if (snapshot->askers.empty()) {
    return absl::FailedPreconditionError("no profile has a need to query with");
  }
  NaiveIndex naive(snapshot->dimension, snapshot->ids, snapshot->values);

  Queries queries;
  std::mt19937_64 query_rng(options.seed + 1);
  for (int q = 0; q < options.queries; ++q) {
    queries.askers.push_back(Pick(query_rng, snapshot->askers.size()));
    queries.texts.push_back(
        pool.needs[Pick(query_rng, pool.needs.size())].text());
  }
  absl::StatusOr<std::vector<std::vector<float>>> text_vectors =
      EmbedTexts(**catalog, queries.texts);
  if (!text_vectors.ok()) return text_vectors.status();
  queries.text_vectors = std::move(*text_vectors);

  // 2a. The index alone, on each asker's first need vector: as asked for
  // top_k, and as the matcher's first round asks (see
  // SearchDistinctPartners in matcher.cc) with a cheap filter on the side.
  std::cerr << "size " << size << ": index searches\n";
  std::vector<absl::Span<const float>> first_needs;
  for (size_t asker : queries.askers) {
    first_needs.push_back(snapshot->Row(snapshot->askers[asker].second[0]));
  }
  int64_t offer_vectors = 0;
  for (const auto& [id, side] : snapshot->sides) {
    offer_vectors += side == v1::ITEM_SIDE_OFFER ? 1 : 0;
  }
  const int matcher_k = options.top_k * 5 + 20;
  const std::vector<IndexVariant> variants = {
      {absl::StrCat("faiss_search_k", options.top_k), options.top_k, nullptr,
       "100%"},
      {absl::StrCat("faiss_search_k", matcher_k, "_offers"), matcher_k,
       [&snapshot](int64_t id) {
         auto it = snapshot->sides.find(id);
         return it != snapshot->sides.end() &&
                it->second == v1::ITEM_SIDE_OFFER;
       },
       Percent(static_cast<double>(offer_vectors) /
               static_cast<double>(result.vectors))},
  };
  int agreeing = 0;
  for (const IndexVariant& variant : variants) {
    absl::StatusOr<LatencyRow> row;
    absl::Status status = (*catalog)->ReadTenant(
        kTenant,
        [&](const TenantState* state)
            ABSL_NO_THREAD_SAFETY_ANALYSIS -> absl::Status {
              if (state == nullptr) {
                return absl::FailedPreconditionError("tenant has no index");
              }
              row = TimeIndexSearch(*state->index, naive, first_needs, variant,
                                    size, agreeing);
              return row.status();
            });
    if (!status.ok()) return status;
    result.latency.push_back(std::move(*row));
  }
  result.notes.push_back(absl::StrFormat(
      "%s returned the naive top-%d similarities (within 1e-4) for %d of %d "
      "queries",
      variants[0].name, options.top_k, agreeing, options.queries));

  // 2b. FindPartners.
  const std::vector<Scenario> scenarios = {
      {"a_profile", false, {}},
      {"b_profile_kinds", false, KindsFilterNear(profiles, 0.10)},
      {"c_profile_country", false, MostCommonCountry(profiles)},
      {"d_profile_selective", false, SelectiveFilterNear(profiles, 0.001)},
      {"e_text", true, {}},
  };
  const Matcher matcher(**catalog, ScoringWeights());
  for (const Scenario& scenario : scenarios) {
    std::cerr << "size " << size << ": " << scenario.name << "\n";
    const double selectivity = Selectivity(scenario.filters, profiles);
    if (selectivity < 1.0) {
      result.notes.push_back(absl::StrFormat(
          "%s: filters %s admit %d of %d profiles", scenario.name,
          Describe(scenario.filters),
          static_cast<int64_t>(
              std::llround(selectivity * static_cast<double>(size))),
          size));
    }
    absl::StatusOr<LatencyRow> row =
        TimeFindPartners(matcher, naive, *snapshot, queries, scenario,
                         selectivity, options.top_k, size);
    if (!row.ok()) return row.status();
    result.latency.push_back(std::move(*row));
  }
  int64_t searched = 0;
  for (size_t q = 0; q < queries.askers.size(); ++q) {
    searched +=
        static_cast<int64_t>(snapshot->askers[queries.askers[q]].second.size());
  }
  result.notes.push_back(absl::StrFormat(
      "profile scenarios search %.2f need vectors per request on average",
      static_cast<double>(searched) / options.queries));

  // 3. Saving the index and restarting.
  std::cerr << "size " << size << ": save and restart\n";
  if (absl::Status s = TimeSaveAndRestart(*dir, std::move(*store),
                                          std::move(*catalog), result);
      !s.ok()) {
    return s;
  }
  return result;
}

// ---------------------------------------------------------------------------
// Output.

void PrintTables(const std::vector<SizeResult>& results,
                 const RunOptions& options, const std::string& load_before) {
  std::cout << absl::StrFormat(
      "match_latency_bench: tenant \"%s\", built-in 256-d hashing embedder, "
      "FaissVectorIndex (exact SIMD scan; HNSW graph above its graph_min_vectors), "
      "top_k %d, %d timed queries per scenario, seed %d\n"
      "machine: %u hardware threads, load average %s before, %s after\n",
      kTenant, options.top_k, options.queries, options.seed,
      std::thread::hardware_concurrency(), load_before, LoadAverage());

  std::cout << "\nUpserts (Catalog::Upsert: embed + one synced RocksDB "
               "WriteBatch per profile)\n";
  std::cout << absl::StrFormat("%8s | %8s | %9s | %10s | %10s | %9s | %11s\n",
                               "size", "vectors", "seconds", "profiles/s",
                               "median_us", "p99_us", "cpu_us_mean");
  for (const SizeResult& r : results) {
    std::cout << absl::StrFormat(
        "%8d | %8d | %9.2f | %10.0f | %10.0f | %9.0f | %11.0f\n", r.size,
        r.vectors, r.upsert_seconds,
        static_cast<double>(r.size) / r.upsert_seconds, r.upsert_median_us,
        r.upsert_p99_us,
        r.upsert_cpu_seconds * 1e6 / static_cast<double>(r.size));
  }
  std::cout << "(cpu_us_mean: CPU time of the upserting thread per profile; "
               "the rest of the wall time is "
               "mostly waiting on fsync)\n";

  std::cout << "\nSearch latency (us); naive = plain C++ inner products over "
               "all vectors + partial_sort, "
               "same query vectors\n";
  std::cout << absl::StrFormat(
      "%8s | %-23s | %7s | %11s | %10s | %10s | %10s | %14s\n", "size",
      "scenario", "queries", "selectivity", "median_us", "p99_us", "naive_us",
      "ratio_vs_naive");
  for (const SizeResult& r : results) {
    for (const LatencyRow& row : r.latency) {
      std::cout << absl::StrFormat(
          "%8d | %-23s | %7d | %11s | %10.0f | %10.0f | %10.0f | %14.2f\n",
          row.size, row.scenario, row.queries, row.selectivity, row.median_us,
          row.p99_us, row.naive_median_us, row.median_us / row.naive_median_us);
    }
  }

  std::cout << "\nIndex save and restart (seconds; open_* = Catalog::Open on "
               "the same directory)\n";
  std::cout << absl::StrFormat(
      "%8s | %8s | %8s | %7s | %7s | %12s | %13s | %14s\n", "size", "vectors",
      "index_MB", "save_s", "load_s", "store_open_s", "open_loaded_s",
      "open_rebuilt_s");
  for (const SizeResult& r : results) {
    std::cout << absl::StrFormat(
        "%8d | %8d | %8.1f | %7.3f | %7.3f | %12.3f | %13.3f | %14.3f\n",
        r.size, r.vectors, r.index_mb, r.save_seconds, r.load_seconds,
        r.store_open_seconds, r.open_loaded_seconds, r.open_rebuilt_seconds);
  }
  std::cout << "(save_s, load_s: FaissVectorIndex::Save and ::Load alone; "
               "open_loaded_s uses the saved index, open_rebuilt_s has it "
               "deleted first)\n";

  std::cout << "\nNotes\n";
  for (const SizeResult& r : results) {
    std::cout << absl::StrFormat(
        "size %d: restart with index file: %s; without: %s\n", r.size,
        r.loaded_check, r.rebuilt_check);
    for (const std::string& note : r.notes) {
      std::cout << absl::StrFormat("size %d: %s\n", r.size, note);
    }
  }
}

absl::StatusOr<std::vector<int64_t>> ParseSizes(
    const std::vector<std::string>& values) {
  std::vector<int64_t> sizes;
  for (const std::string& value : values) {
    int64_t size = 0;
    if (!absl::SimpleAtoi(value, &size) || size < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("--sizes: \"", value, "\" is not a positive integer"));
    }
    sizes.push_back(size);
  }
  if (sizes.empty()) return absl::InvalidArgumentError("--sizes: empty");
  return sizes;
}

int Run() {
  absl::StatusOr<std::vector<int64_t>> sizes =
      ParseSizes(absl::GetFlag(FLAGS_sizes));
  RunOptions options;
  options.queries = absl::GetFlag(FLAGS_queries);
  options.top_k = absl::GetFlag(FLAGS_top_k);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.keep_data = absl::GetFlag(FLAGS_keep_data);
  options.work_dir = absl::GetFlag(FLAGS_work_dir);
  absl::Status status = sizes.status();
  if (status.ok() && options.queries < 1) {
    status = absl::InvalidArgumentError("--queries: must be at least 1");
  }
  if (status.ok() && (options.top_k < 1 || options.top_k > 100)) {
    status = absl::InvalidArgumentError("--top_k: must be 1 to 100");
  }
  if (status.ok() && options.work_dir.empty()) {
    std::error_code error;
    options.work_dir = std::filesystem::temp_directory_path(error);
    if (error) {
      status = absl::InternalError(
          absl::StrCat("temp directory: ", error.message()));
    }
  }
  if (!status.ok()) {
    std::cerr << "match_latency_bench: " << status.message() << "\n";
    return EXIT_FAILURE;
  }
  absl::StatusOr<SamplePool> pool = ReadSamples(absl::GetFlag(FLAGS_samples));
  if (!pool.ok()) {
    std::cerr << "match_latency_bench: " << pool.status().message() << "\n";
    return EXIT_FAILURE;
  }
  std::cerr << "read " << pool->profiles.size() << " sample profiles ("
            << pool->needs.size() << " needs, " << pool->offers.size()
            << " offers)\n";

  const std::string load_before = LoadAverage();
  std::vector<SizeResult> results;
  for (int64_t size : *sizes) {
    absl::StatusOr<SizeResult> result = RunSize(*pool, size, options);
    if (!result.ok()) {
      std::cerr << "match_latency_bench: size " << size << ": "
                << result.status() << "\n";
      return EXIT_FAILURE;
    }
    results.push_back(std::move(*result));
  }
  PrintTables(results, options, load_before);
  return EXIT_SUCCESS;
}

}  // namespace
}  // namespace pollinator

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Measures Catalog::Upsert throughput, FindPartners latency (vs a naive "
      "brute-force loop), "
      "FaissVectorIndex::Save and restart cost on synthetic catalogs.\n"
      "Run from the repository root (or pass --samples):\n"
      "  build/bin/match_latency_bench --sizes=1000,10000,50000 --queries=300");
  absl::ParseCommandLine(argc, argv);
  return pollinator::Run();
}
