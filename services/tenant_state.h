// TenantState: the in-memory, searchable view of one tenant's profiles, kept
// in step with the Store by Catalog. It holds the FAISS index, the term
// statistics of the built-in embedder, per-vector and per-profile facts that
// search filters and explanations need without a disk read, and the graph of
// recorded interactions that matching takes into account.
//
// Thread-safety: `mu` guards everything but `term_statistics` and
// `feature_ids` (themselves thread-safe) and `index_dirty`. Writers hold
// `mu` exclusively, matching holds it shared.
#ifndef POLLINATOR_SERVICES_TENANT_STATE_H_
#define POLLINATOR_SERVICES_TENANT_STATE_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "data/store.h"
#include "index/embedder.h"
#include "index/feature_ids.h"
#include "index/learned_ranker.h"
#include "index/lexical_match.h"
#include "index/term_statistics.h"
#include "index/vector_index.h"
#include "pollinator/v1/interaction.pb.h"
#include "pollinator/v1/storage.pb.h"

namespace pollinator {

// One indexed vector: whose it is and what it stands for.
struct IndexedItem {
  std::string profile_id;
  v1::ItemSide side = v1::ITEM_SIDE_UNSPECIFIED;
  // Need or offer id; empty for the description.
  std::string item_id;
  // Copied from the need or offer so that search filters need no lookup.
  v1::Component component = v1::COMPONENT_UNSPECIFIED;
  // Unset (year 0) when the item never expires; a challenge's deadline when
  // that comes first.
  v1::Date expires;
  // A need posted as an open-innovation challenge (Need.challenge).
  bool challenge = false;
};

// One need or offer as matching sees it.
struct IndexedEntry {
  // 0 when the entry has no vector (vector ids start at 1).
  int64_t vector_id = 0;
  // The entry's word terms, for lexical fit.
  TermSet terms;
};

// A profile as matching sees it: the profile without its vectors (those live
// in the index) and the ids of its vectors.
// A profile's size as stored (its record and its vectors).
size_t StoredBytes(const StoredProfile& stored);

struct IndexedProfile {
  v1::Profile profile;
  // needs[i] (offers[i]) is profile.needs(i) (offers(i)): matching walks a
  // partner's entries by position, with no lookup by id.
  std::vector<IndexedEntry> needs;
  std::vector<IndexedEntry> offers;
  // 0 when the profile has no description vector.
  int64_t description_vector_id = 0;
  // The profile and its vectors as stored, for the tenant's storage limit.
  int64_t stored_bytes = 0;
  // Vectors of no current need or offer (the Catalog writes none), kept so
  // that removing the profile removes them too.
  std::vector<int64_t> unmatched_vector_ids;
  // The description's word terms (challenges match solvers by what they do).
  TermSet description_terms;
  // Dense number of the profile in TenantState::by_ordinal, the owner of its
  // vectors' VectorFacts; reused after the profile is erased.
  uint32_t ordinal = 0;

  // Every vector id of the profile.
  std::vector<int64_t> VectorIds() const;
};

// What recorded interactions (see InteractionService) mean for matching.
// Profile ids may name profiles that do not exist (imported history);
// matching only meets existing ones. A deleted profile's edges are gone.
struct InteractionGraph {
  // Asker id -> partner ids the asker declined; never suggested to it again.
  absl::flat_hash_map<std::string, absl::flat_hash_set<std::string>> declined;
  // Profile id -> ids it has collaborated with (symmetric: each
  // collaboration is entered under both profiles).
  absl::flat_hash_map<std::string, absl::flat_hash_set<std::string>> collaborators;

  // Enters what `interaction` means for matching: DECLINED and COLLABORATED
  // change the graph, the other types (history only) do not. Idempotent.
  void Add(const v1::Interaction& interaction);
  // Removes every edge to or from `id`, as when its profile, and with it
  // its interactions, are deleted.
  void Forget(absl::string_view id);
};

struct TenantState {
  explicit TenantState(std::string tenant_name) : name(std::move(tenant_name)) {}

  // Whether Insert() adds the texts to the term statistics, or the caller
  // already has (TermStatistics::Batch).
  enum class TermStatisticsUpdate { kAdd, kAlreadyCounted };

  // Adds the facts of `stored`, and its texts to the term statistics unless
  // `statistics` says the caller has. Does not touch the index. `features`,
  // when given, are the texts' features in
  // DocumentsOf() order (extracted with term_statistics.feature_options()),
  // so that a write tokenises each text once.
  void Insert(const StoredProfile& stored, const std::vector<TextFeatures>* features = nullptr,
              TermStatisticsUpdate statistics = TermStatisticsUpdate::kAdd)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // Undoes Insert() for the profile `id`, if present.
  void Erase(absl::string_view id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // Forgets every profile, item and text statistic (not the interactions,
  // which are not derived from profiles).
  void ClearProfiles() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // What the index keeps of an inserted vector for search filters: its
  // profile's ordinal, country and kind, and its side, component, expiry
  // and challenge flag.
  VectorFacts FactsOf(int64_t vector_id) const ABSL_SHARED_LOCKS_REQUIRED(mu);

  const std::string name;
  // Writes to the tenant take turns under `write_mu`, taken before `mu`.
  // A write reads what it needs under `mu` shared and commits to the Store
  // holding neither, so searches go on meanwhile; it takes `mu` exclusively
  // only to bring memory in line. Under `mu`, memory thus equals the Store
  // or lags it by the one write being committed.
  absl::Mutex write_mu;
  mutable absl::Mutex mu;
  // Dimension 0 until the first write decides the tenant's vector space.
  v1::TenantRecord record ABSL_GUARDED_BY(mu);
  // Null until the dimension is known.
  std::unique_ptr<VectorIndex> index ABSL_GUARDED_BY(mu);
  // Set for tenants that use the built-in embedder.
  std::unique_ptr<Embedder> embedder ABSL_GUARDED_BY(mu);
  // Document frequencies of every text of the tenant: the IDF of the
  // built-in embedder and of lexical matching (kept for client-vector
  // tenants too, whose texts are still matched lexically).
  TermStatistics term_statistics;
  // Ids of the word and concept features in the profiles' TermSets; never
  // cleared, so that a TermSet is valid for as long as the tenant. Its own
  // lock keeps it whole; that a query's Bm25Query knows every id of the
  // TermSets it meets comes from `mu`: only Insert(), under the exclusive
  // lock, assigns ids and builds TermSets, and a query holds the shared lock
  // from its Bm25Query to its last Coverage().
  FeatureIds feature_ids;
  absl::flat_hash_map<int64_t, IndexedItem> items ABSL_GUARDED_BY(mu);
  // Node-based, so that by_ordinal's pointers stay valid.
  absl::node_hash_map<std::string, IndexedProfile> profiles ABSL_GUARDED_BY(mu);
  // Sum of the profiles' stored_bytes.
  int64_t stored_bytes ABSL_GUARDED_BY(mu) = 0;
  // Ordinal -> profile; null for a free ordinal.
  std::vector<const IndexedProfile*> by_ordinal ABSL_GUARDED_BY(mu);
  std::vector<uint32_t> free_ordinals ABSL_GUARDED_BY(mu);
  InteractionGraph interactions ABSL_GUARDED_BY(mu);
  // The active ranking model (record.active_ranker_version); null while the
  // hand-set scoring ranks.
  std::shared_ptr<const LearnedRanker> ranker ABSL_GUARDED_BY(mu);
  // The index has changed since it was last saved. Atomic because saving
  // holds `mu` only shared (writers are excluded, searches go on).
  std::atomic<bool> index_dirty{false};

};

// VectorFacts::flags bit of a need posted as a challenge.
inline constexpr uint8_t kChallengeFact = 1;

// The codes of VectorFacts: an ISO country as two letters in 16 bits (0 for
// none), a date as yyyymmdd (VectorFacts::kNeverExpires for year 0).
uint16_t CountryCode(absl::string_view country);
int32_t DayCode(const v1::Date& date);

// Every text of a profile that the built-in embedder sees as a document.
std::vector<std::string> DocumentsOf(const v1::Profile& profile);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_TENANT_STATE_H_
