// gRPC adapters for pollinator.v1.KeyService (a tenant's admin keys manage
// its keys) and pollinator.v1.TenantService (the operator key manages
// tenants). The rules live in AccessControl; deleting a tenant's data is
// Catalog's. Thread-safe.
#ifndef POLLINATOR_SERVICES_AUTH_ACCESS_SERVICE_H_
#define POLLINATOR_SERVICES_AUTH_ACCESS_SERVICE_H_

#include "pollinator/v1/access.grpc.pb.h"
#include "services/auth/access_control.h"
#include "services/catalog.h"

namespace pollinator {

class KeyServiceImpl final : public v1::KeyService::CallbackService {
 public:
  // `access` must outlive the service.
  explicit KeyServiceImpl(AccessControl& access) : access_(access) {}

  grpc::ServerUnaryReactor* CreateKey(grpc::CallbackServerContext* context, const v1::CreateKeyRequest* request,
                                      v1::CreateKeyResponse* response) override;
  grpc::ServerUnaryReactor* ListKeys(grpc::CallbackServerContext* context, const v1::ListKeysRequest* request,
                                     v1::ListKeysResponse* response) override;
  grpc::ServerUnaryReactor* RevokeKey(grpc::CallbackServerContext* context, const v1::RevokeKeyRequest* request,
                                      v1::RevokeKeyResponse* response) override;

 private:
  AccessControl& access_;
};

class TenantServiceImpl final : public v1::TenantService::CallbackService {
 public:
  // `catalog` and `access` must outlive the service.
  TenantServiceImpl(Catalog& catalog, AccessControl& access) : catalog_(catalog), access_(access) {}

  grpc::ServerUnaryReactor* CreateTenant(grpc::CallbackServerContext* context,
                                         const v1::CreateTenantRequest* request,
                                         v1::CreateTenantResponse* response) override;
  grpc::ServerUnaryReactor* ListTenants(grpc::CallbackServerContext* context, const v1::ListTenantsRequest* request,
                                        v1::ListTenantsResponse* response) override;
  grpc::ServerUnaryReactor* SetTenantSuspended(grpc::CallbackServerContext* context,
                                               const v1::SetTenantSuspendedRequest* request,
                                               v1::Tenant* response) override;
  grpc::ServerUnaryReactor* DeleteTenant(grpc::CallbackServerContext* context,
                                         const v1::DeleteTenantRequest* request,
                                         v1::DeleteTenantResponse* response) override;

 private:
  // The tenant as listed: registration, counts and keys.
  v1::Tenant Describe(const std::string& name, const v1::RegisteredTenant* registration) const;

  Catalog& catalog_;
  AccessControl& access_;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_AUTH_ACCESS_SERVICE_H_
