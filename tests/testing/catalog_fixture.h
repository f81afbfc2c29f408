// Opens a real RocksDbStore and Catalog in a test's temporary folder.
#ifndef POLLINATOR_TESTS_TESTING_CATALOG_FIXTURE_H_
#define POLLINATOR_TESTS_TESTING_CATALOG_FIXTURE_H_

#include <memory>

#include <gtest/gtest.h>

#include "data/rocksdb_store.h"
#include "services/catalog.h"
#include "tests/testing/temp_dir.h"

namespace pollinator::testing {

struct OpenedCatalog {
  // Declared first so that it is destroyed last.
  std::unique_ptr<RocksDbStore> store;
  std::unique_ptr<Catalog> catalog;
};

// RocksDB in dir/db and index files in dir/index; `dimension` is the built-in
// embedder's. Fails the test (and returns nulls) when opening fails.
inline OpenedCatalog OpenCatalog(const TempDir& dir, int dimension = 256) {
  OpenedCatalog opened;
  StoreOptions store_options;
  store_options.path = dir.Sub("db");
  absl::StatusOr<std::unique_ptr<RocksDbStore>> store = RocksDbStore::Open(store_options);
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return opened;
  opened.store = std::move(*store);
  CatalogOptions options;
  options.index_dir = dir.Sub("index");
  options.embedder.dimension = dimension;
  absl::StatusOr<std::unique_ptr<Catalog>> catalog = Catalog::Open(opened.store.get(), options);
  EXPECT_TRUE(catalog.ok()) << catalog.status();
  if (catalog.ok()) opened.catalog = std::move(*catalog);
  return opened;
}

}  // namespace pollinator::testing

#endif  // POLLINATOR_TESTS_TESTING_CATALOG_FIXTURE_H_
