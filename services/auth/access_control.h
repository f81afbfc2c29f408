// AccessControl: which caller may do what in which tenant.
//
// In enforcing mode (pollinatord's default) every call names an API key. A
// key belongs to one tenant and has one role (reader < writer < admin, see
// access.proto); the operator key (pollinatord --admin_key_file) manages
// tenants and nothing else. Registrations and keys live in the Store (keys
// only as SHA-256) and, for quick checks, in memory.
//
//   AccessOptions options;
//   options.operator_key = "…";                       // enforcing
//   auto access = AccessControl::Open(store, options);
//   absl::StatusOr<std::string> tenant =
//       (*access)->Authorize("Bearer pk_…", v1::KEY_ROLE_WRITER, request.tenant());
//
// With `enforce` false (pollinatord --auth=none, for local development)
// every call acts on the tenant it names, with every role, and the operator
// calls need no key.
//
// Thread-safe.
#ifndef POLLINATOR_SERVICES_AUTH_ACCESS_CONTROL_H_
#define POLLINATOR_SERVICES_AUTH_ACCESS_CONTROL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "data/store.h"
#include "pollinator/v1/access.pb.h"
#include "pollinator/v1/storage.pb.h"
#include "services/guards/request_rate.h"

namespace pollinator {

// A new tenant and its first admin key (see AccessControl::RegisterTenant).
struct TenantRegistration {
  v1::RegisteredTenant tenant;
  v1::CreateKeyResponse admin_key;
};

struct AccessOptions {
  // False: no keys are checked (development only).
  bool enforce = true;
  // The operator's key; required (at least 32 bytes) when enforcing. Kept in
  // memory only as its hash.
  std::string operator_key;
  // Clock for created/revoked times; null means absl::Now().
  std::function<absl::Time()> now;
  // Calls each tenant may make per second (requests_per_second, bursts up
  // to a second's worth); null: no limit.
  std::shared_ptr<const TenantLimitTable> limits;

  absl::Status Validate() const;
};

class AccessControl {
 public:
  // Loads every registration and key; `store` must outlive the result.
  static absl::StatusOr<std::unique_ptr<AccessControl>> Open(Store* store, const AccessOptions& options);

  AccessControl(const AccessControl&) = delete;
  AccessControl& operator=(const AccessControl&) = delete;

  bool enforcing() const { return enforce_; }

  // The tenant a call acts on: `requested`, or the key's tenant when
  // `requested` is empty. `authorization` is the call's "authorization"
  // value ("Bearer <key>"). UNAUTHENTICATED for a missing, unknown or revoked
  // key; PERMISSION_DENIED for another tenant, a suspended tenant or a role
  // below `needed`. Not enforcing: `requested`, validated.
  absl::StatusOr<std::string> Authorize(absl::string_view authorization, v1::KeyRole needed,
                                        absl::string_view requested) const;
  // OK for the operator key (or when not enforcing).
  absl::Status AuthorizeOperator(absl::string_view authorization) const;

  // Keys of a registered tenant; FailedPrecondition when not enforcing (a
  // key made then would start working once its tenant is registered).
  absl::StatusOr<v1::CreateKeyResponse> CreateKey(absl::string_view tenant, v1::KeyRole role,
                                                  absl::string_view label);
  // Oldest first.
  std::vector<v1::ApiKey> ListKeys(absl::string_view tenant) const;
  // NotFound for a key id the tenant does not have; revoking twice is OK and
  // keeps the first revocation time.
  absl::StatusOr<v1::ApiKey> RevokeKey(absl::string_view tenant, absl::string_view key_id);

  // Registers `name` with a first admin key labelled `key_label`.
  // AlreadyExists when registered; FailedPrecondition when not enforcing.
  absl::StatusOr<TenantRegistration> RegisterTenant(absl::string_view name, absl::string_view key_label);
  bool IsRegistered(absl::string_view name) const;
  // By name.
  std::vector<v1::RegisteredTenant> RegisteredTenants() const;
  // Unrevoked keys of the tenant.
  int64_t ActiveKeys(absl::string_view tenant) const;
  // NotFound when not registered.
  absl::StatusOr<v1::RegisteredTenant> SetSuspended(absl::string_view name, bool suspended);
  // Whether data may be written to `name` now: enforcing, only to a
  // registered tenant; never while it is being deleted. For
  // Catalog::SetWriteGuard.
  bool MayWrite(absl::string_view name) const;
  // One call of `tenant` against its request rate: ResourceExhausted when
  // over it.
  absl::Status AdmitCall(absl::string_view tenant) const { return request_rate_.Admit(tenant); }
  // Refuses every key of the tenant until EndDeletion, which forgets its
  // registration and keys when `deleted` (the Store has dropped them) or
  // lets them work again. Returns the number of keys the tenant had;
  // Aborted while another deletion of it runs.
  absl::StatusOr<int64_t> BeginDeletion(absl::string_view name);
  void EndDeletion(absl::string_view name, bool deleted);

 private:
  struct KeyEntry {
    v1::ApiKey key;
    std::string secret_sha256;
  };

  AccessControl(Store* store, const AccessOptions& options);
  int64_t NowMs() const;
  // Makes, stores and enters a new key.
  absl::StatusOr<v1::CreateKeyResponse> NewKey(absl::string_view tenant, v1::KeyRole role, absl::string_view label,
                                               const v1::RegisteredTenant* register_with)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Store* const store_;
  const bool enforce_;
  const std::string operator_key_sha256_;
  const std::function<absl::Time()> now_;
  mutable TenantRequestRate request_rate_;
  mutable absl::Mutex mu_;
  // Key id -> key (ids are unique across tenants).
  absl::flat_hash_map<std::string, KeyEntry> keys_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, v1::RegisteredTenant> tenants_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::string> deleting_ ABSL_GUARDED_BY(mu_);
};

// "reader", "writer", "admin" (or "unspecified").
absl::string_view KeyRoleName(v1::KeyRole role);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_AUTH_ACCESS_CONTROL_H_
