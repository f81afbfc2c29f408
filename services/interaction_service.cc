#include "services/interaction_service.h"

#include <utility>
#include <vector>

#include "services/auth/authorized_call.h"

namespace pollinator {

grpc::ServerUnaryReactor* InteractionServiceImpl::RecordInteraction(grpc::CallbackServerContext* context,
                                                                    const v1::RecordInteractionRequest* request,
                                                                    v1::RecordInteractionResponse* response) {
  return RunAuthorized(context, access_, v1::KEY_ROLE_WRITER, request->tenant(),
                       [=](const std::string& tenant) -> absl::Status {
    absl::StatusOr<v1::Interaction> recorded = catalog_.RecordInteraction(tenant, request->interaction());
    if (!recorded.ok()) return recorded.status();
    *response->mutable_interaction() = std::move(*recorded);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* InteractionServiceImpl::RecordInteractions(grpc::CallbackServerContext* context,
                                                                     const v1::RecordInteractionsRequest* request,
                                                                     v1::RecordInteractionsResponse* response) {
  return RunAuthorized(context, access_, v1::KEY_ROLE_WRITER, request->tenant(),
                       [=](const std::string& tenant) -> absl::Status {
    std::vector<v1::Interaction> interactions(request->interactions().begin(), request->interactions().end());
    absl::StatusOr<std::vector<v1::Interaction>> recorded = catalog_.RecordInteractions(tenant, std::move(interactions));
    if (!recorded.ok()) return recorded.status();
    response->set_recorded(static_cast<int64_t>(recorded->size()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* InteractionServiceImpl::ListInteractions(grpc::CallbackServerContext* context,
                                                                   const v1::ListInteractionsRequest* request,
                                                                   v1::ListInteractionsResponse* response) {
  return RunAuthorized(context, access_, v1::KEY_ROLE_READER, request->tenant(),
                       [=](const std::string& tenant) -> absl::Status {
    absl::StatusOr<InteractionPage> page =
        catalog_.ListInteractions(tenant, request->profile_id(), request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    for (v1::Interaction& interaction : page->interactions) *response->add_interactions() = std::move(interaction);
    response->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

}  // namespace pollinator
