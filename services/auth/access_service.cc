#include "services/auth/access_service.h"

#include <map>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/auth/authorized_call.h"
#include "services/validation.h"

namespace pollinator {

grpc::ServerUnaryReactor* KeyServiceImpl::CreateKey(grpc::CallbackServerContext* context,
                                                    const v1::CreateKeyRequest* request,
                                                    v1::CreateKeyResponse* response) {
  return RunAuthorized(context, access_, v1::KEY_ROLE_ADMIN, request->tenant(),
                       [=](const std::string& tenant) -> absl::Status {
    absl::StatusOr<v1::CreateKeyResponse> created = access_.CreateKey(tenant, request->role(), request->label());
    if (!created.ok()) return created.status();
    *response = std::move(*created);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* KeyServiceImpl::ListKeys(grpc::CallbackServerContext* context,
                                                   const v1::ListKeysRequest* request,
                                                   v1::ListKeysResponse* response) {
  return RunAuthorized(context, access_, v1::KEY_ROLE_ADMIN, request->tenant(),
                       [=](const std::string& tenant) -> absl::Status {
    for (v1::ApiKey& key : access_.ListKeys(tenant)) *response->add_keys() = std::move(key);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* KeyServiceImpl::RevokeKey(grpc::CallbackServerContext* context,
                                                    const v1::RevokeKeyRequest* request,
                                                    v1::RevokeKeyResponse* response) {
  return RunAuthorized(context, access_, v1::KEY_ROLE_ADMIN, request->tenant(),
                       [=](const std::string& tenant) -> absl::Status {
    absl::StatusOr<v1::ApiKey> revoked = access_.RevokeKey(tenant, request->key_id());
    if (!revoked.ok()) return revoked.status();
    *response->mutable_key() = std::move(*revoked);
    return absl::OkStatus();
  });
}

v1::Tenant TenantServiceImpl::Describe(const std::string& name, const v1::RegisteredTenant* registration) const {
  v1::Tenant tenant;
  tenant.set_name(name);
  if (registration != nullptr) {
    tenant.set_registered(true);
    tenant.set_created_at_unix_ms(registration->created_at_unix_ms());
    tenant.set_suspended(registration->suspended());
  }
  catalog_.ReadTenant(name, [&](const TenantState* state) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    if (state == nullptr) return absl::OkStatus();
    tenant.set_profiles(static_cast<int64_t>(state->profiles.size()));
    tenant.set_interactions(std::max<int64_t>(0, state->record.next_interaction_sequence() - 1));
    return absl::OkStatus();
  }).IgnoreError();
  tenant.set_active_keys(access_.ActiveKeys(name));
  return tenant;
}

grpc::ServerUnaryReactor* TenantServiceImpl::CreateTenant(grpc::CallbackServerContext* context,
                                                          const v1::CreateTenantRequest* request,
                                                          v1::CreateTenantResponse* response) {
  return RunAsOperator(context, access_, [=]() -> absl::Status {
    absl::StatusOr<TenantRegistration> created = access_.RegisterTenant(request->name(), request->key_label());
    if (!created.ok()) return created.status();
    // Described like a listed tenant: data from before access control shows.
    *response->mutable_tenant() = Describe(request->name(), &created->tenant);
    *response->mutable_admin_key() = std::move(created->admin_key);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* TenantServiceImpl::ListTenants(grpc::CallbackServerContext* context,
                                                         const v1::ListTenantsRequest* /*request*/,
                                                         v1::ListTenantsResponse* response) {
  return RunAsOperator(context, access_, [=]() -> absl::Status {
    std::map<std::string, const v1::RegisteredTenant*> by_name;
    const std::vector<v1::RegisteredTenant> registered = access_.RegisteredTenants();
    for (const v1::RegisteredTenant& tenant : registered) by_name[tenant.name()] = &tenant;
    for (const std::string& name : catalog_.TenantNames()) by_name.emplace(name, nullptr);
    for (const auto& [name, registration] : by_name) *response->add_tenants() = Describe(name, registration);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* TenantServiceImpl::SetTenantSuspended(grpc::CallbackServerContext* context,
                                                                const v1::SetTenantSuspendedRequest* request,
                                                                v1::Tenant* response) {
  return RunAsOperator(context, access_, [=]() -> absl::Status {
    if (absl::Status s = ValidateId("name", request->name()); !s.ok()) return s;
    absl::StatusOr<v1::RegisteredTenant> updated = access_.SetSuspended(request->name(), request->suspended());
    if (!updated.ok()) return updated.status();
    *response = Describe(request->name(), &*updated);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* TenantServiceImpl::DeleteTenant(grpc::CallbackServerContext* context,
                                                          const v1::DeleteTenantRequest* request,
                                                          v1::DeleteTenantResponse* response) {
  return RunAsOperator(context, access_, [=]() -> absl::Status {
    const std::string& name = request->name();
    if (absl::Status s = ValidateId("name", name); !s.ok()) return s;
    const std::vector<std::string> with_data = catalog_.TenantNames();
    if (!access_.IsRegistered(name) && std::find(with_data.begin(), with_data.end(), name) == with_data.end()) {
      return absl::NotFoundError(absl::StrCat("name: no tenant \"", name, "\""));
    }
    // Writes check MayWrite under the tenant's lock, so none authorised
    // before this point lands after the deletion either.
    absl::StatusOr<int64_t> keys = access_.BeginDeletion(name);
    if (!keys.ok()) return keys.status();
    absl::StatusOr<TenantDeletion> deleted = catalog_.DeleteTenant(name);
    access_.EndDeletion(name, deleted.ok());
    if (!deleted.ok()) return deleted.status();
    response->set_profiles(deleted->profiles);
    response->set_interactions(deleted->interactions);
    response->set_keys(*keys);
    return absl::OkStatus();
  });
}

}  // namespace pollinator
