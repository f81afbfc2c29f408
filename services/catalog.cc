#include "services/catalog.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <system_error>
#include <thread>

#include <google/protobuf/util/message_differencer.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "index/atomic_file.h"
#include "index/faiss_vector_index.h"
#include "index/hashing_embedder.h"
#include "index/text_features.h"
#include "index/vector_math.h"
#include "services/validation.h"

namespace pollinator {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;
// Profiles of one ListProfiles page, as encoded: well inside a client's
// default 4 MiB receive limit.
constexpr size_t kMaxPageBytes = 1 << 20;

std::unique_ptr<Embedder> MakeBuiltinEmbedder(const HashingEmbedderOptions& defaults, int dimension,
                                              const TermStatistics* statistics) {
  HashingEmbedderOptions options = defaults;
  options.dimension = dimension;
  return std::make_unique<HashingEmbedder>(options, statistics);
}

// The dimension of the first client vector in `profile`, or 0 if it has none.
// Profiles whose texts a restart tokenises together (see RestoreLocked).
constexpr size_t kRestoreChunk = 1024;

// The features of every text of each profile, in DocumentsOf() order, and
// their document frequencies, counted on up to one thread per core.
struct ChunkFeatures {
  std::vector<std::vector<TextFeatures>> features;
  std::vector<TermStatistics::Batch> frequencies;
};

ChunkFeatures ExtractFeaturesInParallel(const std::vector<StoredProfile>& profiles,
                                        const TextFeatureOptions& options) {
  const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  ChunkFeatures out;
  out.features.resize(profiles.size());
  out.frequencies.resize(threads);
  const auto extract = [&](size_t begin, size_t step) {
    for (size_t i = begin; i < profiles.size(); i += step) {
      for (const std::string& document : DocumentsOf(profiles[i].profile)) {
        out.features[i].push_back(ExtractFeatures(document, options));
        out.frequencies[begin].AddDocument(out.features[i].back());
      }
    }
  };
  std::vector<std::thread> workers;
  for (size_t t = 1; t < threads && t < profiles.size(); ++t) workers.emplace_back(extract, t, threads);
  extract(0, threads);
  for (std::thread& worker : workers) worker.join();
  return out;
}

absl::Status CheckStoredDimensions(absl::string_view tenant, const v1::TenantRecord& record,
                                   const StoredProfile& stored) {
  for (const v1::VectorRecord& vector : stored.vectors.vectors()) {
    if (vector.values_size() != record.dimension()) {
      return absl::DataLossError(absl::StrCat("tenant ", tenant, " profile ", stored.profile.id(),
                                              ": stored vector has dimension ", vector.values_size()));
    }
  }
  return absl::OkStatus();
}

int FirstClientDimension(const v1::Profile& profile) {
  for (const v1::Need& need : profile.needs()) {
    if (!need.vector().empty()) return need.vector_size();
  }
  for (const v1::Offer& offer : profile.offers()) {
    if (!offer.vector().empty()) return offer.vector_size();
  }
  return profile.description_vector_size();
}

// Checks a vector against the tenant's vector space. `required` is true for
// need and offer vectors of client-vector tenants.
absl::Status CheckVector(const TenantState& state, const v1::TenantRecord& record, absl::string_view field,
                         int size, bool required) {
  if (!record.client_vectors()) {
    if (size == 0) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": tenant \"", state.name, "\" uses the built-in embedder (dimension ", record.dimension(),
        "); send texts without vectors"));
  }
  if (size == 0 && !required) return absl::OkStatus();
  if (size == 0) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required, tenant \"", state.name,
                                                   "\" uses client vectors of dimension ", record.dimension()));
  }
  if (size != record.dimension()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": dimension ", size, ", but tenant \"", state.name,
                                                   "\" uses ", record.dimension()));
  }
  return absl::OkStatus();
}

absl::Status CheckVectors(const TenantState& state, const v1::TenantRecord& record, const v1::Profile& profile) {
  for (int i = 0; i < profile.needs_size(); ++i) {
    if (absl::Status s = CheckVector(state, record, absl::StrCat("needs[", i, "].vector"),
                                     profile.needs(i).vector_size(), true);
        !s.ok()) {
      return s;
    }
  }
  for (int i = 0; i < profile.offers_size(); ++i) {
    if (absl::Status s = CheckVector(state, record, absl::StrCat("offers[", i, "].vector"),
                                     profile.offers(i).vector_size(), true);
        !s.ok()) {
      return s;
    }
  }
  return CheckVector(state, record, "description_vector", profile.description_vector_size(), false);
}

// A file name for the tenant's index: its hex spelling, or for long names
// (hex doubles the length, and names may not exceed 255 bytes) a hex prefix
// plus a hash. Two tenants sharing a file would only cause index rebuilds:
// a loaded file is always checked against the store.
std::string IndexFileStem(absl::string_view tenant) {
  constexpr size_t kMaxPlainBytes = 100;
  if (tenant.size() <= kMaxPlainBytes) return absl::BytesToHexString(tenant);
  return absl::StrCat(absl::BytesToHexString(tenant.substr(0, 80)), "-", absl::Hex(StableHash(tenant)));
}

}  // namespace

// Vector ids with their values back to back, as the index takes them.
struct Catalog::StoredVectors {
  std::vector<int64_t> ids;
  std::vector<float> values;

  void Add(const v1::VectorRecord& vector) {
    ids.push_back(vector.vector_id());
    values.insert(values.end(), vector.values().begin(), vector.values().end());
  }
};

absl::Status CatalogOptions::Validate() const {
  if (index_dir.empty()) return absl::InvalidArgumentError("index_dir: empty");
  if (absl::Status s = index.Validate(); !s.ok()) return s;
  return embedder.Validate();
}

absl::StatusOr<std::unique_ptr<Catalog>> Catalog::Open(Store* store, const CatalogOptions& options) {
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  std::error_code error;
  std::filesystem::create_directories(options.index_dir, error);
  if (error) return absl::InternalError(absl::StrCat("create ", options.index_dir, ": ", error.message()));

  std::unique_ptr<Catalog> catalog(new Catalog(store, options));
  absl::StatusOr<std::vector<std::string>> tenants = store->ListTenants();
  if (!tenants.ok()) return tenants.status();
  for (const std::string& tenant : *tenants) {
    if (absl::Status s = catalog->LoadTenant(tenant); !s.ok()) return s;
  }
  return catalog;
}

absl::Status Catalog::CheckWritable(absl::string_view tenant) const {
  if (!may_write_ || may_write_(tenant)) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("tenant \"", tenant, "\" is not registered or is being deleted; nothing was written"));
}

std::string Catalog::IndexPath(absl::string_view tenant) const {
  return (std::filesystem::path(options_.index_dir) / absl::StrCat(IndexFileStem(tenant), ".faiss")).string();
}

absl::Status Catalog::LoadTenant(const std::string& tenant) {
  auto state = std::make_unique<TenantState>(tenant);
  TenantLoadReport report;
  {
    absl::MutexLock lock(&state->mu);
    absl::StatusOr<std::optional<v1::TenantRecord>> record = store_->GetTenant(tenant);
    if (!record.ok()) return record.status();
    if (!record->has_value()) return absl::NotFoundError(absl::StrCat("tenant ", tenant, ": no record"));
    state->record = **record;
    if (absl::Status s = RestoreLocked(*state, report); !s.ok()) return s;
    absl::Status scan = store_->ScanInteractions(tenant, [&](v1::Interaction interaction) {
      state->interactions.Add(interaction);
      ++report.interactions;
      return absl::OkStatus();
    });
    if (!scan.ok()) return scan;
    report.ranked_by = LoadActiveRanker(*state);
  }
  load_reports_.push_back(std::move(report));
  absl::MutexLock lock(&mu_);
  tenants_[tenant] = std::move(state);
  return absl::OkStatus();
}

std::string Catalog::LoadActiveRanker(TenantState& state) {
  const int64_t version = state.record.active_ranker_version();
  if (version == 0) return std::string(kRankedByRules);
  absl::StatusOr<std::optional<v1::RankerModelRecord>> model = store_->GetRankerModel(state.name, version);
  absl::Status problem = model.status();
  if (problem.ok() && !model->has_value()) problem = absl::NotFoundError("not stored");
  if (problem.ok()) {
    absl::StatusOr<LearnedRanker> ranker = LearnedRanker::FromBytes((*model)->model());
    if (ranker.ok()) {
      state.ranker = std::make_shared<const LearnedRanker>(std::move(*ranker));
      return RankedByModel(version);
    }
    problem = ranker.status();
  }
  // The hand-set scoring is the fallback; the model stays stored.
  return absl::StrCat(kRankedByRules, " (ranker model ", version, " unusable: ", problem.message(), ")");
}

absl::Status Catalog::RestoreLocked(TenantState& state, TenantLoadReport& report) {
  report = TenantLoadReport();
  report.tenant = state.name;
  state.ClearProfiles();
  state.index.reset();
  state.embedder.reset();
  const v1::TenantRecord& record = state.record;
  if (record.dimension() == 0) return absl::OkStatus();
  if (!record.client_vectors()) {
    state.embedder = MakeBuiltinEmbedder(options_.embedder, record.dimension(), &state.term_statistics);
  }
  const bool reembed = !record.client_vectors() && record.embedder_version() != HashingEmbedder::Version();
  // The saved index is read before the profiles, so that the scan keeps only
  // the vectors it lacks: at a million profiles all of them would be
  // gigabytes more at start-up.
  std::unique_ptr<FaissVectorIndex> saved;
  if (!reembed) {
    absl::StatusOr<FaissVectorIndex::Loaded> loaded = FaissVectorIndex::Load(IndexPath(state.name), options_.index);
    if (!loaded.ok()) {
      report.rebuild_reason = std::string(loaded.status().message());
    } else if (loaded->tag > record.write_sequence()) {
      report.rebuild_reason = absl::StrCat("saved index is at write ", loaded->tag, ", ahead of the store at write ",
                                           record.write_sequence());
    } else if (loaded->index->dimension() != record.dimension()) {
      report.rebuild_reason = "saved index has another dimension";
    } else {
      saved = std::move(loaded->index);
      state.index_dirty = loaded->tag != record.write_sequence();
    }
  }
  const std::vector<int64_t> saved_ids = saved != nullptr ? saved->Ids() : std::vector<int64_t>();
  // Every stored vector id, and the vectors the saved index lacks (all of
  // them without one).
  std::vector<int64_t> ids;
  StoredVectors missing;
  // Tokenising every text is most of a restart: it runs on every core, a
  // chunk of profiles at a time, and the profiles are inserted in order.
  std::vector<StoredProfile> chunk;
  const auto insert_chunk = [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    const ChunkFeatures extracted = ExtractFeaturesInParallel(chunk, state.term_statistics.feature_options());
    for (const TermStatistics::Batch& frequencies : extracted.frequencies) state.term_statistics.Add(frequencies);
    for (size_t i = 0; i < chunk.size(); ++i) {
      state.Insert(chunk[i], &extracted.features[i], TenantState::TermStatisticsUpdate::kAlreadyCounted);
    }
    chunk.clear();
  };
  absl::Status scan = store_->ScanProfiles(state.name, [&](StoredProfile stored) -> absl::Status {
    if (absl::Status s = CheckStoredDimensions(state.name, record, stored); !s.ok()) return s;
    for (const v1::VectorRecord& vector : stored.vectors.vectors()) {
      ids.push_back(vector.vector_id());
      // Re-embedding replaces every vector: none is kept.
      if (!reembed && !std::binary_search(saved_ids.begin(), saved_ids.end(), vector.vector_id())) {
        missing.Add(vector);
      }
    }
    chunk.push_back(std::move(stored));
    if (chunk.size() == kRestoreChunk) insert_chunk();
    return absl::OkStatus();
  });
  if (!scan.ok()) return scan;
  insert_chunk();
  if (reembed) {
    if (absl::Status s = ReembedLocked(state, missing.ids, missing.values); !s.ok()) return s;
    ids = missing.ids;  // the same ids, in the order of the new values
    report.rebuild_reason = "the built-in embedder changed; vectors re-embedded";
  }
  report.profiles = static_cast<int64_t>(state.profiles.size());
  report.vectors = static_cast<int64_t>(ids.size());

  std::vector<VectorFacts> facts;
  facts.reserve(ids.size());
  for (const int64_t id : ids) facts.push_back(state.FactsOf(id));
  if (saved != nullptr) {
    std::vector<VectorFacts> missing_facts;
    missing_facts.reserve(missing.ids.size());
    for (const int64_t id : missing.ids) missing_facts.push_back(state.FactsOf(id));
    absl::Status replayed = ReplayLocked(*saved, ids, facts, saved_ids, missing, missing_facts, report);
    if (replayed.ok()) {
      state.index = std::move(saved);
      report.index_loaded = true;
      return absl::OkStatus();
    }
    report.rebuild_reason = absl::StrCat("replaying the writes after the saved index failed: ", replayed.message());
    // The rebuild needs every vector, not only those the saved index lacked.
    saved.reset();
    missing = StoredVectors();
    absl::Status rescan = store_->ScanProfiles(state.name, [&](StoredProfile stored) -> absl::Status {
      for (const v1::VectorRecord& vector : stored.vectors.vectors()) missing.Add(vector);
      return absl::OkStatus();
    });
    if (!rescan.ok()) return rescan;
    if (missing.ids != ids) {
      return absl::InternalError(absl::StrCat("tenant ", state.name, ": the store changed during the restore"));
    }
  }
  // Rebuild from the stored vectors: no re-embedding needed.
  absl::StatusOr<std::unique_ptr<FaissVectorIndex>> index = FaissVectorIndex::Create(record.dimension(), options_.index);
  if (!index.ok()) return index.status();
  if (absl::Status s = (*index)->Add(missing.ids, missing.values, facts); !s.ok()) return s;
  state.index = std::move(*index);
  state.index_dirty = true;
  index_rebuilds_.fetch_add(1);
  return absl::OkStatus();
}

absl::Status Catalog::ReplayLocked(VectorIndex& index, const std::vector<int64_t>& ids,
                                   const std::vector<VectorFacts>& facts, const std::vector<int64_t>& saved_ids,
                                   const StoredVectors& missing, const std::vector<VectorFacts>& missing_facts,
                                   TenantLoadReport& report) {
  // A vector id is never reused and its vector never changes (an upsert
  // gives every vector a new id; re-embedding rebuilds instead), so the
  // writes after the snapshot are exactly the ids it lacks and those the
  // store no longer has.
  std::vector<int64_t> stored = ids;
  std::sort(stored.begin(), stored.end());
  std::vector<int64_t> removed;
  std::set_difference(saved_ids.begin(), saved_ids.end(), stored.begin(), stored.end(), std::back_inserter(removed));
  if (absl::Status s = index.Remove(removed); !s.ok()) return s;
  if (absl::Status s = index.Add(missing.ids, missing.values, missing_facts); !s.ok()) return s;
  // The file keeps no facts: they follow the profiles just read.
  if (absl::Status s = index.SetFacts(ids, facts); !s.ok()) return s;
  report.replayed_added = static_cast<int64_t>(missing.ids.size());
  report.replayed_removed = static_cast<int64_t>(removed.size());
  return absl::OkStatus();
}

absl::Status Catalog::ReembedLocked(TenantState& state, std::vector<int64_t>& ids, std::vector<float>& values) {
  // The term statistics are complete (every profile is inserted), so each
  // text gets the weights it would get if it were written now.
  ids.clear();
  values.clear();
  v1::TenantRecord record = state.record;
  record.set_write_sequence(record.write_sequence() + 1);
  const int64_t total = static_cast<int64_t>(state.profiles.size());
  int64_t done = 0;
  // Profiles are committed one at a time with the old embedder version and
  // the last one with the new: a crash on the way re-embeds again on the
  // next start, and no profile keeps vectors the record disowns.
  absl::Status scan = store_->ScanProfiles(state.name, [&](StoredProfile stored) -> absl::Status {
    const v1::Profile& profile = stored.profile;
    for (v1::VectorRecord& vector : *stored.vectors.mutable_vectors()) {
      const std::string* text = &profile.description();
      for (const v1::Need& need : profile.needs()) {
        if (vector.side() == v1::ITEM_SIDE_NEED && need.id() == vector.item_id()) text = &need.text();
      }
      for (const v1::Offer& offer : profile.offers()) {
        if (vector.side() == v1::ITEM_SIDE_OFFER && offer.id() == vector.item_id()) text = &offer.text();
      }
      absl::StatusOr<std::vector<float>> embedded = state.embedder->Embed(*text);
      if (!embedded.ok()) return embedded.status();
      vector.mutable_values()->Assign(embedded->begin(), embedded->end());
      ids.push_back(vector.vector_id());
      values.insert(values.end(), embedded->begin(), embedded->end());
    }
    if (++done == total) record.set_embedder_version(HashingEmbedder::Version());
    return store_->CommitUpsert(state.name, record, stored);
  });
  if (!scan.ok()) return scan;
  record.set_embedder_version(HashingEmbedder::Version());
  state.record = record;
  return absl::OkStatus();
}

TenantState* Catalog::GetOrCreateState(absl::string_view tenant) {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<TenantState>& state = tenants_[tenant];
  if (state == nullptr) state = std::make_unique<TenantState>(std::string(tenant));
  return state.get();
}

TenantState* Catalog::FindState(absl::string_view tenant) const {
  absl::MutexLock lock(&mu_);
  auto it = tenants_.find(tenant);
  return it == tenants_.end() ? nullptr : it->second.get();
}

absl::StatusOr<Catalog::PreparedUpsert> Catalog::PrepareUpsertLocked(TenantState& state,
                                                                     const v1::Profile& profile) {
  PreparedUpsert prepared;
  v1::TenantRecord& record = prepared.record;
  record = state.record;
  if (record.dimension() == 0) {
    // The first write decides the tenant's vector space for good.
    const int client_dimension = FirstClientDimension(profile);
    record.set_client_vectors(client_dimension > 0);
    record.set_dimension(client_dimension > 0 ? client_dimension : options_.embedder.dimension);
    record.set_next_vector_id(1);
    if (client_dimension == 0) record.set_embedder_version(HashingEmbedder::Version());
  }
  if (absl::Status s = CheckVectors(state, record, profile); !s.ok()) return s;
  if (!record.client_vectors() && state.embedder == nullptr) {
    prepared.new_embedder = MakeBuiltinEmbedder(options_.embedder, record.dimension(), &state.term_statistics);
  }
  const Embedder* embedder = prepared.new_embedder != nullptr ? prepared.new_embedder.get() : state.embedder.get();

  StoredProfile& stored = prepared.stored;
  stored.profile = profile;
  // Fields this version does not know would be stored and echoed past every
  // size limit.
  stored.profile.DiscardUnknownFields();
  const auto existing = state.profiles.find(profile.id());
  const TenantLimits limits = options_.limits != nullptr ? options_.limits->For(state.name) : TenantLimits{};
  if (limits.max_profiles > 0 && existing == state.profiles.end() &&
      static_cast<int64_t>(state.profiles.size()) >= limits.max_profiles) {
    return absl::ResourceExhaustedError(absl::StrCat("tenant \"", state.name, "\" holds its limit of ",
                                                     limits.max_profiles,
                                                     " profiles; delete some, or ask the operator for more"));
  }
  // Each text is tokenised once, for its vector and the term statistics.
  std::vector<TextFeatures>& features = prepared.features;
  for (const std::string& document : DocumentsOf(profile)) {
    features.push_back(ExtractFeatures(document, state.term_statistics.feature_options()));
  }
  auto add_vector = [&](v1::ItemSide side, const std::string& item_id,
                        const google::protobuf::RepeatedField<float>& client_vector,
                        const TextFeatures& text_features) -> absl::Status {
    std::vector<float> values(client_vector.begin(), client_vector.end());
    if (values.empty()) {
      absl::StatusOr<std::vector<float>> embedded = embedder->EmbedFeatures(text_features);
      if (!embedded.ok()) return embedded.status();
      values = std::move(*embedded);
    }
    NormalizeInPlace(values);
    v1::VectorRecord* vector = stored.vectors.add_vectors();
    vector->set_vector_id(record.next_vector_id());
    record.set_next_vector_id(record.next_vector_id() + 1);
    vector->set_side(side);
    vector->set_item_id(item_id);
    vector->mutable_values()->Add(values.begin(), values.end());
    return absl::OkStatus();
  };
  size_t document = 0;
  for (const v1::Need& need : profile.needs()) {
    if (absl::Status s = add_vector(v1::ITEM_SIDE_NEED, need.id(), need.vector(), features[document++]); !s.ok()) {
      return s;
    }
  }
  for (const v1::Offer& offer : profile.offers()) {
    if (absl::Status s = add_vector(v1::ITEM_SIDE_OFFER, offer.id(), offer.vector(), features[document++]);
        !s.ok()) {
      return s;
    }
  }
  const bool index_description = record.client_vectors() ? !profile.description_vector().empty()
                                                          : !profile.description().empty();
  if (index_description) {
    // A client-vector description may come without a text (no features).
    static const TextFeatures kNoFeatures;
    const TextFeatures& description = document < features.size() ? features[document] : kNoFeatures;
    if (absl::Status s = add_vector(v1::ITEM_SIDE_DESCRIPTION, "", profile.description_vector(), description);
        !s.ok()) {
      return s;
    }
  }
  if (limits.max_stored_bytes > 0) {
    const int64_t replaced = existing == state.profiles.end() ? 0 : existing->second.stored_bytes;
    const int64_t after = state.stored_bytes - replaced + static_cast<int64_t>(StoredBytes(stored));
    if (after > limits.max_stored_bytes) {
      return absl::ResourceExhaustedError(absl::StrCat("tenant \"", state.name, "\" would store ", after,
                                                       " bytes, over its limit of ", limits.max_stored_bytes,
                                                       "; delete or shorten profiles, or ask the operator for more"));
    }
  }
  record.set_write_sequence(record.write_sequence() + 1);
  if (state.index == nullptr) {
    absl::StatusOr<std::unique_ptr<FaissVectorIndex>> index =
        FaissVectorIndex::Create(record.dimension(), options_.index);
    if (!index.ok()) return index.status();
    prepared.new_index = std::move(*index);
  }
  return prepared;
}

absl::StatusOr<bool> Catalog::ApplyUpsertLocked(TenantState& state, PreparedUpsert prepared, bool* restored) {
  const bool created = !state.profiles.contains(prepared.stored.profile.id());
  const std::vector<int64_t> old_ids =
      created ? std::vector<int64_t>() : state.profiles.at(prepared.stored.profile.id()).VectorIds();
  state.record = prepared.record;
  if (prepared.new_embedder != nullptr) state.embedder = std::move(prepared.new_embedder);
  if (prepared.new_index != nullptr) state.index = std::move(prepared.new_index);
  // The profile first, so that its vectors' facts (its ordinal) are known.
  state.Insert(prepared.stored, &prepared.features);
  std::vector<int64_t> new_ids;
  std::vector<float> values;
  std::vector<VectorFacts> facts;
  for (const v1::VectorRecord& vector : prepared.stored.vectors.vectors()) {
    new_ids.push_back(vector.vector_id());
    values.insert(values.end(), vector.values().begin(), vector.values().end());
    facts.push_back(state.FactsOf(vector.vector_id()));
  }
  absl::Status applied = state.index->Remove(old_ids);
  if (applied.ok()) applied = state.index->Add(new_ids, values, facts);
  state.index_dirty = true;
  if (!applied.ok()) {
    // The memory cannot follow: rebuild it from the Store (which, once the
    // write is committed, holds it).
    TenantLoadReport report;
    if (restored != nullptr) *restored = true;
    if (absl::Status s = RestoreLocked(state, report); !s.ok()) return s;
  }
  return created;
}

absl::StatusOr<bool> Catalog::Upsert(absl::string_view tenant, const v1::Profile& profile) {
  if (absl::Status s = ValidateTenant(tenant); !s.ok()) return s;
  if (absl::Status s = ValidateProfile(profile); !s.ok()) return s;
  TenantState& state = *GetOrCreateState(tenant);
  // Everything that can fail happens before the commit; after it, the write
  // is durable and only memory is brought in line. Searches are held off
  // only for that last step (see TenantState::write_mu).
  absl::MutexLock write_turn(&state.write_mu);
  absl::StatusOr<PreparedUpsert> prepared;
  {
    absl::ReaderMutexLock lock(&state.mu);
    if (absl::Status s = CheckWritable(tenant); !s.ok()) return s;
    prepared = PrepareUpsertLocked(state, profile);
  }
  if (!prepared.ok()) return prepared.status();
  if (absl::Status s = store_->CommitUpsert(tenant, prepared->record, prepared->stored); !s.ok()) return s;
  absl::MutexLock lock(&state.mu);
  return ApplyUpsertLocked(state, std::move(*prepared), nullptr);
}

std::vector<absl::StatusOr<bool>> Catalog::UpsertBatch(absl::string_view tenant,
                                                       absl::Span<const v1::Profile> profiles) {
  std::vector<absl::StatusOr<bool>> results(profiles.size(), absl::StatusOr<bool>(false));
  const auto fail_all = [&](const absl::Status& status) {
    for (absl::StatusOr<bool>& result : results) result = status;
    return results;
  };
  if (absl::Status s = ValidateTenant(tenant); !s.ok()) return fail_all(s);
  TenantState& state = *GetOrCreateState(tenant);
  absl::MutexLock write_turn(&state.write_mu);
  absl::MutexLock lock(&state.mu);
  if (absl::Status s = CheckWritable(tenant); !s.ok()) return fail_all(s);
  // Each profile is embedded after the ones before it are in memory, so
  // that it gets the term statistics a one-by-one upsert would give it.
  // Memory is thus ahead of the Store until the commit; should the commit
  // fail, it is rebuilt from the Store, which holds none of the batch.
  const v1::TenantRecord before = state.record;
  std::vector<StoredProfile> batch;
  std::vector<size_t> batched;
  // An item whose memory update failed rebuilt memory from the Store, which
  // lacks the batch so far: memory is rebuilt again after the commit.
  bool restored = false;
  for (size_t i = 0; i < profiles.size(); ++i) {
    if (absl::Status s = ValidateProfile(profiles[i]); !s.ok()) {
      results[i] = s;
      continue;
    }
    absl::StatusOr<PreparedUpsert> prepared = PrepareUpsertLocked(state, profiles[i]);
    if (!prepared.ok()) {
      results[i] = prepared.status();
      continue;
    }
    batch.push_back(prepared->stored);
    batched.push_back(i);
    const v1::TenantRecord record = prepared->record;
    results[i] = ApplyUpsertLocked(state, std::move(*prepared), &restored);
    state.record = record;  // a restore read the record of before the batch
  }
  if (batch.empty()) return results;
  absl::Status committed = store_->CommitUpserts(tenant, state.record, batch);
  if (!committed.ok()) state.record = before;
  if (!committed.ok() || restored) {
    TenantLoadReport report;
    const absl::Status rebuilt = RestoreLocked(state, report);
    for (const size_t i : batched) {
      if (!committed.ok() || !rebuilt.ok()) results[i] = committed.ok() ? rebuilt : committed;
    }
  }
  return results;
}

absl::StatusOr<v1::Profile> Catalog::Get(absl::string_view tenant, absl::string_view id) const {
  absl::StatusOr<StoredProfile> stored = GetStored(tenant, id);
  if (!stored.ok()) return stored.status();
  return std::move(stored->profile);
}

absl::StatusOr<StoredProfile> Catalog::GetStored(absl::string_view tenant, absl::string_view id) const {
  if (absl::Status s = ValidateTenant(tenant); !s.ok()) return s;
  if (absl::Status s = ValidateId("id", id); !s.ok()) return s;
  absl::StatusOr<std::optional<StoredProfile>> stored = store_->GetProfile(tenant, id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    return absl::NotFoundError(absl::StrCat("profile \"", id, "\" not found in tenant \"", tenant, "\""));
  }
  return std::move(**stored);
}

absl::Status Catalog::Delete(absl::string_view tenant, absl::string_view id) {
  if (absl::Status s = ValidateTenant(tenant); !s.ok()) return s;
  if (absl::Status s = ValidateId("id", id); !s.ok()) return s;
  TenantState* state = FindState(tenant);
  const auto not_found = [&] {
    return absl::NotFoundError(absl::StrCat("profile \"", id, "\" not found in tenant \"", tenant, "\""));
  };
  if (state == nullptr) return not_found();
  // As in Upsert(), searches wait only while memory is brought in line.
  absl::MutexLock write_turn(&state->write_mu);
  v1::TenantRecord record;
  {
    absl::ReaderMutexLock lock(&state->mu);
    if (!state->profiles.contains(id)) return not_found();
    record = state->record;
  }
  record.set_write_sequence(record.write_sequence() + 1);
  if (absl::Status s = store_->CommitDelete(tenant, record, id); !s.ok()) return s;
  absl::MutexLock lock(&state->mu);
  // Still there: only writes remove profiles, and this one has the turn.
  const auto it = state->profiles.find(id);
  state->record = record;
  state->index_dirty = true;
  absl::Status removed = state->index->Remove(it->second.VectorIds());
  if (!removed.ok()) {
    TenantLoadReport report;
    return RestoreLocked(*state, report);
  }
  state->Erase(id);
  state->interactions.Forget(id);
  return absl::OkStatus();
}

absl::StatusOr<ProfilePage> Catalog::List(absl::string_view tenant, int page_size,
                                          absl::string_view page_token) const {
  if (absl::Status s = ValidateTenant(tenant); !s.ok()) return s;
  if (page_size == 0) page_size = kDefaultPageSize;
  if (page_size < 1 || page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: ", page_size, " is outside [1, ", kMaxPageSize, "]"));
  }
  std::string start_after;
  if (!page_token.empty() && !absl::WebSafeBase64Unescape(page_token, &start_after)) {
    return absl::InvalidArgumentError("page_token: malformed; pass next_page_token from the previous page");
  }
  // One extra profile tells whether another page follows.
  absl::StatusOr<std::vector<v1::Profile>> profiles =
      store_->ListProfiles(tenant, start_after, page_size + 1, kMaxPageBytes);
  if (!profiles.ok()) return profiles.status();
  ProfilePage page;
  page.profiles = std::move(*profiles);
  // The page ends before the profile that would take it past its byte
  // budget, but holds at least one (at most kMaxProfileBytes).
  size_t kept = 0, bytes = 0;
  while (kept < page.profiles.size() && static_cast<int>(kept) < page_size) {
    bytes += page.profiles[kept].ByteSizeLong();
    if (kept > 0 && bytes > kMaxPageBytes) break;
    ++kept;
  }
  if (kept < page.profiles.size()) {
    page.profiles.resize(kept);
    page.next_page_token = absl::WebSafeBase64Escape(page.profiles.back().id());
  }
  return page;
}

absl::StatusOr<v1::Interaction> Catalog::RecordInteraction(absl::string_view tenant, v1::Interaction interaction) {
  if (absl::Status s = ValidateTenant(tenant); !s.ok()) return s;
  if (absl::Status s = ValidateInteraction("interaction", interaction); !s.ok()) return s;
  std::vector<v1::Interaction> one;
  one.push_back(std::move(interaction));
  absl::StatusOr<std::vector<v1::Interaction>> recorded =
      RecordValidated(tenant, std::move(one), [](size_t) { return std::string("interaction"); });
  if (!recorded.ok()) return recorded.status();
  return std::move(recorded->front());
}

absl::StatusOr<std::vector<v1::Interaction>> Catalog::RecordInteractions(absl::string_view tenant,
                                                                         std::vector<v1::Interaction> interactions) {
  if (absl::Status s = ValidateTenant(tenant); !s.ok()) return s;
  if (absl::Status s = ValidateInteractionBatch(interactions); !s.ok()) return s;
  return RecordValidated(tenant, std::move(interactions),
                            [](size_t i) { return absl::StrCat("interactions[", i, "]"); });
}

absl::StatusOr<std::vector<v1::Interaction>> Catalog::RecordValidated(absl::string_view tenant,
                                                                      std::vector<v1::Interaction> interactions,
                                                                      const std::function<std::string(size_t)>& field) {
  const auto not_found = [&](size_t i, absl::string_view id_field, absl::string_view id) {
    return absl::NotFoundError(
        absl::StrCat(field(i), ".", id_field, ": profile \"", id, "\" not found in tenant \"", tenant, "\""));
  };
  // Unknown fields would be stored and listed back past the note's limit.
  for (v1::Interaction& interaction : interactions) interaction.DiscardUnknownFields();
  TenantState* state = FindState(tenant);
  if (state == nullptr) return not_found(0, "from_profile_id", interactions.front().from_profile_id());
  // The profiles are checked in the tenant's write turn, so none can be
  // deleted between the check and the commit; searches wait only while
  // memory is brought in line.
  absl::MutexLock write_turn(&state->write_mu);
  v1::TenantRecord record;
  {
    absl::ReaderMutexLock lock(&state->mu);
    if (absl::Status s = CheckWritable(tenant); !s.ok()) return s;
    for (size_t i = 0; i < interactions.size(); ++i) {
      const v1::Interaction& interaction = interactions[i];
      if (!state->profiles.contains(interaction.from_profile_id())) {
        return not_found(i, "from_profile_id", interaction.from_profile_id());
      }
      if (!state->profiles.contains(interaction.to_profile_id())) {
        return not_found(i, "to_profile_id", interaction.to_profile_id());
      }
    }
    // Both profiles exist, so the record is the tenant's real one.
    record = state->record;
  }
  // Tenants written before interactions existed have 0 here; sequences start
  // at 1 so that 0 can mean "from the first" in listings.
  int64_t sequence = std::max<int64_t>(record.next_interaction_sequence(), 1);
  const int64_t now_ms = absl::ToUnixMillis(options_.now ? options_.now() : absl::Now());
  for (v1::Interaction& interaction : interactions) {
    interaction.set_sequence(sequence++);
    interaction.set_recorded_at_unix_ms(now_ms);
  }
  record.set_next_interaction_sequence(sequence);
  if (absl::Status s = store_->CommitInteractions(tenant, record, interactions); !s.ok()) return s;

  // Durable from here on; now bring memory in line.
  absl::MutexLock lock(&state->mu);
  state->record = record;
  for (const v1::Interaction& interaction : interactions) state->interactions.Add(interaction);
  return interactions;
}

absl::StatusOr<int64_t> Catalog::ImportInteractions(absl::string_view tenant,
                                                    std::vector<v1::Interaction> interactions) {
  if (absl::Status s = ValidateTenant(tenant); !s.ok()) return s;
  if (absl::Status s = ValidateInteractionBatch(interactions); !s.ok()) return s;
  for (size_t i = 0; i < interactions.size(); ++i) {
    interactions[i].DiscardUnknownFields();
    const v1::Interaction& interaction = interactions[i];
    if (interaction.sequence() < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("interactions[", i, "].sequence: ", interaction.sequence(), " is not positive"));
    }
    if (i > 0 && interaction.sequence() <= interactions[i - 1].sequence()) {
      return absl::InvalidArgumentError(absl::StrCat("interactions[", i, "].sequence: ", interaction.sequence(),
                                                     " does not follow ", interactions[i - 1].sequence(),
                                                     "; give interactions in sequence order"));
    }
    if (interaction.sequence() > kMaxImportedSequence) {
      return absl::InvalidArgumentError(absl::StrCat("interactions[", i, "].sequence: ", interaction.sequence(),
                                                     " is over the limit of ", kMaxImportedSequence));
    }
    if (interaction.recorded_at_unix_ms() <= 0 || interaction.recorded_at_unix_ms() > kMaxUnixMillis) {
      return absl::InvalidArgumentError(absl::StrCat(
          "interactions[", i, "].recorded_at_unix_ms: required, milliseconds since the Unix epoch up to year 9999"));
    }
  }
  // A tenant may start with imported history, before any profile.
  TenantState& state = *GetOrCreateState(tenant);
  absl::MutexLock write_turn(&state.write_mu);
  absl::MutexLock lock(&state.mu);
  if (absl::Status s = CheckWritable(tenant); !s.ok()) return s;
  v1::TenantRecord record = state.record;
  const int64_t last = std::max<int64_t>(record.next_interaction_sequence(), 1) - 1;
  // A retried import (a reply lost, or an import stopped half way) repeats
  // interactions already stored: those stored exactly so are skipped, so
  // that re-running an import is safe; any other earlier one is refused.
  size_t stored = 0;
  for (; stored < interactions.size() && interactions[stored].sequence() <= last; ++stored) {
    const v1::Interaction& interaction = interactions[stored];
    absl::StatusOr<std::vector<v1::Interaction>> same =
        store_->ListInteractions(tenant, interaction.from_profile_id(), interaction.sequence() - 1, 1);
    if (!same.ok()) return same.status();
    if (same->empty() || !google::protobuf::util::MessageDifferencer::Equals(same->front(), interaction)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "interactions[", stored, "].sequence: ", interaction.sequence(), " is not after the tenant's last ",
          "interaction (", last, ") and is not that interaction as stored; history is imported only into a tenant ",
          "without later interactions"));
    }
  }
  interactions.erase(interactions.begin(), interactions.begin() + static_cast<std::ptrdiff_t>(stored));
  if (interactions.empty()) return 0;
  record.set_next_interaction_sequence(interactions.back().sequence() + 1);
  if (absl::Status s = store_->CommitInteractions(tenant, record, interactions); !s.ok()) return s;

  // Durable from here on; now bring memory in line.
  state.record = record;
  for (const v1::Interaction& interaction : interactions) state.interactions.Add(interaction);
  return static_cast<int64_t>(interactions.size());
}

absl::StatusOr<InteractionPage> Catalog::ListInteractions(absl::string_view tenant, absl::string_view profile_id,
                                                          int page_size, absl::string_view page_token) const {
  if (absl::Status s = ValidateTenant(tenant); !s.ok()) return s;
  if (absl::Status s = ValidateId("profile_id", profile_id); !s.ok()) return s;
  if (page_size == 0) page_size = kDefaultPageSize;
  if (page_size < 1 || page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: ", page_size, " is outside [1, ", kMaxPageSize, "]"));
  }
  // The token is the last sequence of the previous page, encoded so that
  // clients do not build their own.
  int64_t start_after = 0;
  if (!page_token.empty()) {
    std::string decoded;
    if (!absl::WebSafeBase64Unescape(page_token, &decoded) || !absl::SimpleAtoi(decoded, &start_after) ||
        start_after < 1) {
      return absl::InvalidArgumentError("page_token: malformed; pass next_page_token from the previous page");
    }
  }
  // One extra interaction tells whether another page follows.
  absl::StatusOr<std::vector<v1::Interaction>> interactions =
      store_->ListInteractions(tenant, profile_id, start_after, page_size + 1);
  if (!interactions.ok()) return interactions.status();
  InteractionPage page;
  page.interactions = std::move(*interactions);
  if (static_cast<int>(page.interactions.size()) > page_size) {
    page.interactions.resize(page_size);
    page.next_page_token = absl::WebSafeBase64Escape(absl::StrCat(page.interactions.back().sequence()));
  }
  // Imported history may name a profile that does not exist here, but an
  // id with neither a profile nor an interaction is a mistake, answered as
  // GetProfile answers it.
  if (page.interactions.empty() && page_token.empty()) {
    bool exists = false;
    if (const TenantState* state = FindState(tenant); state != nullptr) {
      absl::ReaderMutexLock lock(&state->mu);
      exists = state->profiles.contains(profile_id);
    }
    if (!exists) {
      return absl::NotFoundError(absl::StrCat("profile_id: profile \"", profile_id, "\" not found in tenant \"",
                                              tenant, "\" and has no recorded interactions"));
    }
  }
  return page;
}

std::vector<std::string> Catalog::TenantNames() const {
  std::vector<const TenantState*> states;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [name, state] : tenants_) states.push_back(state.get());
  }
  std::vector<std::string> names;
  for (const TenantState* state : states) {
    absl::ReaderMutexLock lock(&state->mu);
    // A deleted tenant keeps an empty state (states are never removed).
    if (state->record.dimension() != 0 || state->record.next_interaction_sequence() != 0) {
      names.push_back(state->name);
    }
  }
  return names;
}

absl::StatusOr<TenantDeletion> Catalog::DeleteTenant(absl::string_view tenant) {
  if (absl::Status s = ValidateTenant(tenant); !s.ok()) return s;
  // No index save may write the file back between its removal and the reset.
  absl::MutexLock save_lock(&save_mu_);
  TenantState& state = *GetOrCreateState(tenant);
  absl::MutexLock write_turn(&state.write_mu);
  absl::MutexLock lock(&state.mu);
  absl::StatusOr<std::optional<v1::TenantRecord>> stored = store_->GetTenant(tenant);
  if (!stored.ok()) return stored.status();
  TenantDeletion deletion;
  deletion.profiles = static_cast<int64_t>(state.profiles.size());
  if (stored->has_value() && (*stored)->next_interaction_sequence() > 0) {
    deletion.interactions = (*stored)->next_interaction_sequence() - 1;
  }
  // The index file goes first: were it left behind, a tenant later created
  // under the name could reach the same write sequence and vector ids and
  // load it as its own.
  std::error_code error;
  std::filesystem::remove(IndexPath(tenant), error);
  if (error) return absl::InternalError(absl::StrCat("delete index file of tenant ", tenant, ": ", error.message()));
  if (absl::Status s = store_->DeleteTenant(tenant); !s.ok()) return s;
  state.ClearProfiles();
  state.record = v1::TenantRecord();
  state.index.reset();
  state.embedder.reset();
  state.interactions = InteractionGraph();
  state.ranker.reset();
  state.index_dirty = false;
  return deletion;
}

absl::StatusOr<std::vector<v1::Interaction>> Catalog::AllInteractions(absl::string_view tenant) const {
  if (absl::Status s = ValidateTenant(tenant); !s.ok()) return s;
  std::vector<v1::Interaction> interactions;
  absl::Status scan = store_->ScanInteractions(tenant, [&](v1::Interaction interaction) {
    interactions.push_back(std::move(interaction));
    return absl::OkStatus();
  });
  if (!scan.ok()) return scan;
  std::sort(interactions.begin(), interactions.end(),
            [](const v1::Interaction& a, const v1::Interaction& b) { return a.sequence() < b.sequence(); });
  return interactions;
}

absl::StatusOr<int64_t> Catalog::StoreRankerModel(absl::string_view tenant, v1::RankerModelRecord model,
                                                  std::shared_ptr<const LearnedRanker> activate) {
  TenantState* state = FindState(tenant);
  if (state == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("tenant \"", tenant, "\" has no data"));
  }
  absl::MutexLock write_turn(&state->write_mu);
  absl::MutexLock lock(&state->mu);
  if (absl::Status s = CheckWritable(tenant); !s.ok()) return s;
  v1::TenantRecord record = state->record;
  const int64_t version = record.last_ranker_version() + 1;
  record.set_last_ranker_version(version);
  if (activate != nullptr) record.set_active_ranker_version(version);
  model.set_version(version);
  model.mutable_report()->set_model_version(version);
  if (absl::Status s = store_->CommitRankerModel(tenant, record, model); !s.ok()) return s;
  state->record = record;
  if (activate != nullptr) state->ranker = std::move(activate);
  return version;
}

absl::Status Catalog::ReadTenant(absl::string_view tenant,
                                 const std::function<absl::Status(const TenantState*)>& read) const {
  const TenantState* state = FindState(tenant);
  if (state == nullptr) return read(nullptr);
  absl::ReaderMutexLock lock(&state->mu);
  return read(state->index == nullptr ? nullptr : state);
}

absl::Status Catalog::SaveIndex(TenantState& state) {
  std::unique_ptr<AtomicFile> file;
  absl::Status saved;
  {
    // Shared, so that the tag matches what is saved. Searches go on until a
    // writer arrives: it waits for the save to end, and so do the searches
    // after it (absl::Mutex lets no new reader past a waiting writer). The
    // stall lasts the write into the page cache (seconds at a million
    // profiles), as long as the in-memory copy it replaces, without that
    // copy's memory. The file is synced and renamed after the lock is gone.
    absl::ReaderMutexLock lock(&state.mu);
    if (state.index == nullptr || !state.index_dirty.exchange(false)) return absl::OkStatus();
    absl::StatusOr<std::unique_ptr<AtomicFile>> created = AtomicFile::Create(IndexPath(state.name));
    saved = created.status();
    if (saved.ok()) {
      file = std::move(*created);
      saved = state.index->Write(state.record.write_sequence(), *file);
    }
  }
  if (saved.ok()) saved = file->Commit();
  if (!saved.ok()) state.index_dirty = true;
  return saved;
}

absl::Status Catalog::SaveIndexes() {
  // One save at a time: two would share the temporary file name.
  absl::MutexLock save_lock(&save_mu_);
  std::vector<TenantState*> states;
  {
    absl::MutexLock lock(&mu_);
    for (auto& [name, state] : tenants_) states.push_back(state.get());
  }
  absl::Status first_error;
  for (TenantState* state : states) {
    absl::Status s = SaveIndex(*state);
    if (first_error.ok()) first_error = s;
  }
  return first_error;
}

absl::StatusOr<int64_t> Catalog::CopyIndexes(const std::string& dir) {
  if (absl::Status s = SaveIndexes(); !s.ok()) return s;
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return absl::InternalError(absl::StrCat("create ", dir, ": ", error.message()));
  // Saves and tenant deletions replace or remove files under this lock.
  absl::MutexLock save_lock(&save_mu_);
  std::vector<std::string> names = TenantNames();
  int64_t copied = 0;
  for (const std::string& tenant : names) {
    const std::filesystem::path from = IndexPath(tenant);
    if (!std::filesystem::exists(from, error)) continue;  // no vectors yet
    std::filesystem::copy_file(from, std::filesystem::path(dir) / from.filename(), error);
    if (error) return absl::InternalError(absl::StrCat("copy ", from.string(), " into ", dir, ": ", error.message()));
    ++copied;
  }
  return copied;
}

}  // namespace pollinator
