#include "services/auth/access_control.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/auth/api_key.h"
#include "services/validation.h"

namespace pollinator {
namespace {

constexpr size_t kMinOperatorKeyBytes = 32;
constexpr size_t kMaxLabelBytes = 200;

absl::Status MissingKey() {
  return absl::UnauthenticatedError("no API key: send the header \"authorization: Bearer <key>\"");
}

}  // namespace

absl::string_view KeyRoleName(v1::KeyRole role) {
  switch (role) {
    case v1::KEY_ROLE_READER:
      return "reader";
    case v1::KEY_ROLE_WRITER:
      return "writer";
    case v1::KEY_ROLE_ADMIN:
      return "admin";
    default:
      return "unspecified";
  }
}

absl::Status AccessOptions::Validate() const {
  if (enforce && operator_key.size() < kMinOperatorKeyBytes) {
    return absl::InvalidArgumentError(absl::StrCat("operator key: ", operator_key.empty() ? "missing" : "too short",
                                                   " (at least ", kMinOperatorKeyBytes, " bytes)"));
  }
  return absl::OkStatus();
}

AccessControl::AccessControl(Store* store, const AccessOptions& options)
    : store_(store),
      enforce_(options.enforce),
      operator_key_sha256_(Sha256(options.operator_key)),
      now_(options.now ? options.now : [] { return absl::Now(); }),
      request_rate_(options.limits, now_) {}

absl::StatusOr<std::unique_ptr<AccessControl>> AccessControl::Open(Store* store, const AccessOptions& options) {
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  std::unique_ptr<AccessControl> access(new AccessControl(store, options));
  absl::StatusOr<std::vector<v1::RegisteredTenant>> tenants = store->ListRegisteredTenants();
  if (!tenants.ok()) return tenants.status();
  absl::StatusOr<std::vector<v1::StoredApiKey>> keys = store->ListApiKeys();
  if (!keys.ok()) return keys.status();
  absl::MutexLock lock(&access->mu_);
  for (v1::RegisteredTenant& tenant : *tenants) {
    std::string name = tenant.name();
    access->tenants_.emplace(std::move(name), std::move(tenant));
  }
  for (v1::StoredApiKey& stored : *keys) {
    std::string id = stored.key().key_id();
    access->keys_.emplace(std::move(id), KeyEntry{std::move(*stored.mutable_key()), stored.secret_sha256()});
  }
  return access;
}

int64_t AccessControl::NowMs() const { return absl::ToUnixMillis(now_()); }

absl::StatusOr<std::string> AccessControl::Authorize(absl::string_view authorization, v1::KeyRole needed,
                                                     absl::string_view requested) const {
  if (!enforce_) {
    if (absl::Status s = ValidateTenant(requested); !s.ok()) return s;
    return std::string(requested);
  }
  const absl::string_view key = BearerKey(authorization);
  if (key.empty()) return MissingKey();
  const absl::string_view key_id = ApiKeyId(key);
  absl::ReaderMutexLock lock(&mu_);
  auto it = key_id.empty() ? keys_.end() : keys_.find(key_id);
  if (it == keys_.end() || !ConstantTimeEquals(Sha256(key), it->second.secret_sha256)) {
    if (ConstantTimeEquals(Sha256(key), operator_key_sha256_)) {
      return absl::PermissionDeniedError("the operator key manages tenants only; use one of the tenant's keys");
    }
    return absl::UnauthenticatedError("API key not recognised");
  }
  const v1::ApiKey& entry = it->second.key;
  if (entry.revoked_at_unix_ms() != 0) {
    return absl::UnauthenticatedError(absl::StrCat("API key ", entry.key_id(), " has been revoked"));
  }
  if (!requested.empty() && requested != entry.tenant()) {
    return absl::PermissionDeniedError(
        absl::StrCat("tenant: the key belongs to tenant \"", entry.tenant(), "\", not \"", requested, "\""));
  }
  auto tenant = tenants_.find(entry.tenant());
  if (tenant == tenants_.end() || deleting_.contains(entry.tenant())) {
    return absl::UnauthenticatedError(absl::StrCat("API key ", entry.key_id(), ": its tenant no longer exists"));
  }
  if (tenant->second.suspended()) {
    return absl::PermissionDeniedError(absl::StrCat("tenant \"", entry.tenant(), "\" is suspended"));
  }
  if (entry.role() < needed) {
    const auto with_article = [](v1::KeyRole role) {
      return absl::StrCat(role == v1::KEY_ROLE_ADMIN ? "an " : "a ", KeyRoleName(role));
    };
    return absl::PermissionDeniedError(absl::StrCat("this call needs ", with_article(needed), " key; key ",
                                                    entry.key_id(), " is ", with_article(entry.role()), " key"));
  }
  return entry.tenant();
}

absl::Status AccessControl::AuthorizeOperator(absl::string_view authorization) const {
  if (!enforce_) return absl::OkStatus();
  const absl::string_view key = BearerKey(authorization);
  if (key.empty()) return MissingKey();
  if (ConstantTimeEquals(Sha256(key), operator_key_sha256_)) return absl::OkStatus();
  absl::ReaderMutexLock lock(&mu_);
  auto it = keys_.find(ApiKeyId(key));
  if (it != keys_.end() && ConstantTimeEquals(Sha256(key), it->second.secret_sha256) &&
      it->second.key.revoked_at_unix_ms() == 0) {
    return absl::PermissionDeniedError("tenant management needs the operator key, not a tenant's key");
  }
  return absl::UnauthenticatedError("operator key not recognised");
}

absl::StatusOr<v1::CreateKeyResponse> AccessControl::NewKey(absl::string_view tenant, v1::KeyRole role,
                                                            absl::string_view label,
                                                            const v1::RegisteredTenant* register_with) {
  if (role != v1::KEY_ROLE_READER && role != v1::KEY_ROLE_WRITER && role != v1::KEY_ROLE_ADMIN) {
    return absl::InvalidArgumentError("role: must be reader, writer or admin");
  }
  if (label.size() > kMaxLabelBytes) {
    return absl::InvalidArgumentError(absl::StrCat("label: longer than ", kMaxLabelBytes, " bytes"));
  }
  absl::StatusOr<GeneratedKey> generated = GenerateApiKey();
  // 48-bit ids: a clash is rare, but would make one of the keys unusable.
  for (int attempt = 0; generated.ok() && keys_.contains(generated->key_id) && attempt < 8; ++attempt) {
    generated = GenerateApiKey();
  }
  if (!generated.ok()) return generated.status();
  if (keys_.contains(generated->key_id)) return absl::InternalError("could not draw an unused key id");

  v1::StoredApiKey stored;
  v1::ApiKey& key = *stored.mutable_key();
  key.set_key_id(generated->key_id);
  key.set_tenant(std::string(tenant));
  key.set_role(role);
  key.set_label(std::string(label));
  key.set_created_at_unix_ms(NowMs());
  stored.set_secret_sha256(Sha256(generated->text));
  absl::Status written = register_with != nullptr ? store_->CommitRegisteredTenantWithKey(*register_with, stored)
                                                  : store_->PutApiKey(stored);
  if (!written.ok()) return written;
  keys_[key.key_id()] = KeyEntry{key, stored.secret_sha256()};
  v1::CreateKeyResponse response;
  *response.mutable_key() = key;
  response.set_secret(generated->text);
  return response;
}

absl::StatusOr<v1::CreateKeyResponse> AccessControl::CreateKey(absl::string_view tenant, v1::KeyRole role,
                                                               absl::string_view label) {
  if (absl::Status s = ValidateTenant(tenant); !s.ok()) return s;
  if (!enforce_) {
    return absl::FailedPreconditionError("keys are only made by a server that checks them (--auth=keys)");
  }
  absl::MutexLock lock(&mu_);
  if (!tenants_.contains(tenant)) {
    return absl::NotFoundError(absl::StrCat("tenant \"", tenant, "\" is not registered"));
  }
  return NewKey(tenant, role, label, nullptr);
}

std::vector<v1::ApiKey> AccessControl::ListKeys(absl::string_view tenant) const {
  std::vector<v1::ApiKey> keys;
  absl::ReaderMutexLock lock(&mu_);
  for (const auto& [id, entry] : keys_) {
    if (entry.key.tenant() == tenant) keys.push_back(entry.key);
  }
  std::sort(keys.begin(), keys.end(), [](const v1::ApiKey& a, const v1::ApiKey& b) {
    if (a.created_at_unix_ms() != b.created_at_unix_ms()) return a.created_at_unix_ms() < b.created_at_unix_ms();
    return a.key_id() < b.key_id();
  });
  return keys;
}

absl::StatusOr<v1::ApiKey> AccessControl::RevokeKey(absl::string_view tenant, absl::string_view key_id) {
  if (key_id.empty()) return absl::InvalidArgumentError("key_id: empty");
  absl::MutexLock lock(&mu_);
  auto it = keys_.find(key_id);
  if (it == keys_.end() || it->second.key.tenant() != tenant) {
    return absl::NotFoundError(absl::StrCat("key_id: tenant \"", tenant, "\" has no key ", key_id));
  }
  if (it->second.key.revoked_at_unix_ms() != 0) return it->second.key;
  v1::StoredApiKey stored;
  *stored.mutable_key() = it->second.key;
  stored.mutable_key()->set_revoked_at_unix_ms(NowMs());
  stored.set_secret_sha256(it->second.secret_sha256);
  if (absl::Status s = store_->PutApiKey(stored); !s.ok()) return s;
  it->second.key = stored.key();
  return it->second.key;
}

absl::StatusOr<TenantRegistration> AccessControl::RegisterTenant(absl::string_view name,
                                                                 absl::string_view key_label) {
  if (absl::Status s = ValidateId("name", name); !s.ok()) return s;
  if (!enforce_) {
    // Its admin key would start working once keys are checked.
    return absl::FailedPreconditionError("tenants are only registered by a server that checks keys (--auth=keys)");
  }
  absl::MutexLock lock(&mu_);
  if (tenants_.contains(name) || deleting_.contains(name)) {
    return absl::AlreadyExistsError(absl::StrCat("name: tenant \"", name, "\" is already registered"));
  }
  v1::RegisteredTenant tenant;
  tenant.set_name(std::string(name));
  tenant.set_created_at_unix_ms(NowMs());
  absl::StatusOr<v1::CreateKeyResponse> key =
      NewKey(name, v1::KEY_ROLE_ADMIN, key_label.empty() ? "first admin key" : key_label, &tenant);
  if (!key.ok()) return key.status();
  tenants_[tenant.name()] = tenant;
  return TenantRegistration{std::move(tenant), *std::move(key)};
}

bool AccessControl::IsRegistered(absl::string_view name) const {
  absl::ReaderMutexLock lock(&mu_);
  return tenants_.contains(name);
}

std::vector<v1::RegisteredTenant> AccessControl::RegisteredTenants() const {
  std::vector<v1::RegisteredTenant> tenants;
  absl::ReaderMutexLock lock(&mu_);
  for (const auto& [name, tenant] : tenants_) tenants.push_back(tenant);
  std::sort(tenants.begin(), tenants.end(),
            [](const v1::RegisteredTenant& a, const v1::RegisteredTenant& b) { return a.name() < b.name(); });
  return tenants;
}

int64_t AccessControl::ActiveKeys(absl::string_view tenant) const {
  int64_t active = 0;
  absl::ReaderMutexLock lock(&mu_);
  for (const auto& [id, entry] : keys_) {
    if (entry.key.tenant() == tenant && entry.key.revoked_at_unix_ms() == 0) ++active;
  }
  return active;
}

absl::StatusOr<v1::RegisteredTenant> AccessControl::SetSuspended(absl::string_view name, bool suspended) {
  absl::MutexLock lock(&mu_);
  auto it = tenants_.find(name);
  if (it == tenants_.end()) return absl::NotFoundError(absl::StrCat("name: tenant \"", name, "\" is not registered"));
  v1::RegisteredTenant updated = it->second;
  updated.set_suspended(suspended);
  if (absl::Status s = store_->PutRegisteredTenant(updated); !s.ok()) return s;
  it->second = updated;
  return updated;
}

bool AccessControl::MayWrite(absl::string_view name) const {
  absl::ReaderMutexLock lock(&mu_);
  if (deleting_.contains(name)) return false;
  return !enforce_ || tenants_.contains(name);
}

absl::StatusOr<int64_t> AccessControl::BeginDeletion(absl::string_view name) {
  absl::MutexLock lock(&mu_);
  if (!deleting_.insert(std::string(name)).second) {
    return absl::AbortedError(absl::StrCat("name: tenant \"", name, "\" is already being deleted"));
  }
  int64_t keys = 0;
  for (const auto& [id, entry] : keys_) keys += entry.key.tenant() == name ? 1 : 0;
  return keys;
}

void AccessControl::EndDeletion(absl::string_view name, bool deleted) {
  absl::MutexLock lock(&mu_);
  deleting_.erase(name);
  if (!deleted) return;
  tenants_.erase(name);
  absl::erase_if(keys_, [&](const auto& item) { return item.second.key.tenant() == name; });
}

}  // namespace pollinator
