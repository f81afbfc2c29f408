// InteractionServiceImpl: the gRPC adapter for pollinator.v1.InteractionService
// on the callback API. All logic (validation, storage, the in-memory
// interaction graph) lives in Catalog; this class translates messages and
// statuses. Handlers run in RunUnary, so none lets an exception escape.
//
// Thread-safe.
#ifndef POLLINATOR_SERVICES_INTERACTION_SERVICE_H_
#define POLLINATOR_SERVICES_INTERACTION_SERVICE_H_

#include "pollinator/v1/service.grpc.pb.h"
#include "services/auth/access_control.h"
#include "services/catalog.h"

namespace pollinator {

class InteractionServiceImpl final : public v1::InteractionService::CallbackService {
 public:
  // `catalog` and `access` must outlive the service.
  InteractionServiceImpl(Catalog& catalog, const AccessControl& access) : catalog_(catalog), access_(access) {}

  grpc::ServerUnaryReactor* RecordInteraction(grpc::CallbackServerContext* context,
                                              const v1::RecordInteractionRequest* request,
                                              v1::RecordInteractionResponse* response) override;
  grpc::ServerUnaryReactor* RecordInteractions(grpc::CallbackServerContext* context,
                                               const v1::RecordInteractionsRequest* request,
                                               v1::RecordInteractionsResponse* response) override;
  grpc::ServerUnaryReactor* ListInteractions(grpc::CallbackServerContext* context,
                                             const v1::ListInteractionsRequest* request,
                                             v1::ListInteractionsResponse* response) override;

 private:
  Catalog& catalog_;
  const AccessControl& access_;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_INTERACTION_SERVICE_H_
