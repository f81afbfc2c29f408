#include "services/catalog.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <fstream>
#include <functional>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "index/hashing_embedder.h"
#include "tests/testing/catalog_fixture.h"
#include "tests/testing/gated_store.h"
#include "tests/testing/profiles.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace pollinator {
namespace {

using ::pollinator::testing::IsOk;
using ::pollinator::testing::MakeProfile;
using ::pollinator::testing::StatusIs;
using ::pollinator::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A store and catalog over one temporary folder, reopenable to simulate a
// restart.
class CatalogTest : public ::testing::Test {
 protected:
  void Open() {
    // Close the previous catalog and store before reopening the folder.
    opened_.catalog.reset();
    opened_.store.reset();
    opened_ = testing::OpenCatalog(dir_, 32);
    ASSERT_NE(opened_.catalog, nullptr);
    catalog_ = opened_.catalog.get();
  }

  int64_t IndexSize(const std::string& tenant) {
    int64_t size = -1;
    EXPECT_THAT(catalog_->ReadTenant(tenant,
                                     [&](const TenantState* state) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                                       size = state == nullptr ? 0 : state->index->size();
                                       return absl::OkStatus();
                                     }),
                IsOk());
    return size;
  }

  TempDir dir_;
  testing::OpenedCatalog opened_;
  Catalog* catalog_ = nullptr;
};

TEST_F(CatalogTest, UpsertReportsCreatedThenReplaced) {
  Open();
  const v1::Profile profile = MakeProfile("a", v1::PROFILE_KIND_SMB, {"need one"}, {"offer one"});
  EXPECT_EQ(*catalog_->Upsert("t", profile), true);
  EXPECT_EQ(*catalog_->Upsert("t", profile), false);
}

// The profiles' stored vectors by profile id, in the order stored.
std::map<std::string, std::vector<std::vector<float>>> StoredVectors(Store& store, const std::string& tenant) {
  std::map<std::string, std::vector<std::vector<float>>> vectors;
  EXPECT_THAT(store.ScanProfiles(tenant,
                                 [&](StoredProfile stored) {
                                   for (const v1::VectorRecord& vector : stored.vectors.vectors()) {
                                     vectors[stored.profile.id()].emplace_back(vector.values().begin(),
                                                                              vector.values().end());
                                   }
                                   return absl::OkStatus();
                                 }),
              IsOk());
  return vectors;
}

TEST_F(CatalogTest, UpsertBatchStoresEachGoodProfileAsOneByOneUpsertsWould) {
  std::vector<v1::Profile> profiles = {
      MakeProfile("a", v1::PROFILE_KIND_SMB, {"cathode coating line"}, {"pilot line for cells"}),
      MakeProfile("b", v1::PROFILE_KIND_UNIVERSITY, {"industrial partner"}, {"battery cell testing"}),
      MakeProfile("", v1::PROFILE_KIND_SMB, {"no id"}, {}),  // invalid: no id
      MakeProfile("c", v1::PROFILE_KIND_SMB, {"dry room"}, {"coating of cathodes"}),
      MakeProfile("a", v1::PROFILE_KIND_SMB, {"cathode coating line", "recycling"}, {"pilot line"}),  // again
  };
  // One by one, in a second folder.
  TempDir one_by_one_dir;
  testing::OpenedCatalog one_by_one = testing::OpenCatalog(one_by_one_dir, 32);
  for (const v1::Profile& profile : profiles) (void)one_by_one.catalog->Upsert("t", profile);

  Open();
  const std::vector<absl::StatusOr<bool>> results = catalog_->UpsertBatch("t", profiles);
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(*results[0], true);
  EXPECT_EQ(*results[1], true);
  EXPECT_THAT(results[2], StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(*results[3], true);
  EXPECT_EQ(*results[4], false) << "the second \"a\" replaces the first";
  EXPECT_EQ(IndexSize("t"), 2 + 2 + 3);
  // The same vectors as one-by-one upserts: each profile is embedded with
  // the term statistics of the ones before it. (Up to float rounding: the
  // embedder adds its features in hash-map order, which follows where the
  // map was allocated.)
  const auto batched = StoredVectors(*opened_.store, "t");
  const auto sequential = StoredVectors(*one_by_one.store, "t");
  ASSERT_EQ(batched.size(), sequential.size());
  for (const auto& [id, vectors] : batched) {
    ASSERT_EQ(vectors.size(), sequential.at(id).size()) << id;
    for (size_t i = 0; i < vectors.size(); ++i) {
      EXPECT_THAT(vectors[i], ::testing::Pointwise(::testing::FloatNear(1e-6), sequential.at(id)[i])) << id;
    }
  }
  // Durable: a restart reads all three back.
  Open();
  EXPECT_EQ(IndexSize("t"), 7);
  EXPECT_THAT(catalog_->Get("t", "c"), IsOk());
  EXPECT_EQ(catalog_->Get("t", "a")->needs_size(), 2);
}

TEST_F(CatalogTest, UpsertBatchOfOnlyBadProfilesWritesNothing) {
  Open();
  const std::vector<v1::Profile> profiles = {MakeProfile("", v1::PROFILE_KIND_SMB, {"x"}, {})};
  const std::vector<absl::StatusOr<bool>> results = catalog_->UpsertBatch("t", profiles);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_THAT(results[0], StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(opened_.store->GetTenant("t"), IsOk());
  EXPECT_FALSE(opened_.store->GetTenant("t")->has_value());
  EXPECT_THAT(catalog_->UpsertBatch("bad tenant!", profiles)[0], StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(CatalogTest, UpsertReplacesVectorsInIndex) {
  Open();
  // Two items plus the description... MakeProfile sets no description.
  ASSERT_THAT(catalog_->Upsert("t", MakeProfile("a", v1::PROFILE_KIND_SMB, {"n1", "n2"}, {"o1"})), IsOk());
  EXPECT_EQ(IndexSize("t"), 3);
  ASSERT_THAT(catalog_->Upsert("t", MakeProfile("a", v1::PROFILE_KIND_SMB, {"only need"}, {})), IsOk());
  EXPECT_EQ(IndexSize("t"), 1);
}

TEST_F(CatalogTest, DeleteRemovesProfileAndVectors) {
  Open();
  ASSERT_THAT(catalog_->Upsert("t", MakeProfile("a", v1::PROFILE_KIND_SMB, {"n"}, {"o"})), IsOk());
  ASSERT_THAT(catalog_->Delete("t", "a"), IsOk());
  EXPECT_EQ(IndexSize("t"), 0);
  EXPECT_THAT(catalog_->Get("t", "a"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(catalog_->Delete("t", "a"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(catalog_->Delete("nobody", "a"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(CatalogTest, CleanRestartLoadsSavedIndex) {
  Open();
  ASSERT_THAT(catalog_->Upsert("t", MakeProfile("a", v1::PROFILE_KIND_SMB, {"n"}, {"o"})), IsOk());
  ASSERT_THAT(catalog_->SaveIndexes(), IsOk());
  Open();
  ASSERT_EQ(catalog_->load_reports().size(), 1u);
  EXPECT_TRUE(catalog_->load_reports()[0].index_loaded);
  EXPECT_THAT(catalog_->load_reports()[0].rebuild_reason, IsEmpty());
  EXPECT_EQ(IndexSize("t"), 2);
}

TEST_F(CatalogTest, LongestTenantNameSavesAndLoadsItsIndex) {
  Open();
  const std::string tenant(128, 't');  // Hex-encoded, this would exceed 255 bytes.
  ASSERT_THAT(catalog_->Upsert(tenant, MakeProfile("a", v1::PROFILE_KIND_SMB, {"n"}, {"o"})), IsOk());
  ASSERT_THAT(catalog_->SaveIndexes(), IsOk());
  Open();
  ASSERT_EQ(catalog_->load_reports().size(), 1u);
  EXPECT_TRUE(catalog_->load_reports()[0].index_loaded) << catalog_->load_reports()[0].rebuild_reason;
}

TEST_F(CatalogTest, StaleIndexAfterCrashIsLoadedAndTheLaterWritesReplayed) {
  Open();
  ASSERT_THAT(catalog_->Upsert("t", MakeProfile("a", v1::PROFILE_KIND_SMB, {"n"}, {"o"})), IsOk());
  ASSERT_THAT(catalog_->Upsert("t", MakeProfile("gone", v1::PROFILE_KIND_SMB, {"n"}, {"o"})), IsOk());
  ASSERT_THAT(catalog_->SaveIndexes(), IsOk());
  // Written after the last save, as if the process died before the next
  // one: a new profile, a replaced one and a deleted one.
  ASSERT_THAT(catalog_->Upsert("t", MakeProfile("b", v1::PROFILE_KIND_SMB, {"n"}, {"o", "p"})), IsOk());
  ASSERT_THAT(catalog_->Upsert("t", MakeProfile("a", v1::PROFILE_KIND_SMB, {"n2", "n3"}, {"o"})), IsOk());
  ASSERT_THAT(catalog_->Delete("t", "gone"), IsOk());
  Open();
  ASSERT_EQ(catalog_->load_reports().size(), 1u);
  const TenantLoadReport& report = catalog_->load_reports()[0];
  EXPECT_TRUE(report.index_loaded) << report.rebuild_reason;
  EXPECT_EQ(report.replayed_added, 6) << "b's three vectors and a's new three";
  EXPECT_EQ(report.replayed_removed, 4) << "a's old two and gone's two";
  EXPECT_EQ(IndexSize("t"), 6);
  // The index holds exactly the stored vectors, with their values.
  ASSERT_THAT(catalog_->ReadTenant("t",
                                   [&](const TenantState* state) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                                     std::vector<int64_t> stored_ids;
                                     for (const char* id : {"a", "b"}) {
                                       absl::StatusOr<std::optional<StoredProfile>> stored =
                                           opened_.store->GetProfile("t", id);
                                       EXPECT_THAT(stored, IsOk());
                                       for (const v1::VectorRecord& vector : (*stored)->vectors.vectors()) {
                                         stored_ids.push_back(vector.vector_id());
                                         absl::StatusOr<std::vector<float>> indexed =
                                             state->index->Get(vector.vector_id());
                                         EXPECT_THAT(indexed, IsOk());
                                         EXPECT_EQ(*indexed, std::vector<float>(vector.values().begin(),
                                                                                vector.values().end()));
                                       }
                                     }
                                     std::sort(stored_ids.begin(), stored_ids.end());
                                     EXPECT_EQ(state->index->Ids(), stored_ids);
                                     return absl::OkStatus();
                                   }),
              IsOk());
  // Saved again on the next save: the following start replays nothing.
  ASSERT_THAT(catalog_->SaveIndexes(), IsOk());
  Open();
  EXPECT_TRUE(catalog_->load_reports()[0].index_loaded);
  EXPECT_EQ(catalog_->load_reports()[0].replayed_added, 0);
  EXPECT_EQ(catalog_->load_reports()[0].replayed_removed, 0);
}

TEST_F(CatalogTest, AnIndexAheadOfTheStoreIsRebuilt) {
  Open();
  ASSERT_THAT(catalog_->Upsert("t", MakeProfile("a", v1::PROFILE_KIND_SMB, {"n"}, {"o"})), IsOk());
  ASSERT_THAT(catalog_->Upsert("t", MakeProfile("b", v1::PROFILE_KIND_SMB, {"n"}, {"o"})), IsOk());
  ASSERT_THAT(catalog_->SaveIndexes(), IsOk());
  // The store goes back one write, as a restored backup would.
  absl::StatusOr<std::optional<v1::TenantRecord>> record = opened_.store->GetTenant("t");
  ASSERT_THAT(record, IsOk());
  v1::TenantRecord older = **record;
  older.set_write_sequence(older.write_sequence() - 1);
  ASSERT_THAT(opened_.store->CommitDelete("t", older, "b"), IsOk());
  Open();
  EXPECT_FALSE(catalog_->load_reports()[0].index_loaded);
  EXPECT_THAT(catalog_->load_reports()[0].rebuild_reason, HasSubstr("ahead of the store"));
  EXPECT_EQ(IndexSize("t"), 2);
}

TEST_F(CatalogTest, VectorsOfAnOlderEmbedderAreReembeddedAndCommittedOnce) {
  Open();
  ASSERT_THAT(catalog_->Upsert("t", MakeProfile("a", v1::PROFILE_KIND_SMB, {"cathode coating"}, {"pilot line"})),
              IsOk());
  ASSERT_THAT(catalog_->Upsert("t", MakeProfile("b", v1::PROFILE_KIND_SMB, {"dry room"}, {"cell assembly"})), IsOk());
  ASSERT_THAT(catalog_->SaveIndexes(), IsOk());
  // Rewrite the store as an older embedder left it: version 0 and vectors
  // that are not what the current embedder makes of the texts.
  absl::StatusOr<std::optional<v1::TenantRecord>> record = opened_.store->GetTenant("t");
  ASSERT_THAT(record, IsOk());
  v1::TenantRecord old = **record;
  old.clear_embedder_version();
  for (const char* id : {"a", "b"}) {
    absl::StatusOr<std::optional<StoredProfile>> stored = opened_.store->GetProfile("t", id);
    ASSERT_THAT(stored, IsOk());
    StoredProfile aged = **stored;
    for (v1::VectorRecord& vector : *aged.vectors.mutable_vectors()) {
      for (float& value : *vector.mutable_values()) value = 0.5f;
    }
    ASSERT_THAT(opened_.store->CommitUpsert("t", old, aged), IsOk());
  }

  Open();
  ASSERT_EQ(catalog_->load_reports().size(), 1u);
  EXPECT_FALSE(catalog_->load_reports()[0].index_loaded);
  EXPECT_THAT(catalog_->load_reports()[0].rebuild_reason, HasSubstr("re-embedded"));
  record = opened_.store->GetTenant("t");
  ASSERT_THAT(record, IsOk());
  EXPECT_EQ((*record)->embedder_version(), HashingEmbedder::Version());
  // The committed vectors are the current embedder's, in memory and on disk.
  EXPECT_THAT(catalog_->ReadTenant("t",
                                   [&](const TenantState* state) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                                     absl::StatusOr<std::optional<StoredProfile>> stored =
                                         opened_.store->GetProfile("t", "a");
                                     EXPECT_THAT(stored, IsOk());
                                     for (const v1::VectorRecord& vector : (*stored)->vectors.vectors()) {
                                       const std::string& text = vector.side() == v1::ITEM_SIDE_NEED
                                                                     ? (*stored)->profile.needs(0).text()
                                                                     : (*stored)->profile.offers(0).text();
                                       absl::StatusOr<std::vector<float>> expected = state->embedder->Embed(text);
                                       EXPECT_THAT(expected, IsOk());
                                       absl::StatusOr<std::vector<float>> indexed =
                                           state->index->Get(vector.vector_id());
                                       EXPECT_THAT(indexed, IsOk());
                                       EXPECT_THAT(std::vector<float>(vector.values().begin(), vector.values().end()),
                                                   ::testing::Pointwise(::testing::FloatNear(1e-6), *expected));
                                       EXPECT_THAT(*indexed, ::testing::Pointwise(::testing::FloatNear(1e-6), *expected));
                                     }
                                     return absl::OkStatus();
                                   }),
              IsOk());
  // Once is enough: the next start loads what it saved.
  ASSERT_THAT(catalog_->SaveIndexes(), IsOk());
  Open();
  EXPECT_TRUE(catalog_->load_reports()[0].index_loaded) << catalog_->load_reports()[0].rebuild_reason;
}

TEST_F(CatalogTest, CorruptIndexFileIsRebuiltFromStore) {
  Open();
  ASSERT_THAT(catalog_->Upsert("t", MakeProfile("a", v1::PROFILE_KIND_SMB, {"n"}, {"o"})), IsOk());
  ASSERT_THAT(catalog_->SaveIndexes(), IsOk());
  for (const auto& entry : std::filesystem::directory_iterator(dir_.Sub("index"))) {
    std::ofstream(entry.path(), std::ios::binary | std::ios::trunc) << "garbage";
  }
  Open();
  ASSERT_EQ(catalog_->load_reports().size(), 1u);
  EXPECT_FALSE(catalog_->load_reports()[0].index_loaded);
  EXPECT_EQ(IndexSize("t"), 2);
}

TEST_F(CatalogTest, ACorruptActiveRankerModelLeavesTheRulesRankingAndSaysWhy) {
  Open();
  ASSERT_THAT(catalog_->Upsert("t", MakeProfile("a", v1::PROFILE_KIND_SMB, {"n"}, {"o"})), IsOk());
  absl::StatusOr<std::optional<v1::TenantRecord>> record = opened_.store->GetTenant("t");
  ASSERT_TRUE(record.ok() && record->has_value());
  v1::TenantRecord active = **record;
  active.set_last_ranker_version(1);
  active.set_active_ranker_version(1);
  v1::RankerModelRecord model;
  model.set_version(1);
  model.set_model("a truncated model");
  ASSERT_THAT(opened_.store->CommitRankerModel("t", active, model), IsOk());
  Open();
  ASSERT_EQ(catalog_->load_reports().size(), 1u);
  EXPECT_THAT(catalog_->load_reports()[0].ranked_by, HasSubstr("ranker model 1 unusable"));
  EXPECT_THAT(catalog_->Get("t", "a"), IsOk());
}

TEST_F(CatalogTest, FirstClientVectorFixesTenantDimension) {
  Open();
  v1::Profile profile = MakeProfile("a", v1::PROFILE_KIND_SMB, {"n"}, {});
  for (float x : {1.0f, 0.0f, 0.0f, 0.0f}) profile.mutable_needs(0)->add_vector(x);
  ASSERT_THAT(catalog_->Upsert("vec", profile), IsOk());

  v1::Profile wrong = MakeProfile("b", v1::PROFILE_KIND_SMB, {"n"}, {});
  for (float x : {1.0f, 0.0f, 0.0f}) wrong.mutable_needs(0)->add_vector(x);
  EXPECT_THAT(catalog_->Upsert("vec", wrong),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("needs[0].vector: dimension 3")));
  v1::Profile missing = MakeProfile("c", v1::PROFILE_KIND_SMB, {"n"}, {});
  EXPECT_THAT(catalog_->Upsert("vec", missing),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("needs[0].vector: required")));
  // Rejected writes leave nothing behind.
  EXPECT_THAT(catalog_->Get("vec", "b"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(catalog_->Get("vec", "c"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(IndexSize("vec"), 1);
}

TEST_F(CatalogTest, BuiltinTenantRejectsClientVectors) {
  Open();
  ASSERT_THAT(catalog_->Upsert("t", MakeProfile("a", v1::PROFILE_KIND_SMB, {"n"}, {})), IsOk());
  v1::Profile profile = MakeProfile("b", v1::PROFILE_KIND_SMB, {"n"}, {});
  profile.mutable_needs(0)->add_vector(1.0f);
  EXPECT_THAT(catalog_->Upsert("t", profile),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("built-in embedder")));
}

TEST_F(CatalogTest, ListPagesWithOpaqueTokens) {
  Open();
  for (int i = 0; i < 5; ++i) {
    ASSERT_THAT(catalog_->Upsert("t", MakeProfile("p" + std::to_string(i), v1::PROFILE_KIND_SMB, {"n"}, {})),
                IsOk());
  }
  auto first = catalog_->List("t", 3, "");
  ASSERT_THAT(first, IsOk());
  ASSERT_EQ(first->profiles.size(), 3u);
  ASSERT_FALSE(first->next_page_token.empty());
  auto second = catalog_->List("t", 3, first->next_page_token);
  ASSERT_THAT(second, IsOk());
  ASSERT_EQ(second->profiles.size(), 2u);
  EXPECT_EQ(second->profiles[0].id(), "p3");
  EXPECT_THAT(second->next_page_token, IsEmpty());
  EXPECT_THAT(catalog_->List("t", 3, "%%%"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
  EXPECT_THAT(catalog_->List("t", 1001, ""), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_size")));
}

TEST(CatalogClockTest, RecordedInteractionsTakeTheInjectedTime) {
  TempDir dir;
  StoreOptions store_options;
  store_options.path = dir.Sub("db");
  absl::StatusOr<std::unique_ptr<RocksDbStore>> store = RocksDbStore::Open(store_options);
  ASSERT_THAT(store, IsOk());
  CatalogOptions options;
  options.index_dir = dir.Sub("index");
  options.embedder.dimension = 32;
  options.now = [] { return absl::FromUnixMillis(1700000000123); };
  absl::StatusOr<std::unique_ptr<Catalog>> catalog = Catalog::Open(store->get(), options);
  ASSERT_THAT(catalog, IsOk());
  for (const char* id : {"a", "b"}) {
    ASSERT_THAT((*catalog)->Upsert("t", MakeProfile(id, v1::PROFILE_KIND_SMB, {"n"}, {})), IsOk());
  }
  v1::Interaction interaction;
  interaction.set_from_profile_id("a");
  interaction.set_to_profile_id("b");
  interaction.set_type(v1::INTERACTION_TYPE_SHOWN);
  absl::StatusOr<v1::Interaction> recorded = (*catalog)->RecordInteraction("t", interaction);
  ASSERT_THAT(recorded, IsOk());
  EXPECT_EQ(recorded->recorded_at_unix_ms(), 1700000000123);
  EXPECT_EQ(recorded->sequence(), 1);
}

// A write holds searches off only while it brings memory in line: while it
// commits to the Store, the tenant can be read (and reads what it held
// before the write), and a second write waits for its turn.
class CatalogWriteTurnTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions store_options;
    store_options.path = dir_.Sub("db");
    absl::StatusOr<std::unique_ptr<RocksDbStore>> store = RocksDbStore::Open(store_options);
    ASSERT_THAT(store, IsOk());
    store_ = std::move(*store);
    gated_ = std::make_unique<testing::GatedStore>(store_.get());
    CatalogOptions options;
    options.index_dir = dir_.Sub("index");
    options.embedder.dimension = 32;
    absl::StatusOr<std::unique_ptr<Catalog>> catalog = Catalog::Open(gated_.get(), options);
    ASSERT_THAT(catalog, IsOk());
    catalog_ = std::move(*catalog);
    for (const char* id : {"a", "b", "c"}) {
      ASSERT_THAT(catalog_->Upsert("t", MakeProfile(id, v1::PROFILE_KIND_SMB, {"solar panel cleaning"}, {})), IsOk());
    }
  }

  // What memory holds: the index size, the tenant's write sequence, its
  // next interaction sequence and profile a's first need. Read on its own
  // thread: false when the read did not finish within 10 s.
  struct Seen {
    int64_t index_size = -1;
    int64_t write_sequence = -1;
    int64_t next_interaction = -1;
    std::string need_a;
  };
  bool ReadMemory(Seen& seen) {
    absl::Notification done;
    std::thread reader([&] {
      EXPECT_THAT(catalog_->ReadTenant("t",
                                       [&](const TenantState* state) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                                         seen.index_size = state->index->size();
                                         seen.write_sequence = state->record.write_sequence();
                                         seen.next_interaction = state->record.next_interaction_sequence();
                                         const auto a = state->profiles.find("a");
                                         if (a != state->profiles.end()) {
                                           seen.need_a = a->second.profile.needs(0).text();
                                         }
                                         return absl::OkStatus();
                                       }),
                  IsOk());
      done.Notify();
    });
    const bool finished = done.WaitForNotificationWithTimeout(absl::Seconds(10));
    // A read stuck behind the write ends once the gate opens.
    if (!finished) gated_->Open();
    reader.join();
    return finished;
  }

  // Runs `write` on its own thread with the gate closed; checks memory while
  // the write waits in its commit, and after it.
  void CheckWriteLetsReadsThrough(const std::function<absl::Status()>& write, const Seen& during,
                                  const Seen& after) {
    gated_->Close();
    absl::Status written;
    std::thread writer([&] { written = write(); });
    ASSERT_TRUE(gated_->AwaitHeldCommits(1)) << "the write never reached its commit";
    Seen seen;
    EXPECT_TRUE(ReadMemory(seen)) << "a read waited for a write's commit";
    EXPECT_EQ(seen.index_size, during.index_size);
    EXPECT_EQ(seen.write_sequence, during.write_sequence);
    EXPECT_EQ(seen.next_interaction, during.next_interaction);
    EXPECT_EQ(seen.need_a, during.need_a);
    // A second write waits for the first's turn, not at the gate.
    std::thread second([&] {
      EXPECT_THAT(catalog_->Upsert("t", MakeProfile("b", v1::PROFILE_KIND_SMB, {"roof repair"}, {})), IsOk());
    });
    absl::SleepFor(absl::Milliseconds(200));
    EXPECT_EQ(gated_->HeldCommits(), 1);
    gated_->Open();
    writer.join();
    second.join();
    EXPECT_THAT(written, IsOk());
    seen = Seen();
    ASSERT_TRUE(ReadMemory(seen));
    EXPECT_EQ(seen.index_size, after.index_size);
    // The second write came after.
    EXPECT_EQ(seen.write_sequence, after.write_sequence + 1);
    EXPECT_EQ(seen.next_interaction, after.next_interaction);
    EXPECT_EQ(seen.need_a, after.need_a);
  }

  TempDir dir_;
  std::unique_ptr<RocksDbStore> store_;
  std::unique_ptr<testing::GatedStore> gated_;
  std::unique_ptr<Catalog> catalog_;
};

TEST_F(CatalogWriteTurnTest, AnUpsertCommitsWhileSearchesGoOn) {
  Seen before;
  ASSERT_TRUE(ReadMemory(before));
  ASSERT_EQ(before.index_size, 3);
  ASSERT_EQ(before.need_a, "solar panel cleaning");
  Seen after = before;
  after.write_sequence = before.write_sequence + 1;
  after.need_a = "heat pump installation";
  CheckWriteLetsReadsThrough(
      [&] {
        return catalog_->Upsert("t", MakeProfile("a", v1::PROFILE_KIND_SMB, {"heat pump installation"}, {})).status();
      },
      before, after);
}

TEST_F(CatalogWriteTurnTest, ADeleteCommitsWhileSearchesGoOn) {
  Seen before;
  ASSERT_TRUE(ReadMemory(before));
  Seen after = before;
  after.index_size = 2;
  after.write_sequence = before.write_sequence + 1;
  after.need_a = "";
  CheckWriteLetsReadsThrough([&] { return catalog_->Delete("t", "a"); }, before, after);
  EXPECT_THAT(catalog_->Get("t", "a"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(CatalogWriteTurnTest, AnInteractionCommitsWhileSearchesGoOn) {
  Seen before;
  ASSERT_TRUE(ReadMemory(before));
  Seen after = before;
  after.next_interaction = std::max<int64_t>(before.next_interaction, 1) + 1;
  v1::Interaction interaction;
  interaction.set_from_profile_id("a");
  interaction.set_to_profile_id("c");
  interaction.set_type(v1::INTERACTION_TYPE_SHOWN);
  CheckWriteLetsReadsThrough([&] { return catalog_->RecordInteraction("t", interaction).status(); }, before, after);
}

}  // namespace
}  // namespace pollinator
