#include "data/rocksdb_store.h"

#include <filesystem>
#include <memory>
#include <system_error>
#include <utility>

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include "absl/strings/str_cat.h"

namespace pollinator {
namespace {

// Column family order; handles_ is indexed by these. RocksDB requires the
// "default" family to be opened too (index 0); it stays empty.
constexpr int kCfTenants = 1;
constexpr int kCfProfiles = 2;
constexpr int kCfVectors = 3;
constexpr int kCfInteractions = 4;
constexpr int kCfModels = 5;
constexpr int kCfRegisteredTenants = 6;
constexpr int kCfApiKeys = 7;
const char* const kCfNames[] = {"default",      "tenants", "profiles",           "vectors",
                                "interactions", "models",  "registered_tenants", "api_keys"};
// Families whose keys start with TenantPrefix(tenant).
constexpr int kTenantPrefixedCfs[] = {kCfProfiles, kCfVectors, kCfInteractions, kCfModels, kCfApiKeys};

// Memtables of all families together, and the block cache they share.
constexpr size_t kMemtableBudget = 32 << 20;
constexpr size_t kBlockCacheBytes = 32 << 20;

absl::Status FromRocks(const rocksdb::Status& s, absl::string_view context) {
  if (s.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(context, ": ", s.ToString());
  // Callers handle a missing key themselves; any status that reaches here is
  // a storage failure, never the client's fault, so NotFound and
  // InvalidArgument from RocksDB become Internal.
  if (s.IsCorruption()) return absl::DataLossError(message);
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain()) return absl::UnavailableError(message);
  if (s.IsNoSpace()) return absl::ResourceExhaustedError(absl::StrCat("disk full: ", message));
  return absl::InternalError(message);
}

// absl::string_view is Abseil's own type here, not std::string_view.
rocksdb::Slice ToSlice(absl::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

std::string TenantPrefix(absl::string_view tenant) { return absl::StrCat(tenant, absl::string_view("\0", 1)); }

std::string ProfileKey(absl::string_view tenant, absl::string_view id) {
  return absl::StrCat(TenantPrefix(tenant), id);
}

// tenant NUL profile_id NUL: every interaction sent or received by the
// profile, and nothing else (ids contain no NUL, so "a" does not prefix "ab").
std::string InteractionPrefix(absl::string_view tenant, absl::string_view profile_id) {
  return absl::StrCat(ProfileKey(tenant, profile_id), absl::string_view("\0", 1));
}

// Big-endian, so that byte order is number order (for positive numbers).
void AppendBigEndian(int64_t number, std::string& key) {
  const uint64_t value = static_cast<uint64_t>(number);
  for (int shift = 56; shift >= 0; shift -= 8) key.push_back(static_cast<char>((value >> shift) & 0xff));
}

std::string InteractionKey(absl::string_view tenant, absl::string_view profile_id, int64_t sequence) {
  std::string key = InteractionPrefix(tenant, profile_id);
  AppendBigEndian(sequence, key);
  return key;
}

std::string ModelKey(absl::string_view tenant, int64_t version) {
  std::string key = TenantPrefix(tenant);
  AppendBigEndian(version, key);
  return key;
}

std::string ApiKeyKey(const v1::ApiKey& key) { return absl::StrCat(TenantPrefix(key.tenant()), key.key_id()); }

template <typename Message>
absl::Status ParseRecord(const rocksdb::Slice& bytes, absl::string_view what, Message& out) {
  if (!out.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat(what, ": stored record does not parse"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status StoreOptions::Validate() const {
  if (path.empty()) return absl::InvalidArgumentError("store path: empty");
  return absl::OkStatus();
}

RocksDbStore::RocksDbStore(const StoreOptions& options, std::shared_ptr<rocksdb::Cache> block_cache,
                           std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> handles)
    : options_(options), block_cache_(std::move(block_cache)), db_(std::move(db)), handles_(std::move(handles)) {}

RocksDbStore::~RocksDbStore() {
  for (rocksdb::ColumnFamilyHandle* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
  db_->Close();
}

absl::StatusOr<std::unique_ptr<RocksDbStore>> RocksDbStore::Open(const StoreOptions& options) {
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  std::error_code error;
  std::filesystem::create_directories(options.path, error);
  if (error) return absl::InternalError(absl::StrCat("create ", options.path, ": ", error.message()));

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  if (options.env != nullptr) db_options.env = options.env;
  // Memory is bounded for the whole database, not per column family: the
  // memtables of all eight together flush (the largest first) past
  // kMemtableBudget, and they share one block cache. RocksDB's defaults,
  // 64 MiB of memtables and a cache of their own for each, would let an
  // idle family hold what a busy one needs, and resident memory grow for
  // many minutes of writes before the first flush.
  db_options.db_write_buffer_size = kMemtableBudget;
  std::shared_ptr<rocksdb::Cache> block_cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  rocksdb::BlockBasedTableOptions table_options;
  table_options.block_cache = block_cache;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  rocksdb::ColumnFamilyOptions family_options;
  family_options.write_buffer_size = 16 << 20;
  family_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
  for (const char* name : kCfNames) descriptors.emplace_back(name, family_options);

  rocksdb::DB* raw_db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::Status s = rocksdb::DB::Open(db_options, options.path, descriptors, &handles, &raw_db);
  if (!s.ok()) return FromRocks(s, absl::StrCat("open database ", options.path));
  return std::unique_ptr<RocksDbStore>(new RocksDbStore(options, std::move(block_cache),
                                                        std::unique_ptr<rocksdb::DB>(raw_db), std::move(handles)));
}

absl::StatusOr<std::optional<v1::TenantRecord>> RocksDbStore::GetTenant(absl::string_view tenant) const {
  std::string bytes;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), handles_[kCfTenants], ToSlice(tenant), &bytes);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) return FromRocks(s, absl::StrCat("read tenant ", tenant));
  v1::TenantRecord record;
  if (absl::Status p = ParseRecord(bytes, absl::StrCat("tenant ", tenant), record); !p.ok()) return p;
  return record;
}

absl::StatusOr<std::vector<std::string>> RocksDbStore::ListTenants() const {
  std::vector<std::string> tenants;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[kCfTenants]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) tenants.push_back(it->key().ToString());
  if (absl::Status s = FromRocks(it->status(), "list tenants"); !s.ok()) return s;
  return tenants;
}

absl::StatusOr<std::optional<StoredProfile>> RocksDbStore::GetProfile(absl::string_view tenant,
                                                                     absl::string_view id) const {
  const std::string key = ProfileKey(tenant, id);
  std::vector<rocksdb::ColumnFamilyHandle*> cfs = {handles_[kCfProfiles], handles_[kCfVectors]};
  std::vector<rocksdb::Slice> keys = {key, key};
  std::vector<std::string> values;
  // One MultiGet reads both halves from the same implicit snapshot.
  std::vector<rocksdb::Status> statuses = db_->MultiGet(rocksdb::ReadOptions(), cfs, keys, &values);
  if (statuses[0].IsNotFound()) return std::nullopt;
  const std::string context = absl::StrCat("profile ", id);
  for (const rocksdb::Status& s : statuses) {
    if (!s.ok() && !s.IsNotFound()) return FromRocks(s, context);
  }
  StoredProfile stored;
  if (absl::Status p = ParseRecord(values[0], context, stored.profile); !p.ok()) return p;
  if (statuses[1].ok()) {
    if (absl::Status p = ParseRecord(values[1], context, stored.vectors); !p.ok()) return p;
  }
  return stored;
}

absl::StatusOr<std::vector<v1::Profile>> RocksDbStore::ListProfiles(absl::string_view tenant,
                                                                    absl::string_view start_after, int limit,
                                                                    size_t max_bytes) const {
  const std::string prefix = TenantPrefix(tenant);
  std::vector<v1::Profile> profiles;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[kCfProfiles]));
  it->Seek(ProfileKey(tenant, start_after));
  if (it->Valid() && !start_after.empty() && it->key() == ProfileKey(tenant, start_after)) it->Next();
  size_t bytes = 0;
  for (; it->Valid() && it->key().starts_with(prefix) && static_cast<int>(profiles.size()) < limit &&
         bytes <= max_bytes;
       it->Next()) {
    v1::Profile profile;
    if (absl::Status p = ParseRecord(it->value(), it->key().ToString(), profile); !p.ok()) return p;
    profiles.push_back(std::move(profile));
    bytes += it->value().size();
  }
  if (absl::Status s = FromRocks(it->status(), "list profiles"); !s.ok()) return s;
  return profiles;
}

absl::Status RocksDbStore::ScanProfiles(absl::string_view tenant,
                                        const std::function<absl::Status(StoredProfile)>& visit) const {
  const std::string prefix = TenantPrefix(tenant);
  // Both iterators read one snapshot, so profiles and vectors agree.
  rocksdb::ReadOptions read_options;
  const rocksdb::Snapshot* snapshot = db_->GetSnapshot();
  read_options.snapshot = snapshot;
  std::unique_ptr<rocksdb::Iterator> profiles(db_->NewIterator(read_options, handles_[kCfProfiles]));
  std::unique_ptr<rocksdb::Iterator> vectors(db_->NewIterator(read_options, handles_[kCfVectors]));
  absl::Status status;
  profiles->Seek(prefix);
  vectors->Seek(prefix);
  for (; status.ok() && profiles->Valid() && profiles->key().starts_with(prefix); profiles->Next()) {
    StoredProfile stored;
    const std::string key = profiles->key().ToString();
    status = ParseRecord(profiles->value(), key, stored.profile);
    // Vector keys are a subset of profile keys in the same order.
    while (status.ok() && vectors->Valid() && vectors->key().compare(profiles->key()) < 0) vectors->Next();
    if (status.ok() && vectors->Valid() && vectors->key() == profiles->key()) {
      status = ParseRecord(vectors->value(), key, stored.vectors);
    }
    if (status.ok()) status = visit(std::move(stored));
  }
  if (status.ok()) status = FromRocks(profiles->status(), "scan profiles");
  if (status.ok()) status = FromRocks(vectors->status(), "scan vectors");
  profiles.reset();
  vectors.reset();
  db_->ReleaseSnapshot(snapshot);
  return status;
}

absl::Status RocksDbStore::CommitUpsert(absl::string_view tenant, const v1::TenantRecord& record,
                                        const StoredProfile& profile) {
  return CommitUpserts(tenant, record, absl::MakeConstSpan(&profile, 1));
}

absl::Status RocksDbStore::CommitUpserts(absl::string_view tenant, const v1::TenantRecord& record,
                                         absl::Span<const StoredProfile> profiles) {
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.Put(handles_[kCfTenants], ToSlice(tenant), record.SerializeAsString());
  for (const StoredProfile& profile : profiles) {
    const std::string key = ProfileKey(tenant, profile.profile.id());
    if (s.ok()) s = batch.Put(handles_[kCfProfiles], key, profile.profile.SerializeAsString());
    if (s.ok()) s = batch.Put(handles_[kCfVectors], key, profile.vectors.SerializeAsString());
  }
  if (!s.ok()) return FromRocks(s, "prepare upsert");
  return Write(batch, profiles.size() == 1 ? absl::StrCat("upsert profile ", profiles[0].profile.id())
                                           : absl::StrCat("upsert ", profiles.size(), " profiles"));
}

absl::Status RocksDbStore::CommitDelete(absl::string_view tenant, const v1::TenantRecord& record,
                                        absl::string_view id) {
  const std::string key = ProfileKey(tenant, id);
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.Put(handles_[kCfTenants], ToSlice(tenant), record.SerializeAsString());
  if (s.ok()) s = batch.Delete(handles_[kCfProfiles], key);
  if (s.ok()) s = batch.Delete(handles_[kCfVectors], key);
  // Its interactions go too, both copies of each: the other side's copy is
  // as much about this profile as its own.
  const std::string prefix = InteractionPrefix(tenant, id);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[kCfInteractions]));
  for (it->Seek(prefix); s.ok() && it->Valid() && it->key().starts_with(prefix); it->Next()) {
    v1::Interaction interaction;
    if (absl::Status p = ParseRecord(it->value(), absl::StrCat("interaction of profile ", id), interaction);
        !p.ok()) {
      return p;
    }
    for (const std::string& side : {interaction.from_profile_id(), interaction.to_profile_id()}) {
      if (s.ok()) s = batch.Delete(handles_[kCfInteractions], InteractionKey(tenant, side, interaction.sequence()));
    }
  }
  if (absl::Status scanned = FromRocks(it->status(), "read interactions to delete"); !scanned.ok()) return scanned;
  if (!s.ok()) return FromRocks(s, "prepare delete");
  return Write(batch, absl::StrCat("delete profile ", id));
}

absl::Status RocksDbStore::CommitInteractions(absl::string_view tenant, const v1::TenantRecord& record,
                                              const std::vector<v1::Interaction>& interactions) {
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.Put(handles_[kCfTenants], ToSlice(tenant), record.SerializeAsString());
  for (const v1::Interaction& interaction : interactions) {
    if (!s.ok()) break;
    const std::string value = interaction.SerializeAsString();
    s = batch.Put(handles_[kCfInteractions],
                  InteractionKey(tenant, interaction.from_profile_id(), interaction.sequence()), value);
    if (s.ok()) {
      s = batch.Put(handles_[kCfInteractions],
                    InteractionKey(tenant, interaction.to_profile_id(), interaction.sequence()), value);
    }
  }
  if (!s.ok()) return FromRocks(s, "prepare interactions");
  return Write(batch, absl::StrCat("record ", interactions.size(), " interactions in tenant ", tenant));
}

absl::Status RocksDbStore::CommitRankerModel(absl::string_view tenant, const v1::TenantRecord& record,
                                             const v1::RankerModelRecord& model) {
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.Put(handles_[kCfTenants], ToSlice(tenant), record.SerializeAsString());
  if (s.ok()) s = batch.Put(handles_[kCfModels], ModelKey(tenant, model.version()), model.SerializeAsString());
  if (!s.ok()) return FromRocks(s, "prepare ranker model");
  return Write(batch, absl::StrCat("store ranker model ", model.version(), " of tenant ", tenant));
}

absl::StatusOr<std::optional<v1::RankerModelRecord>> RocksDbStore::GetRankerModel(absl::string_view tenant,
                                                                                  int64_t version) const {
  std::string bytes;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), handles_[kCfModels], ModelKey(tenant, version), &bytes);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) return FromRocks(s, absl::StrCat("read ranker model ", version, " of tenant ", tenant));
  v1::RankerModelRecord model;
  const std::string what = absl::StrCat("ranker model ", version, " of tenant ", tenant);
  if (absl::Status p = ParseRecord(bytes, what, model); !p.ok()) return p;
  return model;
}

absl::Status RocksDbStore::ScanInteractions(absl::string_view tenant,
                                            const std::function<absl::Status(v1::Interaction)>& visit) const {
  const std::string prefix = TenantPrefix(tenant);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[kCfInteractions]));
  absl::Status status;
  for (it->Seek(prefix); status.ok() && it->Valid() && it->key().starts_with(prefix); it->Next()) {
    v1::Interaction interaction;
    status = ParseRecord(it->value(), absl::StrCat("tenant ", tenant, " interaction"), interaction);
    // Each interaction is stored under both profiles; report only the copy
    // filed under its sender.
    if (status.ok() && it->key().starts_with(InteractionPrefix(tenant, interaction.from_profile_id()))) {
      status = visit(std::move(interaction));
    }
  }
  if (status.ok()) status = FromRocks(it->status(), "scan interactions");
  return status;
}

absl::StatusOr<std::vector<v1::Interaction>> RocksDbStore::ListInteractions(absl::string_view tenant,
                                                                            absl::string_view profile_id,
                                                                            int64_t start_after_sequence,
                                                                            int limit) const {
  const std::string prefix = InteractionPrefix(tenant, profile_id);
  std::vector<v1::Interaction> interactions;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[kCfInteractions]));
  const std::string start = InteractionKey(tenant, profile_id, start_after_sequence);
  it->Seek(start);
  if (it->Valid() && it->key() == start) it->Next();
  for (; it->Valid() && it->key().starts_with(prefix) && static_cast<int>(interactions.size()) < limit; it->Next()) {
    v1::Interaction interaction;
    if (absl::Status p = ParseRecord(it->value(), absl::StrCat("interaction of profile ", profile_id), interaction);
        !p.ok()) {
      return p;
    }
    interactions.push_back(std::move(interaction));
  }
  if (absl::Status s = FromRocks(it->status(), "list interactions"); !s.ok()) return s;
  return interactions;
}

absl::Status RocksDbStore::Write(rocksdb::WriteBatch& batch, absl::string_view context) {
  // After a full disk RocksDB refuses writes (reads go on) until resumed:
  // once space is back, the next write succeeds again.
  if (needs_resume_.exchange(false)) {
    // Busy: RocksDB is already recovering by itself (it polls for free
    // space); the write below then fails with the error that stopped it,
    // or goes through once it has recovered.
    if (rocksdb::Status resumed = db_->Resume(); !resumed.ok() && !resumed.IsBusy()) {
      needs_resume_ = true;
      return FromRocks(resumed, context);
    }
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync_writes;
  const rocksdb::Status s = db_->Write(write_options, &batch);
  if (s.IsNoSpace() || s.IsIOError()) needs_resume_ = true;
  return FromRocks(s, context);
}

absl::Status RocksDbStore::PutRegisteredTenant(const v1::RegisteredTenant& tenant) {
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.Put(handles_[kCfRegisteredTenants], ToSlice(tenant.name()), tenant.SerializeAsString());
  if (!s.ok()) return FromRocks(s, "prepare tenant registration");
  return Write(batch, absl::StrCat("register tenant ", tenant.name()));
}

absl::Status RocksDbStore::CommitRegisteredTenantWithKey(const v1::RegisteredTenant& tenant,
                                                         const v1::StoredApiKey& key) {
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.Put(handles_[kCfRegisteredTenants], ToSlice(tenant.name()), tenant.SerializeAsString());
  if (s.ok()) s = batch.Put(handles_[kCfApiKeys], ApiKeyKey(key.key()), key.SerializeAsString());
  if (!s.ok()) return FromRocks(s, "prepare tenant registration");
  return Write(batch, absl::StrCat("register tenant ", tenant.name()));
}

absl::StatusOr<std::vector<v1::RegisteredTenant>> RocksDbStore::ListRegisteredTenants() const {
  std::vector<v1::RegisteredTenant> tenants;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[kCfRegisteredTenants]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    v1::RegisteredTenant tenant;
    if (absl::Status p = ParseRecord(it->value(), absl::StrCat("registration of ", it->key().ToString()), tenant);
        !p.ok()) {
      return p;
    }
    tenants.push_back(std::move(tenant));
  }
  if (absl::Status s = FromRocks(it->status(), "list registered tenants"); !s.ok()) return s;
  return tenants;
}

absl::Status RocksDbStore::PutApiKey(const v1::StoredApiKey& key) {
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.Put(handles_[kCfApiKeys], ApiKeyKey(key.key()), key.SerializeAsString());
  if (!s.ok()) return FromRocks(s, "prepare key");
  return Write(batch, absl::StrCat("store key ", key.key().key_id()));
}

absl::StatusOr<std::vector<v1::StoredApiKey>> RocksDbStore::ListApiKeys() const {
  std::vector<v1::StoredApiKey> keys;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[kCfApiKeys]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    v1::StoredApiKey key;
    if (absl::Status p = ParseRecord(it->value(), "api key", key); !p.ok()) return p;
    keys.push_back(std::move(key));
  }
  if (absl::Status s = FromRocks(it->status(), "list api keys"); !s.ok()) return s;
  return keys;
}

absl::Status RocksDbStore::DeleteTenant(absl::string_view tenant) {
  // [tenant NUL, tenant \x01) holds exactly the tenant's keys: ids contain no
  // NUL, so no other tenant's keys fall in it.
  const std::string begin = TenantPrefix(tenant);
  const std::string end = absl::StrCat(tenant, absl::string_view("\x01", 1));
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.Delete(handles_[kCfTenants], ToSlice(tenant));
  if (s.ok()) s = batch.Delete(handles_[kCfRegisteredTenants], ToSlice(tenant));
  for (int cf : kTenantPrefixedCfs) {
    if (s.ok()) s = batch.DeleteRange(handles_[cf], begin, end);
  }
  if (!s.ok()) return FromRocks(s, "prepare tenant deletion");
  return Write(batch, absl::StrCat("delete tenant ", tenant));
}

absl::Status RocksDbStore::CreateCheckpoint(const std::string& dir) const {
  rocksdb::Checkpoint* raw = nullptr;
  if (absl::Status s = FromRocks(rocksdb::Checkpoint::Create(db_.get(), &raw), "prepare checkpoint"); !s.ok()) {
    return s;
  }
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // Files on the same filesystem are hard-linked, so a checkpoint costs
  // little space until the database compacts them away. Flushing first
  // (the 0) keeps the write-ahead log out of it.
  return FromRocks(checkpoint->CreateCheckpoint(dir, /*log_size_for_flush=*/0), absl::StrCat("checkpoint into ", dir));
}

absl::Status RocksDbStore::VerifyChecksums() const {
  return FromRocks(db_->VerifyChecksum(), "verify checksums");
}

absl::Status RocksDbStore::Flush() {
  rocksdb::FlushOptions flush_options;
  flush_options.wait = true;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs(handles_.begin() + kCfTenants, handles_.end());
  return FromRocks(db_->Flush(flush_options, cfs), "flush");
}

StoreMemory RocksDbStore::MemoryUsage() const {
  StoreMemory memory;
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    uint64_t value = 0;
    if (db_->GetIntProperty(handle, rocksdb::DB::Properties::kCurSizeAllMemTables, &value)) {
      memory.memtables += static_cast<int64_t>(value);
    }
    if (db_->GetIntProperty(handle, rocksdb::DB::Properties::kEstimateTableReadersMem, &value)) {
      memory.table_readers += static_cast<int64_t>(value);
    }
  }
  memory.block_cache = static_cast<int64_t>(block_cache_->GetUsage());
  return memory;
}

}  // namespace pollinator
