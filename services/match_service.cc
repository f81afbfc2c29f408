#include "services/match_service.h"

#include "services/grpc_status.h"
#include "services/ranking/ranker_training.h"

namespace pollinator {

grpc::ServerUnaryReactor* MatchServiceImpl::FindPartners(grpc::CallbackServerContext* context,
                                                         const v1::FindPartnersRequest* request,
                                                         v1::FindPartnersResponse* response) {
  return RunUnary(context, [&]() -> absl::Status {
    absl::StatusOr<v1::FindPartnersResponse> result = matcher_.FindPartners(*request);
    if (!result.ok()) return result.status();
    *response = std::move(*result);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* MatchServiceImpl::TrainRanker(grpc::CallbackServerContext* context,
                                                        const v1::TrainRankerRequest* request,
                                                        v1::TrainRankerResponse* response) {
  return RunUnary(context, [&]() -> absl::Status {
    absl::StatusOr<v1::TrainRankerResponse> result =
        pollinator::TrainRanker(catalog_, matcher_, *request, [context] { return context->IsCancelled(); });
    if (!result.ok()) return result.status();
    *response = std::move(*result);
    return absl::OkStatus();
  });
}

}  // namespace pollinator
