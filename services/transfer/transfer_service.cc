#include "services/transfer/transfer_service.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "services/auth/authorized_call.h"
#include "services/transfer/profile_export.h"
#include "services/transfer/tenant_export.h"

namespace pollinator {

grpc::ServerWriteReactor<v1::TransferRecord>* TransferServiceImpl::ExportTenant(
    grpc::CallbackServerContext* context, const v1::ExportTenantRequest* request) {
  return RunAuthorizedStream<v1::TransferRecord>(
      context, access_, v1::KEY_ROLE_READER, request->tenant(),
      [&](const std::string& tenant) -> absl::StatusOr<RecordBatches<v1::TransferRecord>> {
        auto cursor = std::make_shared<TenantExport>(catalog_, tenant);
        return RecordBatches<v1::TransferRecord>([cursor] { return cursor->Next(); });
      });
}

grpc::ServerWriteReactor<v1::TransferRecord>* TransferServiceImpl::ExportProfile(
    grpc::CallbackServerContext* context, const v1::ExportProfileRequest* request) {
  return RunAuthorizedStream<v1::TransferRecord>(
      context, access_, v1::KEY_ROLE_READER, request->tenant(),
      [&](const std::string& tenant) -> absl::StatusOr<RecordBatches<v1::TransferRecord>> {
        auto cursor = std::make_shared<ProfileExport>(catalog_, tenant, request->id());
        // The first batch is read here, so that NotFound is the call's
        // status rather than an error after an empty stream.
        absl::StatusOr<std::vector<v1::TransferRecord>> first = cursor->Next();
        if (!first.ok()) return first.status();
        auto pending = std::make_shared<std::vector<v1::TransferRecord>>(*std::move(first));
        return RecordBatches<v1::TransferRecord>([cursor, pending]() -> absl::StatusOr<std::vector<v1::TransferRecord>> {
          if (!pending->empty()) return std::exchange(*pending, {});
          return cursor->Next();
        });
      });
}

grpc::ServerUnaryReactor* TransferServiceImpl::ImportInteractions(grpc::CallbackServerContext* context,
                                                                  const v1::ImportInteractionsRequest* request,
                                                                  v1::ImportInteractionsResponse* response) {
  return RunAuthorized(context, access_, v1::KEY_ROLE_WRITER, request->tenant(),
                       [=](const std::string& tenant) -> absl::Status {
    std::vector<v1::Interaction> interactions(request->interactions().begin(), request->interactions().end());
    absl::StatusOr<int64_t> imported = catalog_.ImportInteractions(tenant, std::move(interactions));
    if (!imported.ok()) return imported.status();
    response->set_imported(*imported);
    return absl::OkStatus();
  });
}

}  // namespace pollinator
