// RocksDbStore: Store on an embedded RocksDB database in a local folder.
//
// Column families: "tenants" (tenant -> TenantRecord), "profiles"
// (tenant NUL id -> Profile), "vectors" (tenant NUL id -> ProfileVectors) and
// "interactions" (tenant NUL profile id NUL 8-byte big-endian sequence ->
// Interaction) and "models" (tenant NUL 8-byte big-endian version ->
// RankerModelRecord). Each interaction is written twice, under its from and its to
// profile, so that one prefix scan lists both sides of a profile's history.
// Tenant names and ids never contain NUL (the service rejects control
// characters), so a tenant's keys form one contiguous range that no other
// tenant shares, and so do a profile's interactions. Databases created before
// the "interactions" or "models" family existed gain it when opened.
// Writes are synced to the write-ahead log before they return.
//
//   StoreOptions options;
//   options.path = "var/pollinator/db";
//   auto store = RocksDbStore::Open(options);
#ifndef POLLINATOR_DATA_ROCKSDB_STORE_H_
#define POLLINATOR_DATA_ROCKSDB_STORE_H_

#include <atomic>
#include <memory>

#include "data/store.h"

namespace rocksdb {
class Cache;
class ColumnFamilyHandle;
class Env;
class DB;
class WriteBatch;
}  // namespace rocksdb

namespace pollinator {

struct StoreOptions {
  // Folder of the database; created (with parents) when missing.
  std::string path;
  // Sync every write to disk before acknowledging it. Turning this off loses
  // acknowledged writes on power failure (not on a process crash).
  bool sync_writes = true;
  // RocksDB's environment; null: the default (the local disk). Tests pass
  // one that injects faults. Not owned; must outlive the store.
  rocksdb::Env* env = nullptr;

  absl::Status Validate() const;
};

class RocksDbStore final : public Store {
 public:
  static absl::StatusOr<std::unique_ptr<RocksDbStore>> Open(const StoreOptions& options);
  ~RocksDbStore() override;

  absl::StatusOr<std::optional<v1::TenantRecord>> GetTenant(absl::string_view tenant) const override;
  absl::StatusOr<std::vector<std::string>> ListTenants() const override;
  absl::StatusOr<std::optional<StoredProfile>> GetProfile(absl::string_view tenant,
                                                          absl::string_view id) const override;
  absl::StatusOr<std::vector<v1::Profile>> ListProfiles(absl::string_view tenant, absl::string_view start_after,
                                                        int limit, size_t max_bytes = SIZE_MAX) const override;
  absl::Status ScanProfiles(absl::string_view tenant,
                            const std::function<absl::Status(StoredProfile)>& visit) const override;
  absl::Status CommitUpsert(absl::string_view tenant, const v1::TenantRecord& record,
                            const StoredProfile& profile) override;
  absl::Status CommitUpserts(absl::string_view tenant, const v1::TenantRecord& record,
                             absl::Span<const StoredProfile> profiles) override;
  absl::Status CommitDelete(absl::string_view tenant, const v1::TenantRecord& record,
                            absl::string_view id) override;
  absl::Status CommitInteractions(absl::string_view tenant, const v1::TenantRecord& record,
                                  const std::vector<v1::Interaction>& interactions) override;
  absl::Status ScanInteractions(absl::string_view tenant,
                                const std::function<absl::Status(v1::Interaction)>& visit) const override;
  absl::StatusOr<std::vector<v1::Interaction>> ListInteractions(absl::string_view tenant, absl::string_view profile_id,
                                                                int64_t start_after_sequence, int limit) const override;
  absl::Status CommitRankerModel(absl::string_view tenant, const v1::TenantRecord& record,
                                 const v1::RankerModelRecord& model) override;
  absl::StatusOr<std::optional<v1::RankerModelRecord>> GetRankerModel(absl::string_view tenant,
                                                                      int64_t version) const override;
  absl::Status PutRegisteredTenant(const v1::RegisteredTenant& tenant) override;
  absl::Status CommitRegisteredTenantWithKey(const v1::RegisteredTenant& tenant,
                                             const v1::StoredApiKey& key) override;
  absl::StatusOr<std::vector<v1::RegisteredTenant>> ListRegisteredTenants() const override;
  absl::Status PutApiKey(const v1::StoredApiKey& key) override;
  absl::StatusOr<std::vector<v1::StoredApiKey>> ListApiKeys() const override;
  absl::Status DeleteTenant(absl::string_view tenant) override;
  absl::Status Flush() override;
  absl::Status CreateCheckpoint(const std::string& dir) const override;
  absl::Status VerifyChecksums() const override;
  StoreMemory MemoryUsage() const override;

 private:
  RocksDbStore(const StoreOptions& options, std::shared_ptr<rocksdb::Cache> block_cache,
               std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> handles);
  // Commits `batch` (synced when options_.sync_writes); `context` names the
  // write in errors.
  absl::Status Write(rocksdb::WriteBatch& batch, absl::string_view context);

  const StoreOptions options_;
  // Shared by every column family.
  const std::shared_ptr<rocksdb::Cache> block_cache_;
  std::unique_ptr<rocksdb::DB> db_;
  // A write failed for want of space (or another I/O error), which stops
  // RocksDB's writes until it resumes; the next write tries that first.
  std::atomic<bool> needs_resume_{false};
  // Owned; destroyed before db_. Indexed by the kCf* constants in the .cc.
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

}  // namespace pollinator

#endif  // POLLINATOR_DATA_ROCKSDB_STORE_H_
