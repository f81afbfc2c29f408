// TransferServiceImpl: the gRPC adapter for pollinator.v1.TransferService.
// ExportTenant and ExportProfile stream TenantExport's and ProfileExport's
// records (reader key);
// ImportInteractions is Catalog::ImportInteractions (writer key). Both run
// inside the authorisation wrappers of services/auth/authorized_call.h.
//
// Thread-safe.
#ifndef POLLINATOR_SERVICES_TRANSFER_TRANSFER_SERVICE_H_
#define POLLINATOR_SERVICES_TRANSFER_TRANSFER_SERVICE_H_

#include "pollinator/v1/transfer.grpc.pb.h"
#include "services/auth/access_control.h"
#include "services/catalog.h"

namespace pollinator {

class TransferServiceImpl final : public v1::TransferService::CallbackService {
 public:
  // `catalog` and `access` must outlive the service.
  TransferServiceImpl(Catalog& catalog, const AccessControl& access) : catalog_(catalog), access_(access) {}

  grpc::ServerWriteReactor<v1::TransferRecord>* ExportTenant(grpc::CallbackServerContext* context,
                                                             const v1::ExportTenantRequest* request) override;
  grpc::ServerUnaryReactor* ImportInteractions(grpc::CallbackServerContext* context,
                                               const v1::ImportInteractionsRequest* request,
                                               v1::ImportInteractionsResponse* response) override;
  grpc::ServerWriteReactor<v1::TransferRecord>* ExportProfile(grpc::CallbackServerContext* context,
                                                              const v1::ExportProfileRequest* request) override;

 private:
  Catalog& catalog_;
  const AccessControl& access_;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_TRANSFER_TRANSFER_SERVICE_H_
