#include "services/workflows/cohort_service.h"

#include "services/auth/authorized_call.h"
#include "services/workflows/cohort_screening.h"

namespace pollinator {

grpc::ServerUnaryReactor* CohortServiceImpl::ScreenCohort(grpc::CallbackServerContext* context,
                                                          const v1::ScreenCohortRequest* request,
                                                          v1::ScreenCohortResponse* response) {
  return RunOnTenant(context, access_, v1::KEY_ROLE_READER, *request, response,
                     [=](const v1::ScreenCohortRequest& resolved) {
                       return pollinator::ScreenCohort(catalog_, matcher_, resolved,
                                                       [context] { return context->IsCancelled(); });
                     });
}

}  // namespace pollinator
