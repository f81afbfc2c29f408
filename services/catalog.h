// Catalog: every tenant's profiles and recorded interactions, durable in the
// Store and searchable in memory. All writes go through it, so the in-memory
// TenantState, the FAISS index and the Store never disagree about which
// profiles exist or what interactions were recorded.
//
//   auto catalog = Catalog::Open(store.get(), options);   // loads every tenant
//   absl::StatusOr<bool> created = (*catalog)->Upsert("assoc-1", profile);
//   absl::StatusOr<v1::Interaction> stored = (*catalog)->RecordInteraction("assoc-1", interaction);
//   (*catalog)->ReadTenant("assoc-1", [](const TenantState* state) { ... });
//
// At start-up each tenant's index (a snapshot with its HNSW graph) is loaded
// from `index_dir`, and the writes after it are replayed from the Store:
// vectors it lacks are added, vectors the Store no longer has are removed.
// An index that cannot be trusted (unreadable, ahead of the Store, another
// dimension, or an embedder change) is rebuilt from the vectors stored in
// RocksDB instead, without re-embedding anything. The interaction graph is
// rebuilt from the Store.
//
// Thread-safe. Writes to one tenant are serialised; reads run concurrently.
#ifndef POLLINATOR_SERVICES_CATALOG_H_
#define POLLINATOR_SERVICES_CATALOG_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "data/store.h"
#include "index/faiss_vector_index.h"
#include "index/hashing_embedder.h"
#include "services/guards/tenant_limits.h"
#include "services/tenant_state.h"

namespace pollinator {

struct CatalogOptions {
  // Folder for the per-tenant FAISS index files; created when missing.
  std::string index_dir;
  // Built-in embedder settings for tenants created from now on. Existing
  // tenants keep the dimension they were created with.
  HashingEmbedderOptions embedder;
  // How each tenant's vector index plans, builds its graph and compacts.
  FaissVectorIndexOptions index;
  // Clock for interactions' recorded_at_unix_ms; null means absl::Now().
  std::function<absl::Time()> now;
  // What each tenant may store (max_profiles, max_stored_bytes); null: no
  // limit. A write past either is refused with ResourceExhausted and
  // changes nothing.
  std::shared_ptr<const TenantLimitTable> limits;

  absl::Status Validate() const;
};

struct ProfilePage {
  std::vector<v1::Profile> profiles;
  // Empty on the last page.
  std::string next_page_token;
};

struct InteractionPage {
  // In sequence order.
  std::vector<v1::Interaction> interactions;
  // Empty on the last page.
  std::string next_page_token;
};

// What Catalog::DeleteTenant removed.
struct TenantDeletion {
  int64_t profiles = 0;
  int64_t interactions = 0;
};

// How a tenant's index was obtained at start-up; for logs and tests.
struct TenantLoadReport {
  std::string tenant;
  int64_t profiles = 0;
  int64_t vectors = 0;
  int64_t interactions = 0;
  // False when the index was rebuilt from the Store.
  bool index_loaded = false;
  // Vectors added and removed after the loaded index was saved, replayed
  // from the Store.
  int64_t replayed_added = 0;
  int64_t replayed_removed = 0;
  // Why the saved index was not used (empty when it was).
  std::string rebuild_reason;
  // "rules", "learned-ranker-v<N>", or why the active model could not be
  // used (then the hand-set scoring ranks).
  std::string ranked_by;
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
  // Upserts several profiles with one synced write (a group commit), each
  // validated, embedded and reported on its own: a bad one is left out and
  // the others are stored. Returns, per profile, whether it was new or why
  // it was refused; a failed commit fails every profile it held.
  std::vector<absl::StatusOr<bool>> UpsertBatch(absl::string_view tenant, absl::Span<const v1::Profile> profiles);
  // NotFound when the profile does not exist.
  absl::StatusOr<v1::Profile> Get(absl::string_view tenant, absl::string_view id) const;
  // The same with its vectors as stored.
  absl::StatusOr<StoredProfile> GetStored(absl::string_view tenant, absl::string_view id) const;
  // Deletes the profile, its vectors and every interaction it sent or
  // received, in one atomic write, and its edges from the interaction
  // graph: nothing of it shapes anyone's suggestions afterwards.
  absl::Status Delete(absl::string_view tenant, absl::string_view id);
  // `page_size` 0 means 100; otherwise 1 to 1000. A page also ends before
  // its profiles pass 1 MiB encoded, but holds at least one.
  absl::StatusOr<ProfilePage> List(absl::string_view tenant, int page_size,
                                   absl::string_view page_token) const;

  // Validates `interaction`, checks that both its profiles exist in the tenant
  // (NotFound naming the id otherwise), assigns its sequence and recording
  // time, stores it durably and enters it in the tenant's InteractionGraph.
  // Returns it as stored. Errors name the field as "interaction.type".
  absl::StatusOr<v1::Interaction> RecordInteraction(absl::string_view tenant, v1::Interaction interaction);
  // The same for 1 to 1000 interactions in one atomic write: all of them are
  // recorded, with increasing sequences in the given order, or none. Errors
  // name the item, as in "interactions[3].to_profile_id".
  absl::StatusOr<std::vector<v1::Interaction>> RecordInteractions(absl::string_view tenant,
                                                                  std::vector<v1::Interaction> interactions);
  // Stores 1 to 1000 interactions recorded elsewhere (an export of this or
  // another server) as they are: their sequences and recording times are
  // kept, so the tenant's history reads as it did there. Each must be valid
  // (as for RecordInteractions), have a recording time, and a sequence
  // greater than the one before it (at most kMaxImportedSequence) and than
  // every interaction the tenant has (FailedPrecondition naming the
  // sequence otherwise: interactions are imported only after the tenant's
  // own), except that leading ones stored exactly so already are skipped:
  // a retried import is safe. Their profiles need not exist (an export may
  // come from a server that kept them). All are stored or none; returns how many were
  // newly stored.
  absl::StatusOr<int64_t> ImportInteractions(absl::string_view tenant, std::vector<v1::Interaction> interactions);
  // Interactions sent or received by `profile_id` (which may not exist, for
  // imported history), in sequence order. `page_size` 0 means 100; otherwise 1
  // to 1000. NotFound when the profile neither exists nor has any.
  absl::StatusOr<InteractionPage> ListInteractions(absl::string_view tenant, absl::string_view profile_id,
                                                   int page_size, absl::string_view page_token) const;

  // Every tenant with data, in no particular order.
  std::vector<std::string> TenantNames() const;

  // Deletes everything of the tenant in one atomic write (profiles, vectors,
  // interactions, ranking models, and its registration and keys), after its
  // index file, and resets its in-memory state. A later write starts it
  // afresh. Deleting a tenant that has nothing is not an error.
  absl::StatusOr<TenantDeletion> DeleteTenant(absl::string_view tenant);

  // Every interaction of the tenant, in sequence order; empty for a tenant
  // that has none (or does not exist).
  absl::StatusOr<std::vector<v1::Interaction>> AllInteractions(absl::string_view tenant) const;

  // Stores `model` as the tenant's next ranking model version (assigned
  // here and returned) and, with `activate`, makes `ranker` (the same model,
  // loaded) rank the tenant's suggestions from now on. FailedPrecondition
  // for a tenant without data.
  absl::StatusOr<int64_t> StoreRankerModel(absl::string_view tenant, v1::RankerModelRecord model,
                                           std::shared_ptr<const LearnedRanker> activate);

  // Calls `read` under the tenant's shared lock, with null when the tenant
  // has no data. Returns what `read` returns.
  absl::Status ReadTenant(absl::string_view tenant,
                          const std::function<absl::Status(const TenantState*)>& read) const;

  // Installs a check that every write (upsert, interactions, ranking model)
  // makes under the tenant's exclusive lock; a write it refuses fails with
  // FailedPrecondition and changes nothing. Access control uses it so that a
  // call authorised just before its tenant was deleted cannot bring the
  // tenant back. Set once, before the catalog is shared.
  void SetWriteGuard(std::function<bool(absl::string_view tenant)> may_write) { may_write_ = std::move(may_write); }

  // Writes the index of every tenant changed since its last save.
  absl::Status SaveIndexes();
  // Saves the changed indexes and copies every tenant's index file into
  // `dir` (created), for a backup; returns how many files were copied.
  // Taken before the Store's checkpoint, the copies are never ahead of it,
  // so a restore replays what came after them instead of rebuilding.
  absl::StatusOr<int64_t> CopyIndexes(const std::string& dir);

  const std::vector<TenantLoadReport>& load_reports() const { return load_reports_; }
  // Tenant indexes built from the store (at start or after a failed
  // in-memory update) rather than loaded from their snapshot.
  int64_t index_rebuilds() const { return index_rebuilds_.load(); }

 private:
  Catalog(Store* store, const CatalogOptions& options) : store_(store), options_(options) {}

  // A validated profile embedded and ready to commit, with what the commit
  // brings: the tenant record after it, and for a tenant's first write its
  // embedder and index.
  struct PreparedUpsert {
    v1::TenantRecord record;
    StoredProfile stored;
    // The texts' features in DocumentsOf() order.
    std::vector<TextFeatures> features;
    std::unique_ptr<Embedder> new_embedder;
    std::unique_ptr<VectorIndex> new_index;
  };
  // Needs only the shared lock, with the tenant's write turn (write_mu).
  absl::StatusOr<PreparedUpsert> PrepareUpsertLocked(TenantState& state, const v1::Profile& profile)
      ABSL_SHARED_LOCKS_REQUIRED(state.mu);
  // Brings memory in line with a prepared upsert; returns whether the
  // profile is new. Should that fail, memory is rebuilt from the Store and
  // `*restored` (if given) set.
  absl::StatusOr<bool> ApplyUpsertLocked(TenantState& state, PreparedUpsert prepared, bool* restored)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.mu);

  absl::Status LoadTenant(const std::string& tenant);
  // Loads the tenant's active ranking model into `state`; returns what will
  // rank its suggestions (see TenantLoadReport::ranked_by).
  std::string LoadActiveRanker(TenantState& state) ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.mu);
  // Rebuilds a tenant's in-memory profile state from the Store, using the
  // saved index file when it provably matches. Used at start-up and to repair
  // the state after a failed in-memory update. Leaves the interaction graph
  // alone: no profile write changes it, and LoadTenant builds it.
  absl::Status RestoreLocked(TenantState& state, TenantLoadReport& report)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.mu);
  // Vector ids with their values back to back, as the index takes them.
  struct StoredVectors;
  // Brings a loaded `index`, which holds `saved_ids`, in line with the
  // Store's vector `ids` and their `facts`: removes the ids the Store no
  // longer has, adds the `missing` ones with their `missing_facts`, and
  // records the counts in `report`.
  absl::Status ReplayLocked(VectorIndex& index, const std::vector<int64_t>& ids, const std::vector<VectorFacts>& facts,
                            const std::vector<int64_t>& saved_ids, const StoredVectors& missing,
                            const std::vector<VectorFacts>& missing_facts, TenantLoadReport& report);
  // Embeds every text of a built-in tenant again with the current embedder
  // and commits the new vectors, after a change of HashingEmbedder::Version();
  // fills `ids` and `values` for the index.
  absl::Status ReembedLocked(TenantState& state, std::vector<int64_t>& ids, std::vector<float>& values)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.mu);
  // Records `interactions`, already validated; `field(i)` names item i in
  // error messages.
  absl::StatusOr<std::vector<v1::Interaction>> RecordValidated(absl::string_view tenant,
                                                               std::vector<v1::Interaction> interactions,
                                                               const std::function<std::string(size_t)>& field);
  // Returns the tenant's state, creating an empty one for a first write.
  TenantState* GetOrCreateState(absl::string_view tenant);
  // Null when the tenant has never been seen.
  TenantState* FindState(absl::string_view tenant) const;
  absl::Status SaveIndex(TenantState& state);
  std::string IndexPath(absl::string_view tenant) const;

  // FailedPrecondition unless the write guard (if any) allows writing.
  absl::Status CheckWritable(absl::string_view tenant) const;

  Store* const store_;
  const CatalogOptions options_;
  std::function<bool(absl::string_view)> may_write_;
  std::vector<TenantLoadReport> load_reports_;
  absl::Mutex save_mu_;
  mutable absl::Mutex mu_;
  // States are never removed, so pointers to them stay valid.
  absl::flat_hash_map<std::string, std::unique_ptr<TenantState>> tenants_ ABSL_GUARDED_BY(mu_);
  std::atomic<int64_t> index_rebuilds_{0};
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_CATALOG_H_
