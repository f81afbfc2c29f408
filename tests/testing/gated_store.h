// GatedStore: a real Store whose profile and interaction commits can be held
// at a gate, so that a test can look at the Catalog while a write is in the
// middle of its commit. Every call goes to the wrapped store; while the gate
// is closed, CommitUpsert(s), CommitDelete and CommitInteractions wait at it.
//
//   GatedStore gated(real_store.get());
//   gated.Close();
//   std::thread writer([&] { catalog->Upsert("t", profile); });
//   gated.AwaitHeldCommits(1);   // the write is now inside its commit
//   ...                          // look at the catalog
//   gated.Open();                // the commit goes through
#ifndef POLLINATOR_TESTS_TESTING_GATED_STORE_H_
#define POLLINATOR_TESTS_TESTING_GATED_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "data/store.h"

namespace pollinator::testing {

class GatedStore final : public Store {
 public:
  explicit GatedStore(Store* store) : store_(store) {}

  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }
  void Open() {
    absl::MutexLock lock(&mu_);
    closed_ = false;
  }
  // Waits up to `timeout` until `count` commits wait at the gate; returns
  // whether they do.
  bool AwaitHeldCommits(int count, absl::Duration timeout = absl::Seconds(10)) {
    absl::MutexLock lock(&mu_);
    const auto enough = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return held_ >= count; };
    return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
  }
  int HeldCommits() {
    absl::MutexLock lock(&mu_);
    return held_;
  }

  absl::StatusOr<std::optional<v1::TenantRecord>> GetTenant(absl::string_view tenant) const override {
    return store_->GetTenant(tenant);
  }
  absl::StatusOr<std::vector<std::string>> ListTenants() const override { return store_->ListTenants(); }
  absl::StatusOr<std::optional<StoredProfile>> GetProfile(absl::string_view tenant,
                                                          absl::string_view id) const override {
    return store_->GetProfile(tenant, id);
  }
  absl::StatusOr<std::vector<v1::Profile>> ListProfiles(absl::string_view tenant, absl::string_view start_after,
                                                        int limit, size_t max_bytes) const override {
    return store_->ListProfiles(tenant, start_after, limit, max_bytes);
  }
  absl::Status ScanProfiles(absl::string_view tenant,
                            const std::function<absl::Status(StoredProfile)>& visit) const override {
    return store_->ScanProfiles(tenant, visit);
  }
  absl::Status CommitUpsert(absl::string_view tenant, const v1::TenantRecord& record,
                            const StoredProfile& profile) override {
    PassGate();
    return store_->CommitUpsert(tenant, record, profile);
  }
  absl::Status CommitUpserts(absl::string_view tenant, const v1::TenantRecord& record,
                             absl::Span<const StoredProfile> profiles) override {
    PassGate();
    return store_->CommitUpserts(tenant, record, profiles);
  }
  absl::Status CommitDelete(absl::string_view tenant, const v1::TenantRecord& record,
                            absl::string_view id) override {
    PassGate();
    return store_->CommitDelete(tenant, record, id);
  }
  absl::Status CommitInteractions(absl::string_view tenant, const v1::TenantRecord& record,
                                  const std::vector<v1::Interaction>& interactions) override {
    PassGate();
    return store_->CommitInteractions(tenant, record, interactions);
  }
  absl::Status ScanInteractions(absl::string_view tenant,
                                const std::function<absl::Status(v1::Interaction)>& visit) const override {
    return store_->ScanInteractions(tenant, visit);
  }
  absl::StatusOr<std::vector<v1::Interaction>> ListInteractions(absl::string_view tenant,
                                                                absl::string_view profile_id,
                                                                int64_t start_after_sequence,
                                                                int limit) const override {
    return store_->ListInteractions(tenant, profile_id, start_after_sequence, limit);
  }
  absl::Status CommitRankerModel(absl::string_view tenant, const v1::TenantRecord& record,
                                 const v1::RankerModelRecord& model) override {
    return store_->CommitRankerModel(tenant, record, model);
  }
  absl::StatusOr<std::optional<v1::RankerModelRecord>> GetRankerModel(absl::string_view tenant,
                                                                      int64_t version) const override {
    return store_->GetRankerModel(tenant, version);
  }
  absl::Status PutRegisteredTenant(const v1::RegisteredTenant& tenant) override {
    return store_->PutRegisteredTenant(tenant);
  }
  absl::Status CommitRegisteredTenantWithKey(const v1::RegisteredTenant& tenant,
                                             const v1::StoredApiKey& key) override {
    return store_->CommitRegisteredTenantWithKey(tenant, key);
  }
  absl::StatusOr<std::vector<v1::RegisteredTenant>> ListRegisteredTenants() const override {
    return store_->ListRegisteredTenants();
  }
  absl::Status PutApiKey(const v1::StoredApiKey& key) override { return store_->PutApiKey(key); }
  absl::StatusOr<std::vector<v1::StoredApiKey>> ListApiKeys() const override { return store_->ListApiKeys(); }
  absl::Status DeleteTenant(absl::string_view tenant) override { return store_->DeleteTenant(tenant); }
  absl::Status Flush() override { return store_->Flush(); }
  absl::Status CreateCheckpoint(const std::string& dir) const override { return store_->CreateCheckpoint(dir); }
  absl::Status VerifyChecksums() const override { return store_->VerifyChecksums(); }
  StoreMemory MemoryUsage() const override { return store_->MemoryUsage(); }

 private:
  void PassGate() {
    absl::MutexLock lock(&mu_);
    ++held_;
    const auto open = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !closed_; };
    mu_.Await(absl::Condition(&open));
    --held_;
  }

  Store* const store_;
  absl::Mutex mu_;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  int held_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace pollinator::testing

#endif  // POLLINATOR_TESTS_TESTING_GATED_STORE_H_
