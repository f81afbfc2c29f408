#include "services/workflows/cohort_service.h"

#include <string>
#include <utility>

#include "services/auth/authorized_call.h"
#include "services/workflows/cohort_screening.h"

namespace pollinator {

grpc::ServerUnaryReactor* CohortServiceImpl::ScreenCohort(grpc::CallbackServerContext* context,
                                                          const v1::ScreenCohortRequest* request,
                                                          v1::ScreenCohortResponse* response) {
  return RunAuthorized(context, access_, v1::KEY_ROLE_READER, request->tenant(),
                       [&](const std::string& tenant) -> absl::Status {
    v1::ScreenCohortRequest resolved = *request;
    resolved.set_tenant(tenant);
    absl::StatusOr<v1::ScreenCohortResponse> screened =
        pollinator::ScreenCohort(catalog_, matcher_, resolved, [context] { return context->IsCancelled(); });
    if (!screened.ok()) return screened.status();
    *response = std::move(*screened);
    return absl::OkStatus();
  });
}

}  // namespace pollinator
