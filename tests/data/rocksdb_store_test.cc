#include "data/rocksdb_store.h"

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>
#include <rocksdb/options.h>

#include "tests/testing/profiles.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace pollinator {
namespace {

using ::pollinator::testing::IsOk;
using ::pollinator::testing::MakeProfile;
using ::pollinator::testing::TempDir;
using ::pollinator::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::unique_ptr<RocksDbStore> OpenStore(const TempDir& dir) {
  StoreOptions options;
  options.path = dir.Sub("db");
  auto store = RocksDbStore::Open(options);
  EXPECT_THAT(store, IsOk());
  return store.ok() ? std::move(*store) : nullptr;
}

StoredProfile MakeStored(const std::string& id, std::vector<int64_t> vector_ids) {
  StoredProfile stored;
  stored.profile = MakeProfile(id, v1::PROFILE_KIND_SMB, {"need"}, {});
  for (int64_t vector_id : vector_ids) {
    v1::VectorRecord* vector = stored.vectors.add_vectors();
    vector->set_vector_id(vector_id);
    vector->set_side(v1::ITEM_SIDE_NEED);
    vector->add_values(0.5f);
  }
  return stored;
}

v1::TenantRecord Record(int64_t sequence) {
  v1::TenantRecord record;
  record.set_dimension(1);
  record.set_write_sequence(sequence);
  return record;
}

v1::Interaction MakeInteraction(const std::string& from, const std::string& to, int64_t sequence,
                                v1::InteractionType type = v1::INTERACTION_TYPE_CONTACTED) {
  v1::Interaction interaction;
  interaction.set_from_profile_id(from);
  interaction.set_to_profile_id(to);
  interaction.set_type(type);
  interaction.set_sequence(sequence);
  interaction.set_recorded_at_unix_ms(1700000000000 + sequence);
  return interaction;
}

// Sequences of `interactions`, in the order given.
std::vector<int64_t> Sequences(const std::vector<v1::Interaction>& interactions) {
  std::vector<int64_t> sequences;
  for (const v1::Interaction& interaction : interactions) sequences.push_back(interaction.sequence());
  return sequences;
}

// Sequences of every interaction ScanInteractions reports for `tenant`.
std::vector<int64_t> ScannedSequences(const Store& store, const std::string& tenant) {
  std::vector<int64_t> sequences;
  EXPECT_THAT(store.ScanInteractions(tenant,
                                     [&](v1::Interaction interaction) {
                                       sequences.push_back(interaction.sequence());
                                       return absl::OkStatus();
                                     }),
              IsOk());
  return sequences;
}

// Sequences of the first `limit` interactions of `profile` after `start_after`.
std::vector<int64_t> Listed(const Store& store, const std::string& tenant, const std::string& profile,
                            int64_t start_after = 0, int limit = 100) {
  absl::StatusOr<std::vector<v1::Interaction>> listed = store.ListInteractions(tenant, profile, start_after, limit);
  EXPECT_THAT(listed, IsOk());
  return listed.ok() ? Sequences(*listed) : std::vector<int64_t>();
}

std::vector<std::string> Ids(const std::vector<v1::Profile>& profiles) {
  std::vector<std::string> ids;
  for (const v1::Profile& p : profiles) ids.push_back(p.id());
  return ids;
}

TEST(RocksDbStoreTest, UpsertThenGetRoundTripsProfileAndVectors) {
  TempDir dir;
  auto store = OpenStore(dir);
  ASSERT_THAT(store->CommitUpsert("t", Record(1), MakeStored("a", {1, 2})), IsOk());
  auto got = store->GetProfile("t", "a");
  ASSERT_THAT(got, IsOk());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->profile.id(), "a");
  ASSERT_EQ((*got)->vectors.vectors_size(), 2);
  EXPECT_EQ((*got)->vectors.vectors(1).vector_id(), 2);
  auto tenant = store->GetTenant("t");
  ASSERT_THAT(tenant, IsOk());
  ASSERT_TRUE(tenant->has_value());
  EXPECT_EQ((*tenant)->write_sequence(), 1);
}

TEST(RocksDbStoreTest, UpsertReplacesVectorsAtomically) {
  TempDir dir;
  auto store = OpenStore(dir);
  ASSERT_THAT(store->CommitUpsert("t", Record(1), MakeStored("a", {1, 2})), IsOk());
  ASSERT_THAT(store->CommitUpsert("t", Record(2), MakeStored("a", {3})), IsOk());
  auto got = store->GetProfile("t", "a");
  ASSERT_THAT(got, IsOk());
  ASSERT_EQ((*got)->vectors.vectors_size(), 1);
  EXPECT_EQ((*got)->vectors.vectors(0).vector_id(), 3);
}

TEST(RocksDbStoreTest, DeleteRemovesProfileAndVectors) {
  TempDir dir;
  auto store = OpenStore(dir);
  ASSERT_THAT(store->CommitUpsert("t", Record(1), MakeStored("a", {1})), IsOk());
  ASSERT_THAT(store->CommitDelete("t", Record(2), "a"), IsOk());
  auto got = store->GetProfile("t", "a");
  ASSERT_THAT(got, IsOk());
  EXPECT_FALSE(got->has_value());
  int visited = 0;
  ASSERT_THAT(store->ScanProfiles("t", [&](StoredProfile) { ++visited; return absl::OkStatus(); }), IsOk());
  EXPECT_EQ(visited, 0);
}

TEST(RocksDbStoreTest, WritesSurviveReopen) {
  TempDir dir;
  {
    auto store = OpenStore(dir);
    ASSERT_THAT(store->CommitUpsert("t", Record(1), MakeStored("a", {1})), IsOk());
  }
  auto store = OpenStore(dir);
  auto got = store->GetProfile("t", "a");
  ASSERT_THAT(got, IsOk());
  EXPECT_TRUE(got->has_value());
}

TEST(RocksDbStoreTest, TenantsArePrefixIsolated) {
  TempDir dir;
  auto store = OpenStore(dir);
  // "t" is a prefix of "t2"; the NUL separator keeps their keys apart.
  ASSERT_THAT(store->CommitUpsert("t", Record(1), MakeStored("a", {1})), IsOk());
  ASSERT_THAT(store->CommitUpsert("t2", Record(1), MakeStored("b", {1})), IsOk());
  auto t = store->ListProfiles("t", "", 10);
  ASSERT_THAT(t, IsOk());
  EXPECT_THAT(Ids(*t), ElementsAre("a"));
  auto t2 = store->ListProfiles("t2", "", 10);
  ASSERT_THAT(t2, IsOk());
  EXPECT_THAT(Ids(*t2), ElementsAre("b"));
  auto missing = store->GetProfile("t", "b");
  ASSERT_THAT(missing, IsOk());
  EXPECT_FALSE(missing->has_value());
  auto tenants = store->ListTenants();
  ASSERT_THAT(tenants, IsOk());
  EXPECT_THAT(*tenants, ElementsAre("t", "t2"));
}

TEST(RocksDbStoreTest, ListPagesInIdOrder) {
  TempDir dir;
  auto store = OpenStore(dir);
  for (const char* id : {"c", "a", "e", "b", "d"}) {
    ASSERT_THAT(store->CommitUpsert("t", Record(1), MakeStored(id, {1})), IsOk());
  }
  auto first = store->ListProfiles("t", "", 2);
  ASSERT_THAT(first, IsOk());
  EXPECT_THAT(Ids(*first), ElementsAre("a", "b"));
  auto second = store->ListProfiles("t", "b", 2);
  ASSERT_THAT(second, IsOk());
  EXPECT_THAT(Ids(*second), ElementsAre("c", "d"));
  auto last = store->ListProfiles("t", "d", 2);
  ASSERT_THAT(last, IsOk());
  EXPECT_THAT(Ids(*last), ElementsAre("e"));
}

TEST(RocksDbStoreTest, ScanPairsEachProfileWithItsVectors) {
  TempDir dir;
  auto store = OpenStore(dir);
  ASSERT_THAT(store->CommitUpsert("t", Record(1), MakeStored("a", {1})), IsOk());
  ASSERT_THAT(store->CommitUpsert("t", Record(2), MakeStored("b", {2, 3})), IsOk());
  ASSERT_THAT(store->CommitUpsert("t", Record(3), MakeStored("c", {})), IsOk());
  std::vector<std::pair<std::string, int>> seen;
  ASSERT_THAT(store->ScanProfiles("t",
                                  [&](StoredProfile stored) {
                                    seen.emplace_back(stored.profile.id(), stored.vectors.vectors_size());
                                    return absl::OkStatus();
                                  }),
              IsOk());
  EXPECT_THAT(seen, ElementsAre(std::make_pair("a", 1), std::make_pair("b", 2), std::make_pair("c", 0)));
}

TEST(RocksDbStoreTest, InteractionsRoundTripWithTenantRecord) {
  TempDir dir;
  auto store = OpenStore(dir);
  v1::Interaction declined = MakeInteraction("a", "b", 1, v1::INTERACTION_TYPE_DECLINED);
  declined.set_decline_reason(v1::DECLINE_REASON_TOO_FAR);
  declined.set_note("too far away for weekly meetings");
  v1::TenantRecord record = Record(7);
  record.set_next_interaction_sequence(3);
  ASSERT_THAT(store->CommitInteractions("t", record, {declined, MakeInteraction("b", "a", 2)}), IsOk());

  auto tenant = store->GetTenant("t");
  ASSERT_THAT(tenant, IsOk());
  ASSERT_TRUE(tenant->has_value());
  EXPECT_EQ((*tenant)->next_interaction_sequence(), 3);
  EXPECT_EQ((*tenant)->write_sequence(), 7);
  auto listed = store->ListInteractions("t", "a", 0, 10);
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].SerializeAsString(), declined.SerializeAsString()) << (*listed)[0].DebugString();
  EXPECT_EQ((*listed)[1].from_profile_id(), "b");
  EXPECT_THAT(ScannedSequences(*store, "t"), UnorderedElementsAre(1, 2));
}

TEST(RocksDbStoreTest, ListInteractionsShowsBothSidesInSequenceOrder) {
  TempDir dir;
  auto store = OpenStore(dir);
  ASSERT_THAT(store->CommitInteractions("t", Record(1), {MakeInteraction("a", "b", 1), MakeInteraction("c", "a", 2)}),
              IsOk());
  // Sequence 300 needs two bytes: big-endian keys keep it after 2 and 3.
  ASSERT_THAT(store->CommitInteractions("t", Record(1), {MakeInteraction("b", "c", 3), MakeInteraction("a", "c", 300)}),
              IsOk());
  EXPECT_THAT(Listed(*store, "t", "a"), ElementsAre(1, 2, 300));
  EXPECT_THAT(Listed(*store, "t", "b"), ElementsAre(1, 3));
  EXPECT_THAT(Listed(*store, "t", "c"), ElementsAre(2, 3, 300));
  EXPECT_THAT(Listed(*store, "t", "nobody"), IsEmpty());
  // Pages: after a sequence, up to a limit.
  EXPECT_THAT(Listed(*store, "t", "a", 0, 2), ElementsAre(1, 2));
  EXPECT_THAT(Listed(*store, "t", "a", 2, 2), ElementsAre(300));
  EXPECT_THAT(Listed(*store, "t", "c", 2, 1), ElementsAre(3));
  EXPECT_THAT(Listed(*store, "t", "a", 300, 2), IsEmpty());
}

TEST(RocksDbStoreTest, ScanReportsEachInteractionOnce) {
  TempDir dir;
  auto store = OpenStore(dir);
  ASSERT_THAT(store->CommitInteractions("t", Record(1),
                                        {MakeInteraction("a", "b", 1), MakeInteraction("b", "a", 2),
                                         MakeInteraction("c", "a", 3), MakeInteraction("a", "b", 4)}),
              IsOk());
  EXPECT_THAT(ScannedSequences(*store, "t"), UnorderedElementsAre(1, 2, 3, 4));
}

TEST(RocksDbStoreTest, InteractionsArePrefixIsolated) {
  TempDir dir;
  auto store = OpenStore(dir);
  // Tenant "a" prefixes tenant "ab", and profile "x" prefixes profile "xy";
  // the NUL separators keep all of their keys apart.
  ASSERT_THAT(store->CommitInteractions("a", Record(1), {MakeInteraction("x", "y", 1)}), IsOk());
  ASSERT_THAT(store->CommitInteractions("ab", Record(1), {MakeInteraction("x", "y", 2)}), IsOk());
  ASSERT_THAT(store->CommitInteractions("a", Record(1), {MakeInteraction("xy", "z", 3)}), IsOk());
  EXPECT_THAT(ScannedSequences(*store, "a"), UnorderedElementsAre(1, 3));
  EXPECT_THAT(ScannedSequences(*store, "ab"), ElementsAre(2));
  EXPECT_THAT(ScannedSequences(*store, "b"), IsEmpty());
  EXPECT_THAT(Listed(*store, "a", "x"), ElementsAre(1));
  EXPECT_THAT(Listed(*store, "ab", "x"), ElementsAre(2));
  EXPECT_THAT(Listed(*store, "a", "xy"), ElementsAre(3));
  EXPECT_THAT(Listed(*store, "ab", "xy"), IsEmpty());
  // Interactions touch neither the profile nor the vector column families.
  auto profiles = store->ListProfiles("a", "", 10);
  ASSERT_THAT(profiles, IsOk());
  EXPECT_THAT(*profiles, IsEmpty());
}

TEST(RocksDbStoreTest, InteractionsSurviveReopen) {
  TempDir dir;
  {
    auto store = OpenStore(dir);
    ASSERT_THAT(store->CommitInteractions("t", Record(1), {MakeInteraction("a", "b", 1)}), IsOk());
  }
  auto store = OpenStore(dir);
  EXPECT_THAT(Listed(*store, "t", "b"), ElementsAre(1));
  EXPECT_THAT(ScannedSequences(*store, "t"), ElementsAre(1));
}

// Databases written before interactions existed have no "interactions" (nor
// "models") column family; opening one adds them and keeps the profiles.
TEST(RocksDbStoreTest, OpensDatabaseWithoutInteractionsFamily) {
  TempDir dir;
  {
    rocksdb::DBOptions options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const char* name : {"default", "tenants", "profiles", "vectors"}) {
      descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    rocksdb::DB* raw_db = nullptr;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir.Sub("db"), descriptors, &handles, &raw_db).ok());
    std::unique_ptr<rocksdb::DB> db(raw_db);
    EXPECT_TRUE(db->Put(rocksdb::WriteOptions(), handles[1], "t", Record(1).SerializeAsString()).ok());
    for (rocksdb::ColumnFamilyHandle* handle : handles) EXPECT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
    EXPECT_TRUE(db->Close().ok());
  }
  auto store = OpenStore(dir);
  ASSERT_NE(store, nullptr);
  auto tenants = store->ListTenants();
  ASSERT_THAT(tenants, IsOk());
  EXPECT_THAT(*tenants, ElementsAre("t"));
  ASSERT_THAT(store->CommitInteractions("t", Record(1), {MakeInteraction("a", "b", 1)}), IsOk());
  EXPECT_THAT(Listed(*store, "t", "a"), ElementsAre(1));
}

v1::RankerModelRecord Model(int64_t version, const std::string& bytes) {
  v1::RankerModelRecord model;
  model.set_version(version);
  model.set_model(bytes);
  return model;
}

TEST(RocksDbStoreTest, RankerModelsAreVersionedPerTenantAndSurviveReopen) {
  TempDir dir;
  {
    auto store = OpenStore(dir);
    v1::TenantRecord record = Record(1);
    record.set_active_ranker_version(2);
    ASSERT_THAT(store->CommitRankerModel("t", record, Model(1, "first")), IsOk());
    ASSERT_THAT(store->CommitRankerModel("t", record, Model(2, "second")), IsOk());
    ASSERT_THAT(store->CommitRankerModel("u", Record(1), Model(1, "other tenant")), IsOk());
  }
  auto store = OpenStore(dir);
  auto first = store->GetRankerModel("t", 1);
  auto second = store->GetRankerModel("t", 2);
  auto other = store->GetRankerModel("u", 1);
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  ASSERT_THAT(other, IsOk());
  ASSERT_TRUE(first->has_value() && second->has_value() && other->has_value());
  EXPECT_EQ((*first)->model(), "first");
  EXPECT_EQ((*second)->model(), "second");
  EXPECT_EQ((*other)->model(), "other tenant");
  auto missing = store->GetRankerModel("t", 3);
  ASSERT_THAT(missing, IsOk());
  EXPECT_FALSE(missing->has_value());
  // The tenant record was written with the model.
  auto tenant = store->GetTenant("t");
  ASSERT_THAT(tenant, IsOk());
  ASSERT_TRUE(tenant->has_value());
  EXPECT_EQ((*tenant)->active_ranker_version(), 2);
}

// A disk that fills up on demand: while `full` is set, every append to a
// file RocksDB writes fails with "No space left on device", as a real full
// disk would; reads are untouched.
class FillableFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  FillableFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "FillableFileSystem"; }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* file,
                                    rocksdb::IODebugContext* debug) override {
    if (full) return rocksdb::IOStatus::NoSpace("No space left on device");
    rocksdb::IOStatus s = target()->NewWritableFile(name, options, file, debug);
    if (s.ok()) *file = std::make_unique<FillableFile>(std::move(*file), full);
    return s;
  }

  std::atomic<bool> full{false};

 private:
  class FillableFile final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    FillableFile(std::unique_ptr<rocksdb::FSWritableFile> file, const std::atomic<bool>& full)
        : FSWritableFileOwnerWrapper(std::move(file)), full_(full) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* debug) override {
      if (full_) return rocksdb::IOStatus::NoSpace("No space left on device");
      return FSWritableFileOwnerWrapper::Append(data, options, debug);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& /*verification*/,
                             rocksdb::IODebugContext* debug) override {
      return Append(data, options, debug);
    }

   private:
    const std::atomic<bool>& full_;
  };
};

TEST(RocksDbStoreTest, AFullDiskFailsWritesClearlyKeepsReadsAndLosesNothing) {
  TempDir dir;
  auto file_system = std::make_shared<FillableFileSystem>();
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(file_system);
  StoreOptions options;
  options.path = dir.Sub("db");
  options.env = env.get();
  absl::StatusOr<std::unique_ptr<RocksDbStore>> opened = RocksDbStore::Open(options);
  ASSERT_THAT(opened, IsOk());
  RocksDbStore& store = **opened;
  ASSERT_THAT(store.CommitUpsert("t", Record(1), MakeStored("kept", {1})), IsOk());

  file_system->full = true;
  for (int attempt = 0; attempt < 2; ++attempt) {
    EXPECT_THAT(store.CommitUpsert("t", Record(2), MakeStored("lost", {2})),
                StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("disk full")));
  }
  // Reads go on.
  absl::StatusOr<std::optional<StoredProfile>> kept = store.GetProfile("t", "kept");
  ASSERT_THAT(kept, IsOk());
  EXPECT_TRUE(kept->has_value());
  absl::StatusOr<std::vector<v1::Profile>> listed = store.ListProfiles("t", "", 10);
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(Ids(*listed), ElementsAre("kept"));

  // Once there is space again, a restart writes again, and nothing
  // acknowledged is lost. (RocksDB may also recover by itself before that,
  // which the store lets it; how soon is RocksDB's matter.)
  file_system->full = false;
  opened->reset();
  std::unique_ptr<RocksDbStore> reopened = OpenStore(dir);
  ASSERT_NE(reopened, nullptr);
  ASSERT_THAT(reopened->CommitUpsert("t", Record(3), MakeStored("later", {3})), IsOk());
  listed = reopened->ListProfiles("t", "", 10);
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(Ids(*listed), ElementsAre("kept", "later"));
}

TEST(RocksDbStoreTest, DeleteErasesTheProfilesInteractionsOnBothSidesOnly) {
  TempDir dir;
  std::unique_ptr<RocksDbStore> store = OpenStore(dir);
  ASSERT_NE(store, nullptr);
  for (const char* id : {"a", "b", "c"}) ASSERT_THAT(store->CommitUpsert("t", Record(1), MakeStored(id, {})), IsOk());
  ASSERT_THAT(store->CommitInteractions("t", Record(2),
                                        {MakeInteraction("a", "b", 1), MakeInteraction("c", "a", 2),
                                         MakeInteraction("b", "c", 3)}),
              IsOk());
  ASSERT_THAT(store->CommitDelete("t", Record(3), "a"), IsOk());
  EXPECT_THAT(Listed(*store, "t", "a"), IsEmpty());
  EXPECT_THAT(Listed(*store, "t", "b"), ElementsAre(3));
  EXPECT_THAT(Listed(*store, "t", "c"), ElementsAre(3));
  EXPECT_THAT(ScannedSequences(*store, "t"), ElementsAre(3));
}

TEST(RocksDbStoreTest, ACheckpointIsACompleteDatabaseThatVerifies) {
  TempDir dir;
  std::unique_ptr<RocksDbStore> store = OpenStore(dir);
  ASSERT_NE(store, nullptr);
  ASSERT_THAT(store->CommitUpsert("t", Record(1), MakeStored("a", {1})), IsOk());
  ASSERT_THAT(store->CreateCheckpoint(dir.Sub("copy")), IsOk());
  EXPECT_FALSE(store->CreateCheckpoint(dir.Sub("copy")).ok()) << "a checkpoint never overwrites";
  // Written after the checkpoint: not in it.
  ASSERT_THAT(store->CommitUpsert("t", Record(2), MakeStored("b", {2})), IsOk());
  StoreOptions options;
  options.path = dir.Sub("copy");
  absl::StatusOr<std::unique_ptr<RocksDbStore>> copy = RocksDbStore::Open(options);
  ASSERT_THAT(copy, IsOk());
  EXPECT_THAT((*copy)->VerifyChecksums(), IsOk());
  absl::StatusOr<std::vector<v1::Profile>> listed = (*copy)->ListProfiles("t", "", 10);
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(Ids(*listed), ElementsAre("a"));
}

TEST(RocksDbStoreTest, OpenFailsClearlyOnUnusablePath) {
  StoreOptions options;
  options.path = "/proc/pollinator-cannot-create-here";
  EXPECT_FALSE(RocksDbStore::Open(options).ok());
  options.path = "";
  EXPECT_THAT(RocksDbStore::Open(options), testing::StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace pollinator
