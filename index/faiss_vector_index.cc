#include "index/faiss_vector_index.h"

#include <algorithm>
#include <cstring>
#include <exception>
#include <fstream>
#include <utility>

#include <faiss/IndexFlat.h>
#include <faiss/IndexIDMap.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>

#include "absl/strings/str_cat.h"
#include "index/simd_kernels.h"
#include "index/text_features.h"

namespace pollinator {
namespace {

using idx_t = faiss::Index::idx_t;

constexpr char kMagic[8] = {'P', 'L', 'N', 'X', 'I', 'D', 'X', '1'};

class IdListSelector final : public faiss::IDSelector {
 public:
  explicit IdListSelector(absl::Span<const int64_t> ids) : ids_(ids.begin(), ids.end()) {
    std::sort(ids_.begin(), ids_.end());
  }
  bool is_member(idx_t id) const override { return std::binary_search(ids_.begin(), ids_.end(), id); }

 private:
  std::vector<int64_t> ids_;
};

absl::Status FaissError(absl::string_view operation, const std::exception& e) {
  return absl::InternalError(absl::StrCat("faiss ", operation, ": ", e.what()));
}

template <typename T>
void AppendRaw(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(value));
}

template <typename T>
bool ReadRaw(absl::string_view& in, T& value) {
  if (in.size() < sizeof(value)) return false;
  std::memcpy(&value, in.data(), sizeof(value));
  in.remove_prefix(sizeof(value));
  return true;
}

}  // namespace

struct FaissVectorIndex::Faiss {
  std::unique_ptr<faiss::IndexIDMap2> map;
};

FaissVectorIndex::FaissVectorIndex(std::unique_ptr<Faiss> faiss) : faiss_(std::move(faiss)) {}

FaissVectorIndex::~FaissVectorIndex() = default;

absl::StatusOr<std::unique_ptr<FaissVectorIndex>> FaissVectorIndex::Create(int dimension) {
  if (dimension < 1 || dimension > 65536) {
    return absl::InvalidArgumentError(absl::StrCat("dimension: ", dimension, " is outside [1, 65536]"));
  }
  try {
    auto inner = std::make_unique<faiss::IndexFlatIP>(dimension);
    auto map = std::make_unique<faiss::IndexIDMap2>(inner.release());
    map->own_fields = true;
    return std::unique_ptr<FaissVectorIndex>(new FaissVectorIndex(std::make_unique<Faiss>(Faiss{std::move(map)})));
  } catch (const std::exception& e) {
    return FaissError("create", e);
  }
}

int FaissVectorIndex::dimension() const {
  absl::ReaderMutexLock lock(&mu_);
  return faiss_->map->d;
}

int64_t FaissVectorIndex::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return faiss_->map->ntotal;
}

absl::Status FaissVectorIndex::Add(absl::Span<const int64_t> ids, absl::Span<const float> vectors) {
  absl::MutexLock lock(&mu_);
  if (vectors.size() != ids.size() * static_cast<size_t>(faiss_->map->d)) {
    return absl::InvalidArgumentError(absl::StrCat("vectors: ", vectors.size(), " floats for ", ids.size(),
                                                   " ids of dimension ", faiss_->map->d));
  }
  if (ids.empty()) return absl::OkStatus();
  try {
    static_assert(sizeof(idx_t) == sizeof(int64_t));
    faiss_->map->add_with_ids(static_cast<idx_t>(ids.size()), vectors.data(),
                         reinterpret_cast<const idx_t*>(ids.data()));
  } catch (const std::exception& e) {
    return FaissError("add", e);
  }
  return absl::OkStatus();
}

absl::Status FaissVectorIndex::Remove(absl::Span<const int64_t> ids) {
  if (ids.empty()) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  try {
    faiss_->map->remove_ids(IdListSelector(ids));
  } catch (const std::exception& e) {
    return FaissError("remove", e);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<VectorHit>> FaissVectorIndex::Search(absl::Span<const float> query,
                                                                const SearchOptions& options) const {
  absl::ReaderMutexLock lock(&mu_);
  if (query.size() != static_cast<size_t>(faiss_->map->d)) {
    return absl::InvalidArgumentError(
        absl::StrCat("query: dimension ", query.size(), ", index has ", faiss_->map->d));
  }
  if (options.k < 1) return absl::InvalidArgumentError("k: must be at least 1");
  const idx_t k = std::min<idx_t>(options.k, faiss_->map->ntotal);
  if (k == 0) return std::vector<VectorHit>();

  // The exact scan runs the SIMD kernel over the flat index's own storage:
  // Debian's FAISS computes each product at scalar speed, 14x slower
  // (bench/README.md, kernels_bench). The filter sees external ids, as it
  // would inside FAISS.
  const auto* flat = static_cast<const faiss::IndexFlat*>(faiss_->map->index);
  const float* base = flat->get_xb();
  const size_t d = static_cast<size_t>(faiss_->map->d);
  const std::vector<idx_t>& ids = faiss_->map->id_map;
  // A min-heap of the best k so far: the worst kept hit on top. Equal
  // scores keep the earlier vector, as FAISS's heap does.
  const auto worse = [](const VectorHit& a, const VectorHit& b) { return a.similarity > b.similarity; };
  std::vector<VectorHit> hits;
  hits.reserve(static_cast<size_t>(k));
  for (size_t i = 0; i < ids.size(); ++i) {
    if (options.filter && !options.filter(ids[i])) continue;
    const float similarity = InnerProduct(query.data(), base + i * d, d);
    if (hits.size() < static_cast<size_t>(k)) {
      hits.push_back({ids[i], similarity});
      std::push_heap(hits.begin(), hits.end(), worse);
    } else if (similarity > hits.front().similarity) {
      std::pop_heap(hits.begin(), hits.end(), worse);
      hits.back() = {ids[i], similarity};
      std::push_heap(hits.begin(), hits.end(), worse);
    }
  }
  // Best first; fewer than k when fewer vectors passed the filter.
  std::sort_heap(hits.begin(), hits.end(), worse);
  return hits;
}

absl::StatusOr<std::vector<float>> FaissVectorIndex::Get(int64_t id) const {
  absl::ReaderMutexLock lock(&mu_);
  if (faiss_->map->rev_map.find(id) == faiss_->map->rev_map.end()) {
    return absl::NotFoundError(absl::StrCat("vector ", id, ": not in the index"));
  }
  std::vector<float> vector(faiss_->map->d);
  try {
    faiss_->map->reconstruct(id, vector.data());
  } catch (const std::exception& e) {
    return FaissError("reconstruct", e);
  }
  return vector;
}

std::vector<int64_t> FaissVectorIndex::Ids() const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<int64_t> ids(faiss_->map->id_map.begin(), faiss_->map->id_map.end());
  std::sort(ids.begin(), ids.end());
  return ids;
}

// File layout: magic, tag, payload length, payload checksum, payload (the
// FAISS serialization). The checksum catches torn or corrupted files.
absl::StatusOr<std::string> FaissVectorIndex::Serialize(int64_t tag) const {
  faiss::VectorIOWriter writer;
  {
    absl::ReaderMutexLock lock(&mu_);
    try {
      faiss::write_index(faiss_->map.get(), &writer);
    } catch (const std::exception& e) {
      return FaissError("write_index", e);
    }
  }
  const absl::string_view payload(reinterpret_cast<const char*>(writer.data.data()), writer.data.size());
  std::string bytes(kMagic, sizeof(kMagic));
  AppendRaw(bytes, tag);
  AppendRaw(bytes, static_cast<uint64_t>(payload.size()));
  AppendRaw(bytes, StableHash(payload));
  bytes.append(payload.data(), payload.size());
  return bytes;
}

absl::StatusOr<FaissVectorIndex::Loaded> FaissVectorIndex::Load(const std::string& path) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) return absl::NotFoundError(absl::StrCat("index file ", path, ": cannot open"));
  // One bulk read: the file can be tens of megabytes.
  std::string bytes(static_cast<size_t>(file.tellg()), '\0');
  file.seekg(0);
  if (!file.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("index file ", path, ": read error"));
  }
  absl::string_view in(bytes);
  const auto corrupt = [&path](absl::string_view why) {
    return absl::DataLossError(absl::StrCat("index file ", path, ": ", why));
  };
  if (in.size() < sizeof(kMagic) || std::memcmp(in.data(), kMagic, sizeof(kMagic)) != 0) {
    return corrupt("not a Pollinator index file");
  }
  in.remove_prefix(sizeof(kMagic));
  Loaded loaded;
  uint64_t length = 0;
  uint64_t checksum = 0;
  if (!ReadRaw(in, loaded.tag) || !ReadRaw(in, length) || !ReadRaw(in, checksum) || in.size() != length) {
    return corrupt("truncated");
  }
  if (StableHash(in) != checksum) return corrupt("checksum mismatch");

  faiss::VectorIOReader reader;
  reader.data.assign(in.begin(), in.end());
  try {
    std::unique_ptr<faiss::Index> index(faiss::read_index(&reader));
    auto* map = dynamic_cast<faiss::IndexIDMap2*>(index.get());
    if (map == nullptr || dynamic_cast<faiss::IndexFlatIP*>(map->index) == nullptr) {
      return corrupt("unexpected index type");
    }
    index.release();
    loaded.index.reset(
        new FaissVectorIndex(std::make_unique<Faiss>(Faiss{std::unique_ptr<faiss::IndexIDMap2>(map)})));
  } catch (const std::exception& e) {
    return corrupt(e.what());
  }
  return loaded;
}

}  // namespace pollinator
