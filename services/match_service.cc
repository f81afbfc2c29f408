#include "services/match_service.h"

#include "services/auth/authorized_call.h"
#include "services/ranking/ranker_training.h"

namespace pollinator {

grpc::ServerUnaryReactor* MatchServiceImpl::FindPartners(grpc::CallbackServerContext* context,
                                                         const v1::FindPartnersRequest* request,
                                                         v1::FindPartnersResponse* response) {
  return RunOnTenant(context, access_, v1::KEY_ROLE_READER, *request, response,
                     [=](const v1::FindPartnersRequest& resolved) { return matcher_.FindPartners(resolved); });
}

grpc::ServerUnaryReactor* MatchServiceImpl::TrainRanker(grpc::CallbackServerContext* context,
                                                        const v1::TrainRankerRequest* request,
                                                        v1::TrainRankerResponse* response) {
  return RunAuthorized(context, access_, v1::KEY_ROLE_ADMIN, request->tenant(),
                       [=](const std::string& tenant) -> absl::Status {
    v1::TrainRankerRequest resolved = *request;
    resolved.set_tenant(tenant);
    absl::StatusOr<v1::TrainRankerResponse> result =
        pollinator::TrainRanker(catalog_, matcher_, resolved, [context] { return context->IsCancelled(); });
    if (!result.ok()) return result.status();
    *response = std::move(*result);
    return absl::OkStatus();
  });
}

}  // namespace pollinator
