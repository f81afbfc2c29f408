#include "index/faiss_vector_index.h"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <exception>
#include <fstream>
#include <limits>
#include <memory>
#include <new>
#include <queue>
#include <utility>

#include <faiss/impl/AuxIndexStructures.h>
#include <faiss/impl/DistanceComputer.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/HNSW.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/utils/Heap.h>
#include <xxhash.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "index/atomic_file.h"
#include "index/simd_kernels.h"

namespace pollinator {
namespace {

using idx_t = faiss::Index::idx_t;

// Version 3: flat slots, tombstones and the HNSW graph, with an XXH3
// checksum (version 2 had FNV-1a, too slow for gigabytes; version 1 was a
// FAISS IndexIDMap2 file). Older files are rebuilt from the Store.
constexpr char kMagic[8] = {'P', 'L', 'N', 'X', 'I', 'D', 'X', '3'};
// Vectors sampled to estimate a filter's selectivity.
constexpr size_t kSelectivitySample = 512;
// How much longer than the filter's share says the graph's search list is.
constexpr double kSearchListMargin = 1.5;
// Exact scans score the slots that pass in batches of this many, fetching
// each row this many rows ahead.
constexpr size_t kScanBatch = 256;
constexpr size_t kPrefetchAhead = 6;
// The longest search list of a graph search's first pass.
constexpr int kMaxFirstSearchList = 4096;
// Slots the linker thread links into the graph per hold of the write lock.
constexpr size_t kLinkChunk = 64;

absl::Status FaissError(absl::string_view operation, const std::exception& e) {
  return absl::InternalError(absl::StrCat("faiss ", operation, ": ", e.what()));
}

// FAISS's HNSW keeps the smallest distances: the negated inner product,
// computed with the SIMD kernels.
class NegatedInnerProduct final : public faiss::DistanceComputer {
 public:
  NegatedInnerProduct(const float* base, size_t d) : base_(base), d_(d) {}
  void set_query(const float* x) override { query_ = x; }
  float operator()(idx_t i) override { return -InnerProduct(query_, base_ + static_cast<size_t>(i) * d_, d_); }
  float symmetric_dis(idx_t i, idx_t j) override {
    return -InnerProduct(base_ + static_cast<size_t>(i) * d_, base_ + static_cast<size_t>(j) * d_, d_);
  }

 private:
  const float* const base_;
  const size_t d_;
  const float* query_ = nullptr;
};

void PrefetchRow(const float* row, size_t d) {
  const char* const bytes = reinterpret_cast<const char*>(row);
  for (size_t offset = 0; offset < d * sizeof(float); offset += 64) __builtin_prefetch(bytes + offset);
}

template <typename T>
bool Contains(const std::vector<T>& values, T value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// Serialization: raw values and length-prefixed vectors, streamed to and
// from the file with an XXH3 checksum of the payload taken on the way.
struct FreeXxh3State {
  void operator()(XXH3_state_t* state) const { XXH3_freeState(state); }
};
using Xxh3State = std::unique_ptr<XXH3_state_t, FreeXxh3State>;

Xxh3State NewXxh3State() {
  Xxh3State state(XXH3_createState());
  if (state == nullptr) throw std::bad_alloc();
  XXH3_64bits_reset(state.get());
  return state;
}

class Writer {
 public:
  explicit Writer(AtomicFile& file) : file_(file), hash_(NewXxh3State()) {}
  template <typename T>
  void Value(const T& value) {
    Bytes(absl::string_view(reinterpret_cast<const char*>(&value), sizeof(value)));
  }
  template <typename T>
  void Vector(const std::vector<T>& values) {
    Value(static_cast<uint64_t>(values.size()));
    Bytes(absl::string_view(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T)));
  }
  // The first error; later writes are skipped.
  const absl::Status& status() const { return status_; }
  uint64_t checksum() const { return XXH3_64bits_digest(hash_.get()); }

 private:
  void Bytes(absl::string_view bytes) {
    if (!status_.ok()) return;
    XXH3_64bits_update(hash_.get(), bytes.data(), bytes.size());
    status_ = file_.Append(bytes);
  }

  AtomicFile& file_;
  Xxh3State hash_;
  absl::Status status_;
};

// Reads `length` payload bytes from `in`, hashing them; every read fails
// once one has (short file, or a count past the payload's end).
class Reader {
 public:
  Reader(std::istream& in, uint64_t length) : in_(in), left_(length), hash_(NewXxh3State()) {}
  template <typename T>
  bool Value(T& value) {
    return Bytes(reinterpret_cast<char*>(&value), sizeof(value));
  }
  template <typename T>
  bool Vector(std::vector<T>& values) {
    uint64_t count = 0;
    if (!Value(count) || count > left_ / sizeof(T)) return false;
    values.resize(count);
    return Bytes(reinterpret_cast<char*>(values.data()), count * sizeof(T));
  }
  bool done() const { return left_ == 0; }
  uint64_t checksum() const { return XXH3_64bits_digest(hash_.get()); }

 private:
  bool Bytes(char* out, size_t size) {
    if (ok_ && (size > left_ || !in_.read(out, static_cast<std::streamsize>(size)))) ok_ = false;
    if (!ok_) return false;
    XXH3_64bits_update(hash_.get(), out, size);
    left_ -= size;
    return true;
  }

  std::istream& in_;
  uint64_t left_;
  bool ok_ = true;
  Xxh3State hash_;
};

}  // namespace

// The HNSW links over a Storage's slots, with FAISS's per-node locks (the
// graph is extended by one thread at a time, so they are never contended).
struct HnswGraph {
  HnswGraph(int m, int ef_construction) : hnsw(m) { hnsw.efConstruction = ef_construction; }
  ~HnswGraph() {
    for (omp_lock_t& lock : locks) omp_destroy_lock(&lock);
  }
  HnswGraph(const HnswGraph&) = delete;
  HnswGraph& operator=(const HnswGraph&) = delete;

  size_t size() const { return hnsw.levels.size(); }

  // Links slots [size(), n) of `base` in; false when `stop` was set first.
  bool Extend(const float* base, size_t d, size_t n, const std::atomic<bool>* stop) {
    const size_t n0 = size();
    if (n <= n0) return true;
    hnsw.prepare_level_tab(n - n0, /*preset_levels=*/false);
    locks.resize(n);
    for (size_t i = n0; i < n; ++i) omp_init_lock(&locks[i]);
    // Higher levels first, as FAISS orders a batch: the upper layers then
    // exist when the base layer is linked.
    std::vector<std::pair<int, size_t>> order;
    order.reserve(n - n0);
    for (size_t i = n0; i < n; ++i) order.emplace_back(-hnsw.levels[i], i);
    std::stable_sort(order.begin(), order.end());
    NegatedInnerProduct distance(base, d);
    faiss::VisitedTable visited(static_cast<int>(n));
    size_t done = 0;
    for (const auto& [negative_level, slot] : order) {
      if (stop != nullptr && (++done % 256) == 0 && stop->load()) return false;
      distance.set_query(base + slot * d);
      hnsw.add_with_locks(distance, -negative_level - 1, static_cast<int>(slot), locks, visited);
      visited.advance();
    }
    return true;
  }

  faiss::HNSW hnsw;
  std::vector<omp_lock_t> locks;
};

struct FaissVectorIndex::Storage {
  explicit Storage(size_t dimension) : d(dimension) {}

  size_t slots() const { return ids.size(); }
  int64_t live() const { return static_cast<int64_t>(slots()) - tombstones; }
  const float* row(size_t slot) const { return vectors.data() + slot * d; }

  void Append(int64_t id, const float* vector, const VectorFacts& vector_facts) {
    const auto slot = static_cast<uint32_t>(slots());
    ids.push_back(id);
    vectors.insert(vectors.end(), vector, vector + d);
    facts.push_back(vector_facts);
    deleted.push_back(0);
    by_country[vector_facts.country].push_back(slot);
    by_kind[vector_facts.kind].push_back(slot);
    by_side[vector_facts.side].push_back(slot);
  }

  void RebuildPostings() {
    by_country.clear();
    by_kind.clear();
    by_side.clear();
    for (uint32_t slot = 0; slot < slots(); ++slot) {
      if (deleted[slot]) continue;
      by_country[facts[slot].country].push_back(slot);
      by_kind[facts[slot].kind].push_back(slot);
      by_side[facts[slot].side].push_back(slot);
    }
  }

  // A visited table as large as the graph, reused across searches: a fresh
  // one per search would cost a clear of one byte per vector.
  std::unique_ptr<faiss::VisitedTable> AcquireVisited() const {
    std::unique_ptr<faiss::VisitedTable> table;
    {
      absl::MutexLock lock(&pool_mu);
      if (!visited_pool.empty()) {
        table = std::move(visited_pool.back());
        visited_pool.pop_back();
      }
    }
    if (table == nullptr) table = std::make_unique<faiss::VisitedTable>(static_cast<int>(slots()));
    if (table->visited.size() < slots()) table->visited.resize(slots(), 0);
    return table;
  }
  void ReleaseVisited(std::unique_ptr<faiss::VisitedTable> table) const {
    absl::MutexLock lock(&pool_mu);
    visited_pool.push_back(std::move(table));
  }

  const size_t d;
  std::vector<float> vectors;
  std::vector<int64_t> ids;
  std::vector<VectorFacts> facts;
  std::vector<uint8_t> deleted;
  int64_t tombstones = 0;
  // Slots by country, kind and side, tombstones included until a compaction.
  absl::flat_hash_map<uint16_t, std::vector<uint32_t>> by_country;
  absl::flat_hash_map<uint8_t, std::vector<uint32_t>> by_kind;
  absl::flat_hash_map<uint8_t, std::vector<uint32_t>> by_side;
  // Null below graph_min_vectors; covers every slot otherwise.
  std::unique_ptr<HnswGraph> graph;
  mutable absl::Mutex pool_mu;
  mutable std::vector<std::unique_ptr<faiss::VisitedTable>> visited_pool ABSL_GUARDED_BY(pool_mu);
};

namespace {

using Storage = FaissVectorIndex::Storage;

// Whether a slot may be returned: live, of an allowed country, kind and
// side, and accepted by the caller's filter.
class SlotTest {
 public:
  SlotTest(const Storage& storage, const SearchOptions& options) : storage_(storage), options_(options) {}
  bool operator()(size_t slot) const {
    if (storage_.deleted[slot]) return false;
    const VectorFacts& facts = storage_.facts[slot];
    if (!options_.countries.empty() && !Contains(options_.countries, facts.country)) return false;
    if (!options_.kinds.empty() && !Contains(options_.kinds, facts.kind)) return false;
    if (!options_.sides.empty() && !Contains(options_.sides, facts.side)) return false;
    return !options_.filter || options_.filter(storage_.ids[slot], facts);
  }

 private:
  const Storage& storage_;
  const SearchOptions& options_;
};

struct Scored {
  float similarity;
  uint32_t slot;
};

// Higher similarity first; the earlier slot on ties, so results do not
// depend on the order vectors are visited in.
bool Better(const Scored& a, const Scored& b) {
  return a.similarity != b.similarity ? a.similarity > b.similarity : a.slot < b.slot;
}

std::vector<VectorHit> ToHits(const Storage& storage, std::vector<Scored>& scored) {
  std::sort(scored.begin(), scored.end(), Better);
  std::vector<VectorHit> hits;
  hits.reserve(scored.size());
  for (const Scored& s : scored) hits.push_back({storage.ids[s.slot], s.similarity});
  return hits;
}

// The best k of the slots offered, in a heap with the worst on top.
class TopK {
 public:
  explicit TopK(size_t k) : k_(k) { heap_.reserve(k); }
  void Offer(float similarity, uint32_t slot) {
    const Scored candidate{similarity, slot};
    if (heap_.size() < k_) {
      heap_.push_back(candidate);
      std::push_heap(heap_.begin(), heap_.end(), Better);
    } else if (Better(candidate, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), Better);
      heap_.back() = candidate;
      std::push_heap(heap_.begin(), heap_.end(), Better);
    }
  }
  std::vector<Scored>& scored() { return heap_; }

 private:
  const size_t k_;
  std::vector<Scored> heap_;
};

// An HNSW search with the filter inside, over FAISS's graph: a greedy
// descent of the upper layers, then a best-first search of the base layer
// that keeps the `search_list` nearest nodes it has seen, passing or not,
// and offers those that pass to `top`. Returns how many passed. FAISS
// 1.7.3's own HNSW::search cannot serve here: it sizes its candidate list
// from the graph's efSearch member and ignores SearchParametersHNSW's, so
// every search ran with a list of max(16, k).
size_t SearchGraph(const faiss::HNSW& hnsw, faiss::DistanceComputer& distance, int search_list,
                   const SlotTest& test, faiss::VisitedTable& visited, TopK& top) {
  using Node = std::pair<float, int>;  // distance, slot
  if (hnsw.entry_point < 0) return 0;
  int nearest = hnsw.entry_point;
  float nearest_distance = distance(nearest);
  for (int level = hnsw.max_level; level > 0; --level) {
    for (bool moved = true; moved;) {
      moved = false;
      size_t begin, end;
      hnsw.neighbor_range(nearest, level, &begin, &end);
      for (size_t i = begin; i < end && hnsw.neighbors[i] >= 0; ++i) {
        const float d = distance(hnsw.neighbors[i]);
        if (d < nearest_distance) {
          nearest = hnsw.neighbors[i];
          nearest_distance = d;
          moved = true;
        }
      }
    }
  }
  std::priority_queue<Node, std::vector<Node>, std::greater<Node>> frontier;  // nearest on top
  std::priority_queue<Node> kept;                                             // farthest on top
  size_t passed = 0;
  const auto visit = [&](int slot, float d) {
    if (test(static_cast<size_t>(slot))) {
      top.Offer(-d, static_cast<uint32_t>(slot));
      ++passed;
    }
    if (kept.size() < static_cast<size_t>(search_list) || d < kept.top().first) {
      frontier.emplace(d, slot);
      kept.emplace(d, slot);
      if (kept.size() > static_cast<size_t>(search_list)) kept.pop();
    }
  };
  visited.set(nearest);
  visit(nearest, nearest_distance);
  while (!frontier.empty()) {
    const auto [d, slot] = frontier.top();
    if (kept.size() >= static_cast<size_t>(search_list) && d > kept.top().first) break;
    frontier.pop();
    size_t begin, end;
    hnsw.neighbor_range(slot, 0, &begin, &end);
    for (size_t i = begin; i < end && hnsw.neighbors[i] >= 0; ++i) {
      const int neighbour = hnsw.neighbors[i];
      if (visited.get(neighbour)) continue;
      visited.set(neighbour);
      visit(neighbour, distance(neighbour));
    }
  }
  visited.advance();
  return passed;
}

// Candidate slots from the posting lists of the most selective constrained
// attribute; empty `lists` with `constrained` unset means every slot.
struct Candidates {
  std::vector<const std::vector<uint32_t>*> lists;
  size_t count = 0;
  bool constrained = false;
};

template <typename Code, typename Postings>
void Narrow(const std::vector<Code>& allowed, const Postings& postings, Candidates& best) {
  if (allowed.empty()) return;
  Candidates candidates;
  candidates.constrained = true;
  for (const Code code : allowed) {
    auto it = postings.find(code);
    if (it == postings.end() || Contains(candidates.lists, &it->second)) continue;
    candidates.lists.push_back(&it->second);
    candidates.count += it->second.size();
  }
  if (!best.constrained || candidates.count < best.count) best = std::move(candidates);
}

// A well-mixed 64-bit function of `x` (SplitMix64's finaliser).
uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// The share of all slots that pass, from a sample of the candidates: one
// slot drawn from each of kSelectivitySample equal strata. A fixed stride
// would alias with layouts that repeat (a profile's five vectors sit in
// consecutive slots, so a stride that is a multiple of five samples one
// side only and reads a side filter as admitting all or nothing).
double EstimateSelectivity(const Storage& storage, const Candidates& candidates, const SlotTest& test) {
  const size_t total = candidates.constrained ? candidates.count : storage.slots();
  if (total == 0 || storage.slots() == 0) return 0.0;
  const size_t strata = std::min(total, kSelectivitySample);
  size_t passed = 0;
  size_t list = 0;
  size_t offset = 0;  // positions before candidates.lists[list]
  for (size_t i = 0; i < strata; ++i) {
    const size_t begin = i * total / strata;
    const size_t end = (i + 1) * total / strata;
    const size_t position = begin + static_cast<size_t>(Mix(i) % (end - begin));
    size_t slot = position;
    if (candidates.constrained) {
      while (position >= offset + candidates.lists[list]->size()) offset += candidates.lists[list++]->size();
      slot = (*candidates.lists[list])[position - offset];
    }
    if (test(slot)) ++passed;
  }
  return static_cast<double>(passed) / static_cast<double>(strata) * static_cast<double>(total) /
         static_cast<double>(storage.slots());
}

// The planner: posting lists narrow the candidates when countries, kinds or
// sides are constrained; a sample says what share of all vectors pass, and
// the graph is searched only when enough do. The choice depends on the
// options and the index, never on the query.
struct Plan {
  Candidates candidates;
  bool exact = true;
  // Estimated when the graph was considered.
  double selectivity = 0.0;
  // The posting lists to scan; null for every slot.
  const std::vector<const std::vector<uint32_t>*>* lists() const {
    return candidates.constrained ? &candidates.lists : nullptr;
  }
};

Plan PlanSearch(const Storage& storage, const SearchOptions& options, int k, double min_graph_selectivity) {
  Plan plan;
  Narrow(options.countries, storage.by_country, plan.candidates);
  Narrow(options.kinds, storage.by_kind, plan.candidates);
  Narrow(options.sides, storage.by_side, plan.candidates);
  if (storage.graph == nullptr || storage.graph->hnsw.entry_point < 0 ||
      static_cast<int64_t>(k) * 8 > storage.live()) {
    return plan;
  }
  plan.selectivity = EstimateSelectivity(storage, plan.candidates, SlotTest(storage, options));
  plan.exact = plan.selectivity < min_graph_selectivity;
  return plan;
}

}  // namespace

absl::Status FaissVectorIndexOptions::Validate() const {
  if (graph_min_vectors < 1) return absl::InvalidArgumentError("graph_min_vectors: must be at least 1");
  if (hnsw_m < 2 || hnsw_m > 256) return absl::InvalidArgumentError("hnsw_m: must be in [2, 256]");
  if (ef_construction < 1 || ef_search < 1) {
    return absl::InvalidArgumentError("ef_construction, ef_search: must be at least 1");
  }
  if (!(min_graph_selectivity > 0.0 && min_graph_selectivity <= 1.0)) {
    return absl::InvalidArgumentError("min_graph_selectivity: must be in (0, 1]");
  }
  if (!(compact_share > 0.0 && compact_share <= 1.0)) {
    return absl::InvalidArgumentError("compact_share: must be in (0, 1]");
  }
  return absl::OkStatus();
}

FaissVectorIndex::FaissVectorIndex(int dimension, const FaissVectorIndexOptions& options,
                                   std::unique_ptr<Storage> storage)
    : dimension_(dimension), options_(options), storage_(std::move(storage)) {
  linker_ = std::thread([this] { RunLinker(); });
}

FaissVectorIndex::~FaissVectorIndex() {
  {
    absl::MutexLock lock(&mu_);  // so that the linker's wait sees it
    stopping_ = true;
  }
  if (linker_.joinable()) linker_.join();
  if (compactor_.joinable()) compactor_.join();
}

absl::StatusOr<std::unique_ptr<FaissVectorIndex>> FaissVectorIndex::Create(int dimension,
                                                                            const FaissVectorIndexOptions& options) {
  if (dimension < 1 || dimension > 65536) {
    return absl::InvalidArgumentError(absl::StrCat("dimension: ", dimension, " is outside [1, 65536]"));
  }
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  return std::unique_ptr<FaissVectorIndex>(
      new FaissVectorIndex(dimension, options, std::make_unique<Storage>(static_cast<size_t>(dimension))));
}

int FaissVectorIndex::dimension() const { return dimension_; }

int64_t FaissVectorIndex::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return storage_->live();
}

absl::Status FaissVectorIndex::Add(absl::Span<const int64_t> ids, absl::Span<const float> vectors,
                                   absl::Span<const VectorFacts> facts) {
  absl::MutexLock lock(&mu_);
  if (vectors.size() != ids.size() * static_cast<size_t>(dimension_)) {
    return absl::InvalidArgumentError(absl::StrCat("vectors: ", vectors.size(), " floats for ", ids.size(),
                                                   " ids of dimension ", dimension_));
  }
  if (!facts.empty() && facts.size() != ids.size()) {
    return absl::InvalidArgumentError(absl::StrCat("facts: ", facts.size(), " for ", ids.size(), " ids"));
  }
  absl::flat_hash_set<int64_t> seen;
  for (const int64_t id : ids) {
    if (slot_of_.contains(id) || !seen.insert(id).second) {
      return absl::AlreadyExistsError(absl::StrCat("vector ", id, ": already in the index"));
    }
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    slot_of_[ids[i]] = static_cast<uint32_t>(storage_->slots());
    storage_->Append(ids[i], vectors.data() + i * dimension_, facts.empty() ? VectorFacts() : facts[i]);
  }
  // The linker thread links the new slots into the graph, if there is one.
  MaybeCompactLocked();
  return absl::OkStatus();
}

absl::Status FaissVectorIndex::SetFacts(absl::Span<const int64_t> ids, absl::Span<const VectorFacts> facts) {
  if (facts.size() != ids.size()) {
    return absl::InvalidArgumentError(absl::StrCat("facts: ", facts.size(), " for ", ids.size(), " ids"));
  }
  absl::MutexLock lock(&mu_);
  for (const int64_t id : ids) {
    if (!slot_of_.contains(id)) return absl::NotFoundError(absl::StrCat("vector ", id, ": not in the index"));
  }
  for (size_t i = 0; i < ids.size(); ++i) storage_->facts[slot_of_.at(ids[i])] = facts[i];
  storage_->RebuildPostings();
  return absl::OkStatus();
}

absl::Status FaissVectorIndex::Remove(absl::Span<const int64_t> ids) {
  if (ids.empty()) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  for (const int64_t id : ids) {
    auto it = slot_of_.find(id);
    if (it == slot_of_.end()) continue;
    storage_->deleted[it->second] = 1;
    ++storage_->tombstones;
    slot_of_.erase(it);
  }
  MaybeCompactLocked();
  return absl::OkStatus();
}

bool FaissVectorIndex::LinkerHasWorkLocked() const {
  if (stopping_) return true;
  const Storage& storage = *storage_;
  return storage.graph != nullptr && storage.graph->size() < storage.slots() && !compacting_;
}

void FaissVectorIndex::RunLinker() {
  while (true) {
    mu_.LockWhen(absl::Condition(this, &FaissVectorIndex::LinkerHasWorkLocked));
    if (stopping_) {
      mu_.Unlock();
      return;
    }
    // A short chunk under the write lock: searches and writes wait for at
    // most one chunk (64 insertions, a few milliseconds).
    Storage& storage = *storage_;
    const size_t end = std::min(storage.slots(), storage.graph->size() + kLinkChunk);
    try {
      storage.graph->Extend(storage.vectors.data(), storage.d, end, nullptr);
    } catch (const std::exception&) {
      // The graph lost track of its slots: search exactly until a
      // compaction builds a new one.
      storage.graph.reset();
    }
    mu_.Unlock();
  }
}

void FaissVectorIndex::MaybeCompactLocked() {
  Storage& storage = *storage_;
  const bool too_many_tombstones =
      storage.tombstones > 0 &&
      static_cast<double>(storage.tombstones) >= options_.compact_share * static_cast<double>(storage.slots());
  const bool wants_graph = storage.graph == nullptr && storage.live() >= options_.graph_min_vectors;
  if (compacting_ || !(too_many_tombstones || wants_graph)) return;
  if (!wants_graph && storage.graph == nullptr) {
    // No graph: a copy of the live slots, in order, is cheap.
    auto compact = std::make_unique<Storage>(storage.d);
    slot_of_.clear();
    for (uint32_t slot = 0; slot < storage.slots(); ++slot) {
      if (storage.deleted[slot]) continue;
      slot_of_[storage.ids[slot]] = static_cast<uint32_t>(compact->slots());
      compact->Append(storage.ids[slot], storage.row(slot), storage.facts[slot]);
    }
    storage_ = std::move(compact);
    ++compactions_;
    return;
  }
  compacting_ = true;
  if (compactor_.joinable()) compactor_.join();  // the last run has released the lock already
  compactor_ = std::thread([this] { RunBackgroundCompaction(); });
}

void FaissVectorIndex::RunBackgroundCompaction() {
  // 1. Copy the live slots, in order, under the read lock.
  std::unique_ptr<Storage> fresh;
  std::vector<uint32_t> origin;  // fresh slot -> old slot
  size_t copied = 0;
  {
    absl::ReaderMutexLock lock(&mu_);
    const Storage& old = *storage_;
    fresh = std::make_unique<Storage>(old.d);
    for (uint32_t slot = 0; slot < old.slots(); ++slot) {
      if (old.deleted[slot]) continue;
      origin.push_back(slot);
      fresh->Append(old.ids[slot], old.row(slot), old.facts[slot]);
    }
    copied = old.slots();
  }
  // 2. Build the graph with no lock held: searches and writes go on.
  bool built = false;
  try {
    fresh->graph = std::make_unique<HnswGraph>(options_.hnsw_m, options_.ef_construction);
    built = fresh->graph->Extend(fresh->vectors.data(), fresh->d, fresh->slots(), &stopping_);
  } catch (const std::exception&) {
    built = false;  // the current storage stays; the next write tries again
  }
  // 3. Bring in what changed meanwhile and swap, under the write lock.
  absl::MutexLock lock(&mu_);
  compacting_ = false;
  if (!built || stopping_) return;
  const Storage& old = *storage_;
  for (uint32_t slot = 0; slot < fresh->slots(); ++slot) {
    auto it = slot_of_.find(fresh->ids[slot]);
    if (it == slot_of_.end() || it->second != origin[slot]) {
      fresh->deleted[slot] = 1;  // removed since the copy
      ++fresh->tombstones;
    }
  }
  for (uint32_t slot = static_cast<uint32_t>(copied); slot < old.slots(); ++slot) {
    if (!old.deleted[slot]) fresh->Append(old.ids[slot], old.row(slot), old.facts[slot]);
  }
  // Facts may have been replaced since the copy: take the current ones.
  for (uint32_t slot = 0; slot < fresh->slots(); ++slot) {
    if (fresh->deleted[slot]) continue;
    fresh->facts[slot] = old.facts[slot_of_.at(fresh->ids[slot])];
  }
  // The slots written during the build are linked by the linker thread.
  fresh->RebuildPostings();
  slot_of_.clear();
  for (uint32_t slot = 0; slot < fresh->slots(); ++slot) {
    if (!fresh->deleted[slot]) slot_of_[fresh->ids[slot]] = slot;
  }
  storage_ = std::move(fresh);
  ++compactions_;
}

bool FaissVectorIndex::IdleLocked() const {
  const Storage& storage = *storage_;
  const bool linked = storage.graph == nullptr || storage.graph->size() == storage.slots();
  return !compacting_ && linked;
}

void FaissVectorIndex::WaitUntilIdle() const {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(this, &FaissVectorIndex::IdleLocked));
}

std::vector<std::vector<VectorHit>> FaissVectorIndex::ExactSearch(
    const float* queries, size_t count, int k, const SearchOptions& options,
    const std::vector<const std::vector<uint32_t>*>* lists) const {
  const Storage& storage = *storage_;
  const SlotTest test(storage, options);
  std::vector<TopK> tops(count, TopK(static_cast<size_t>(k)));
  // Slots that pass are scored in batches, each row fetched from memory a
  // few rows ahead of its inner products: a posting list's slots are far
  // apart, and a gigabyte-sized array of rows read out of order is bound by
  // memory latency, not by the kernel. Each row, once fetched, is scored
  // against every query, in slot order for each, as one search would.
  std::array<uint32_t, kScanBatch> passing;
  size_t passed = 0;
  const auto score = [&] {
    for (size_t i = 0; i < passed; ++i) {
      if (i + kPrefetchAhead < passed) PrefetchRow(storage.row(passing[i + kPrefetchAhead]), storage.d);
      const float* row = storage.row(passing[i]);
      for (size_t q = 0; q < count; ++q) {
        tops[q].Offer(InnerProduct(queries + q * storage.d, row, storage.d), passing[i]);
      }
    }
    passed = 0;
  };
  const auto consider = [&](uint32_t slot) {
    if (!test(slot)) return;
    if (passed < kPrefetchAhead) PrefetchRow(storage.row(slot), storage.d);
    passing[passed++] = slot;
    if (passed == passing.size()) score();
  };
  if (lists == nullptr) {
    for (uint32_t slot = 0; slot < storage.slots(); ++slot) consider(slot);
  } else {
    for (const std::vector<uint32_t>* list : *lists) {
      for (const uint32_t slot : *list) consider(slot);
    }
  }
  score();
  exact_searches_.fetch_add(static_cast<int64_t>(count), std::memory_order_relaxed);
  std::vector<std::vector<VectorHit>> each;
  each.reserve(count);
  for (TopK& top : tops) each.push_back(ToHits(storage, top.scored()));
  return each;
}

absl::StatusOr<std::vector<VectorHit>> FaissVectorIndex::Search(absl::Span<const float> query,
                                                                const SearchOptions& options) const {
  absl::ReaderMutexLock lock(&mu_);
  if (query.size() != static_cast<size_t>(dimension_)) {
    return absl::InvalidArgumentError(absl::StrCat("query: dimension ", query.size(), ", index has ", dimension_));
  }
  if (options.k < 1) return absl::InvalidArgumentError("k: must be at least 1");
  const int k = static_cast<int>(std::min<int64_t>(options.k, storage_->live()));
  if (k == 0) return std::vector<VectorHit>();
  return SearchLocked(query.data(), k, options);
}

absl::StatusOr<std::vector<std::vector<VectorHit>>> FaissVectorIndex::SearchEach(absl::Span<const float> queries,
                                                                                 const SearchOptions& options) const {
  absl::ReaderMutexLock lock(&mu_);
  const size_t d = static_cast<size_t>(dimension_);
  if (queries.empty() || queries.size() % d != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("queries: ", queries.size(), " values, not a whole number of vectors of dimension ", d));
  }
  if (options.k < 1) return absl::InvalidArgumentError("k: must be at least 1");
  const size_t count = queries.size() / d;
  const int k = static_cast<int>(std::min<int64_t>(options.k, storage_->live()));
  if (k == 0) return std::vector<std::vector<VectorHit>>(count);
  const Plan plan = PlanSearch(*storage_, options, k, options_.min_graph_selectivity);
  if (plan.exact) return ExactSearch(queries.data(), count, k, options, plan.lists());
  std::vector<std::vector<VectorHit>> each;
  for (size_t q = 0; q < count; ++q) each.push_back(SearchLocked(queries.data() + q * d, k, options));
  return each;
}

std::vector<VectorHit> FaissVectorIndex::SearchLocked(const float* query, int k, const SearchOptions& options) const {
  const Storage& storage = *storage_;
  const Plan plan = PlanSearch(storage, options, k, options_.min_graph_selectivity);
  const auto* lists = plan.lists();
  if (plan.exact) return std::move(ExactSearch(query, 1, k, options, lists).front());
  const Candidates& candidates = plan.candidates;
  const SlotTest test(storage, options);
  const double selectivity = plan.selectivity;

  // The graph, with the filter inside. Its search list is widened so that
  // about max(k, ef_search) of the nodes it keeps pass the filter, with a
  // margin for the sample's error and for neighbourhoods that pass less
  // than the whole. An answer that still comes back short is searched again
  // with a list twice as long while the graph stays the cheaper way: it
  // computes about 2 * hnsw_m distances per node of the list, the exact
  // scan one per candidate. Past that it is redone exactly.
  const double scan_cost = static_cast<double>(candidates.constrained ? candidates.count : storage.slots());
  const auto graph_cheaper = [&](double search_list) { return search_list * 2.0 * options_.hnsw_m < scan_cost; };
  double search_list = std::min<double>(std::max(kMaxFirstSearchList, k),
                                        std::ceil(kSearchListMargin * std::max(k, options_.ef_search) / selectivity));
  graph_searches_.fetch_add(1, std::memory_order_relaxed);
  NegatedInnerProduct distance(storage.vectors.data(), storage.d);
  distance.set_query(query);
  while (true) {
    TopK top(static_cast<size_t>(k));
    std::unique_ptr<faiss::VisitedTable> visited = storage.AcquireVisited();
    const size_t passed =
        SearchGraph(storage.graph->hnsw, distance, static_cast<int>(search_list), test, *visited, top);
    storage.ReleaseVisited(std::move(visited));
    if (passed >= static_cast<size_t>(k)) {
      // Slots not yet linked into the graph are scanned exactly.
      for (size_t slot = storage.graph->size(); slot < storage.slots(); ++slot) {
        if (test(slot)) {
          top.Offer(InnerProduct(query, storage.row(slot), storage.d), static_cast<uint32_t>(slot));
        }
      }
      return ToHits(storage, top.scored());
    }
    search_list *= 2.0;
    if (!graph_cheaper(search_list)) {
      graph_fallbacks_.fetch_add(1, std::memory_order_relaxed);
      return std::move(ExactSearch(query, 1, k, options, lists).front());
    }
    graph_retries_.fetch_add(1, std::memory_order_relaxed);
  }
}

absl::StatusOr<std::vector<float>> FaissVectorIndex::Get(int64_t id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = slot_of_.find(id);
  if (it == slot_of_.end()) return absl::NotFoundError(absl::StrCat("vector ", id, ": not in the index"));
  const float* row = storage_->row(it->second);
  return std::vector<float>(row, row + storage_->d);
}

absl::Status FaissVectorIndex::Similarities(absl::Span<const float> queries, absl::Span<const int64_t> ids,
                                           absl::Span<float> out) const {
  const size_t d = static_cast<size_t>(dimension_);
  if (queries.empty() || queries.size() % d != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("queries: ", queries.size(), " values, not a positive multiple of dimension ", dimension_));
  }
  const size_t count = queries.size() / d;
  if (out.size() != ids.size() * count) {
    return absl::InvalidArgumentError(
        absl::StrCat("out: ", out.size(), " values for ", ids.size(), " ids and ", count, " queries"));
  }
  absl::ReaderMutexLock lock(&mu_);
  for (size_t i = 0; i < ids.size(); ++i) {
    auto it = slot_of_.find(ids[i]);
    const float* row = it == slot_of_.end() ? nullptr : storage_->row(it->second);
    for (size_t q = 0; q < count; ++q) {
      out[i * count + q] =
          row == nullptr ? std::numeric_limits<float>::quiet_NaN() : InnerProduct(&queries[q * d], row, storage_->d);
    }
  }
  return absl::OkStatus();
}

std::vector<int64_t> FaissVectorIndex::Ids() const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<int64_t> ids;
  ids.reserve(slot_of_.size());
  for (const auto& [id, slot] : slot_of_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

VectorIndexStats FaissVectorIndex::Stats() const {
  absl::ReaderMutexLock lock(&mu_);
  VectorIndexStats stats;
  stats.slots = static_cast<int64_t>(storage_->slots());
  stats.live = storage_->live();
  stats.tombstones = storage_->tombstones;
  stats.graph_vectors = storage_->graph != nullptr ? static_cast<int64_t>(storage_->graph->size()) : 0;
  stats.exact_searches = exact_searches_.load();
  stats.graph_searches = graph_searches_.load();
  stats.graph_fallbacks = graph_fallbacks_.load();
  stats.graph_retries = graph_retries_.load();
  stats.compactions = compactions_.load();
  return stats;
}

// File layout: magic, tag, payload length, payload checksum, payload. The
// payload holds the dimension, the slots (ids, tombstones, vectors) and the
// HNSW graph when there is one. The checksum catches torn or corrupted files.
absl::Status FaissVectorIndex::Write(int64_t tag, AtomicFile& file) const {
  const uint64_t start = file.size();
  // The header is written again once the payload's length and checksum are
  // known.
  auto header = [&](uint64_t length, uint64_t checksum) {
    std::string bytes(kMagic, sizeof(kMagic));
    bytes.append(reinterpret_cast<const char*>(&tag), sizeof(tag));
    bytes.append(reinterpret_cast<const char*>(&length), sizeof(length));
    bytes.append(reinterpret_cast<const char*>(&checksum), sizeof(checksum));
    return bytes;
  };
  const std::string placeholder = header(0, 0);
  if (absl::Status s = file.Append(placeholder); !s.ok()) return s;
  Writer out(file);
  {
    absl::ReaderMutexLock lock(&mu_);
    const Storage& storage = *storage_;
    out.Value(static_cast<int32_t>(dimension_));
    out.Vector(storage.ids);
    out.Vector(storage.deleted);
    out.Vector(storage.vectors);
    out.Value(static_cast<uint8_t>(storage.graph != nullptr));
    if (storage.graph != nullptr) {
      const faiss::HNSW& hnsw = storage.graph->hnsw;
      out.Vector(hnsw.assign_probas);
      out.Vector(hnsw.cum_nneighbor_per_level);
      out.Vector(hnsw.levels);
      out.Vector(hnsw.offsets);
      out.Vector(hnsw.neighbors);
      out.Value(static_cast<int32_t>(hnsw.entry_point));
      out.Value(static_cast<int32_t>(hnsw.max_level));
    }
  }
  if (!out.status().ok()) return out.status();
  return file.Overwrite(start, header(file.size() - start - placeholder.size(), out.checksum()));
}

absl::StatusOr<FaissVectorIndex::Loaded> FaissVectorIndex::Load(const std::string& path,
                                                                const FaissVectorIndexOptions& options) {
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) return absl::NotFoundError(absl::StrCat("index file ", path, ": cannot open"));
  const auto corrupt = [&path](absl::string_view why) {
    return absl::DataLossError(absl::StrCat("index file ", path, ": ", why));
  };
  const std::streamoff file_size = file.tellg();
  file.seekg(0);
  char magic[sizeof(kMagic)] = {};
  if (!file.read(magic, sizeof(magic)) || std::memcmp(magic, kMagic, sizeof(kMagic)) != 0) {
    return corrupt("not a Pollinator index file of this version");
  }
  Loaded loaded;
  uint64_t length = 0;
  uint64_t checksum = 0;
  constexpr std::streamoff kHeaderSize = sizeof(kMagic) + sizeof(loaded.tag) + sizeof(length) + sizeof(checksum);
  Reader header(file, kHeaderSize - sizeof(kMagic));
  if (!header.Value(loaded.tag) || !header.Value(length) || !header.Value(checksum)) return corrupt("truncated");
  if (static_cast<uint64_t>(file_size - kHeaderSize) != length) return corrupt("truncated");

  // Read straight into the index's arrays: the file can be gigabytes. The
  // checksum is compared once all of it is read.
  Reader reader(file, length);
  int32_t dimension = 0;
  if (!reader.Value(dimension) || dimension < 1 || dimension > 65536) return corrupt("bad dimension");
  auto storage = std::make_unique<Storage>(static_cast<size_t>(dimension));
  uint8_t has_graph = 0;
  if (!reader.Vector(storage->ids) || !reader.Vector(storage->deleted) || !reader.Vector(storage->vectors) ||
      !reader.Value(has_graph)) {
    return corrupt("truncated slots");
  }
  const size_t slots = storage->ids.size();
  if (storage->deleted.size() != slots || storage->vectors.size() != slots * static_cast<size_t>(dimension)) {
    return corrupt("slot arrays disagree");
  }
  storage->facts.assign(slots, VectorFacts());
  for (const uint8_t deleted : storage->deleted) storage->tombstones += deleted != 0 ? 1 : 0;
  if (has_graph != 0) {
    auto graph = std::make_unique<HnswGraph>(options.hnsw_m, options.ef_construction);
    faiss::HNSW& hnsw = graph->hnsw;
    int32_t entry_point = 0;
    int32_t max_level = 0;
    if (!reader.Vector(hnsw.assign_probas) || !reader.Vector(hnsw.cum_nneighbor_per_level) ||
        !reader.Vector(hnsw.levels) || !reader.Vector(hnsw.offsets) || !reader.Vector(hnsw.neighbors) ||
        !reader.Value(entry_point) || !reader.Value(max_level)) {
      return corrupt("truncated graph");
    }
    hnsw.entry_point = entry_point;
    hnsw.max_level = max_level;
    const bool consistent =
        hnsw.levels.size() <= slots && hnsw.offsets.size() == hnsw.levels.size() + 1 &&
        hnsw.offsets.back() == hnsw.neighbors.size() && entry_point >= -1 &&
        entry_point < static_cast<int64_t>(hnsw.levels.size()) &&
        std::all_of(hnsw.neighbors.begin(), hnsw.neighbors.end(),
                    [&hnsw](int32_t n) { return n >= -1 && n < static_cast<int64_t>(hnsw.levels.size()); });
    if (!consistent) return corrupt("graph and slots disagree");
    graph->locks.resize(hnsw.levels.size());
    for (omp_lock_t& lock : graph->locks) omp_init_lock(&lock);
    storage->graph = std::move(graph);
  }
  if (!reader.done()) return corrupt("trailing bytes");
  if (reader.checksum() != checksum) return corrupt("checksum mismatch");
  storage->RebuildPostings();
  loaded.index.reset(new FaissVectorIndex(dimension, options, std::move(storage)));
  {
    FaissVectorIndex& index = *loaded.index;
    absl::MutexLock lock(&index.mu_);
    for (uint32_t slot = 0; slot < slots; ++slot) {
      if (index.storage_->deleted[slot]) continue;
      if (!index.slot_of_.emplace(index.storage_->ids[slot], slot).second) return corrupt("duplicate vector id");
    }
    index.MaybeCompactLocked();
  }
  return loaded;
}

}  // namespace pollinator
