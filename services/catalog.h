// Catalog: every tenant's profiles, durable in the Store and searchable in
// memory. All writes go through it, so the in-memory TenantState, the FAISS
// index and the Store never disagree about which profiles exist.
//
//   auto catalog = Catalog::Open(store.get(), options);   // loads every tenant
//   absl::StatusOr<bool> created = (*catalog)->Upsert("assoc-1", profile);
//   (*catalog)->ReadTenant("assoc-1", [](const TenantState* state) { ... });
//
// At start-up each tenant's index is loaded from `index_dir` and used only if
// it provably matches the Store (same write sequence and vector ids);
// otherwise it is rebuilt from the vectors stored in RocksDB, without
// re-embedding anything.
//
// Thread-safe. Writes to one tenant are serialised; reads run concurrently.
#ifndef POLLINATOR_SERVICES_CATALOG_H_
#define POLLINATOR_SERVICES_CATALOG_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "data/store.h"
#include "index/hashing_embedder.h"
#include "services/tenant_state.h"

namespace pollinator {

struct CatalogOptions {
  // Folder for the per-tenant FAISS index files; created when missing.
  std::string index_dir;
  // Built-in embedder settings for tenants created from now on. Existing
  // tenants keep the dimension they were created with.
  HashingEmbedderOptions embedder;

  absl::Status Validate() const;
};

struct ProfilePage {
  std::vector<v1::Profile> profiles;
  // Empty on the last page.
  std::string next_page_token;
};

// How a tenant's index was obtained at start-up; for logs and tests.
struct TenantLoadReport {
  std::string tenant;
  int64_t profiles = 0;
  int64_t vectors = 0;
  // False when the index was rebuilt from the Store.
  bool index_loaded = false;
  // Why the saved index was not used (empty when it was).
  std::string rebuild_reason;
};

class Catalog {
 public:
  // `store` must outlive the catalog.
  static absl::StatusOr<std::unique_ptr<Catalog>> Open(Store* store, const CatalogOptions& options);

  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // Validates, embeds and durably stores `profile`, replacing any previous
  // version atomically. Returns true when the profile is new.
  absl::StatusOr<bool> Upsert(absl::string_view tenant, const v1::Profile& profile);
  // NotFound when the profile does not exist.
  absl::StatusOr<v1::Profile> Get(absl::string_view tenant, absl::string_view id) const;
  absl::Status Delete(absl::string_view tenant, absl::string_view id);
  // `page_size` 0 means 100; otherwise 1 to 1000.
  absl::StatusOr<ProfilePage> List(absl::string_view tenant, int page_size,
                                   absl::string_view page_token) const;

  // Calls `read` under the tenant's shared lock, with null when the tenant
  // has no data. Returns what `read` returns.
  absl::Status ReadTenant(absl::string_view tenant,
                          const std::function<absl::Status(const TenantState*)>& read) const;

  // Writes the index of every tenant changed since its last save.
  absl::Status SaveIndexes();

  const std::vector<TenantLoadReport>& load_reports() const { return load_reports_; }

 private:
  Catalog(Store* store, const CatalogOptions& options) : store_(store), options_(options) {}

  absl::Status LoadTenant(const std::string& tenant);
  // Rebuilds a tenant's in-memory state from the Store, using the saved
  // index file when it provably matches. Used at start-up and to repair the
  // state after a failed in-memory update.
  absl::Status RestoreLocked(TenantState& state, TenantLoadReport& report)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.mu);
  // Returns the tenant's state, creating an empty one for a first write.
  TenantState* GetOrCreateState(absl::string_view tenant);
  // Null when the tenant has never been seen.
  TenantState* FindState(absl::string_view tenant) const;
  absl::Status SaveIndex(TenantState& state);
  std::string IndexPath(absl::string_view tenant) const;

  Store* const store_;
  const CatalogOptions options_;
  std::vector<TenantLoadReport> load_reports_;
  absl::Mutex save_mu_;
  mutable absl::Mutex mu_;
  // States are never removed, so pointers to them stay valid.
  absl::flat_hash_map<std::string, std::unique_ptr<TenantState>> tenants_ ABSL_GUARDED_BY(mu_);
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_CATALOG_H_
