#include "data/rocksdb_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/profiles.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace pollinator {
namespace {

using ::pollinator::testing::IsOk;
using ::pollinator::testing::MakeProfile;
using ::pollinator::testing::TempDir;
using ::testing::ElementsAre;

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

TEST(RocksDbStoreTest, OpenFailsClearlyOnUnusablePath) {
  StoreOptions options;
  options.path = "/proc/pollinator-cannot-create-here";
  EXPECT_FALSE(RocksDbStore::Open(options).ok());
  options.path = "";
  EXPECT_THAT(RocksDbStore::Open(options), testing::StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace pollinator
