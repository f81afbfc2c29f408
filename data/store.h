// Store: the durable source of truth for tenants, profiles and their vectors,
// for the interactions recorded between profiles, and for the ranking models
// trained on them.
//
// Every profile is stored with the vectors of its needs, offers and
// description, and both are replaced together, so a crash never leaves a
// profile with another version's vectors. Each write also carries the new
// TenantRecord (vector id counter, write sequence, interaction sequence),
// committed in the same atomic batch.
//
//   absl::StatusOr<std::unique_ptr<RocksDbStore>> store = RocksDbStore::Open(options);
//   (*store)->CommitUpsert("assoc-1", tenant_record, stored_profile);
//
// Implementations are thread-safe. A write that returned OK is durable.
#ifndef POLLINATOR_DATA_STORE_H_
#define POLLINATOR_DATA_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "pollinator/v1/interaction.pb.h"
#include "pollinator/v1/profile.pb.h"
#include "pollinator/v1/storage.pb.h"

namespace pollinator {

struct StoredProfile {
  v1::Profile profile;
  v1::ProfileVectors vectors;
};

// What the store holds in memory, in bytes.
struct StoreMemory {
  // Writes not yet flushed to disk files, over every column family.
  int64_t memtables = 0;
  // The disk files' indexes and filters kept open.
  int64_t table_readers = 0;
  // Blocks read from disk files, in the cache they share.
  int64_t block_cache = 0;
};

class Store {
 public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  virtual ~Store() = default;

  // nullopt when the tenant has never been written to.
  virtual absl::StatusOr<std::optional<v1::TenantRecord>> GetTenant(absl::string_view tenant) const = 0;
  // Every tenant with a record, in byte order.
  virtual absl::StatusOr<std::vector<std::string>> ListTenants() const = 0;

  // nullopt when the profile does not exist.
  virtual absl::StatusOr<std::optional<StoredProfile>> GetProfile(absl::string_view tenant,
                                                                  absl::string_view id) const = 0;
  // Up to `limit` profiles with ids greater than `start_after`, in id order,
  // ending with the first one that takes their stored size past `max_bytes`
  // (so a caller that wants at most `max_bytes` knows whether more follow).
  virtual absl::StatusOr<std::vector<v1::Profile>> ListProfiles(absl::string_view tenant,
                                                                absl::string_view start_after, int limit,
                                                                size_t max_bytes = SIZE_MAX) const = 0;
  // Calls `visit` for every profile of the tenant, in id order, and stops at
  // the first error it returns.
  virtual absl::Status ScanProfiles(absl::string_view tenant,
                                    const std::function<absl::Status(StoredProfile)>& visit) const = 0;

  // Atomically writes the tenant record and the profile with its vectors,
  // replacing any previous version.
  virtual absl::Status CommitUpsert(absl::string_view tenant, const v1::TenantRecord& record,
                                    const StoredProfile& profile) = 0;
  // The same for several profiles in one synced write (a group commit):
  // all of them are stored, in order (a later one with the same id wins),
  // or none.
  virtual absl::Status CommitUpserts(absl::string_view tenant, const v1::TenantRecord& record,
                                     absl::Span<const StoredProfile> profiles) = 0;
  // Atomically writes the tenant record and deletes the profile, its
  // vectors and every interaction it sent or received (what the profile
  // was, and what it did, are gone together).
  virtual absl::Status CommitDelete(absl::string_view tenant, const v1::TenantRecord& record,
                                    absl::string_view id) = 0;

  // Atomically writes the tenant record and `interactions` (their sequences
  // already assigned and unique within the tenant).
  virtual absl::Status CommitInteractions(absl::string_view tenant, const v1::TenantRecord& record,
                                          const std::vector<v1::Interaction>& interactions) = 0;
  // Calls `visit` once for every interaction of the tenant, in no promised
  // order, and stops at the first error it returns.
  virtual absl::Status ScanInteractions(absl::string_view tenant,
                                        const std::function<absl::Status(v1::Interaction)>& visit) const = 0;
  // Up to `limit` interactions sent or received by `profile_id` with
  // sequences greater than `start_after_sequence` (0: from the first), in
  // sequence order.
  virtual absl::StatusOr<std::vector<v1::Interaction>> ListInteractions(absl::string_view tenant,
                                                                        absl::string_view profile_id,
                                                                        int64_t start_after_sequence,
                                                                        int limit) const = 0;

  // Atomically writes the tenant record and a trained ranking model, kept
  // under its version for good.
  virtual absl::Status CommitRankerModel(absl::string_view tenant, const v1::TenantRecord& record,
                                         const v1::RankerModelRecord& model) = 0;
  // nullopt when the tenant has no model of that version.
  virtual absl::StatusOr<std::optional<v1::RankerModelRecord>> GetRankerModel(absl::string_view tenant,
                                                                              int64_t version) const = 0;

  // Access control. Registrations and keys are few and read once at start.
  // Writes one registration (replacing any with its name).
  virtual absl::Status PutRegisteredTenant(const v1::RegisteredTenant& tenant) = 0;
  // Atomically writes a registration and one key of it (a tenant's first
  // admin key comes into being with the tenant, or neither does).
  virtual absl::Status CommitRegisteredTenantWithKey(const v1::RegisteredTenant& tenant,
                                                     const v1::StoredApiKey& key) = 0;
  virtual absl::StatusOr<std::vector<v1::RegisteredTenant>> ListRegisteredTenants() const = 0;
  // Writes one key (replacing the stored one with its tenant and key id).
  virtual absl::Status PutApiKey(const v1::StoredApiKey& key) = 0;
  // Every key of every tenant, revoked ones included.
  virtual absl::StatusOr<std::vector<v1::StoredApiKey>> ListApiKeys() const = 0;

  // Atomically deletes everything of the tenant: its record, registration,
  // keys, profiles, vectors, interactions and ranking models.
  virtual absl::Status DeleteTenant(absl::string_view tenant) = 0;

  // Flushes memtables to disk files; called on orderly shutdown so that the
  // next start does not replay the whole log.
  virtual absl::Status Flush() = 0;

  // Writes a consistent copy of the whole database, as of now, into `dir`
  // (which must not exist), while reads and writes go on: a backup.
  virtual absl::Status CreateCheckpoint(const std::string& dir) const = 0;
  // Reads every stored block and checks its checksum; DataLoss naming the
  // file when one does not match.
  virtual absl::Status VerifyChecksums() const = 0;

  virtual StoreMemory MemoryUsage() const = 0;
};

}  // namespace pollinator

#endif  // POLLINATOR_DATA_STORE_H_
