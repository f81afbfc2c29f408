#include "services/interaction_service.h"

#include <utility>
#include <vector>

#include "services/grpc_status.h"

namespace pollinator {

grpc::ServerUnaryReactor* InteractionServiceImpl::RecordInteraction(grpc::CallbackServerContext* context,
                                                                    const v1::RecordInteractionRequest* request,
                                                                    v1::RecordInteractionResponse* response) {
  return RunUnary(context, [&]() -> absl::Status {
    absl::StatusOr<v1::Interaction> recorded = catalog_.RecordInteraction(request->tenant(), request->interaction());
    if (!recorded.ok()) return recorded.status();
    *response->mutable_interaction() = std::move(*recorded);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* InteractionServiceImpl::RecordInteractions(grpc::CallbackServerContext* context,
                                                                     const v1::RecordInteractionsRequest* request,
                                                                     v1::RecordInteractionsResponse* response) {
  return RunUnary(context, [&]() -> absl::Status {
    std::vector<v1::Interaction> interactions(request->interactions().begin(), request->interactions().end());
    absl::StatusOr<std::vector<v1::Interaction>> recorded =
        catalog_.RecordInteractions(request->tenant(), std::move(interactions));
    if (!recorded.ok()) return recorded.status();
    response->set_recorded(static_cast<int64_t>(recorded->size()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* InteractionServiceImpl::ListInteractions(grpc::CallbackServerContext* context,
                                                                   const v1::ListInteractionsRequest* request,
                                                                   v1::ListInteractionsResponse* response) {
  return RunUnary(context, [&]() -> absl::Status {
    absl::StatusOr<InteractionPage> page = catalog_.ListInteractions(request->tenant(), request->profile_id(),
                                                                     request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    for (v1::Interaction& interaction : page->interactions) *response->add_interactions() = std::move(interaction);
    response->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

}  // namespace pollinator
