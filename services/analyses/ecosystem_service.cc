#include "services/analyses/ecosystem_service.h"

#include "services/analyses/ecosystem_analysis.h"
#include "services/auth/authorized_call.h"

namespace pollinator {

grpc::ServerUnaryReactor* EcosystemServiceImpl::AnalyzeEcosystem(grpc::CallbackServerContext* context,
                                                                 const v1::AnalyzeEcosystemRequest* request,
                                                                 v1::AnalyzeEcosystemResponse* response) {
  return RunOnTenant(context, access_, v1::KEY_ROLE_READER, *request, response,
                     [=](const v1::AnalyzeEcosystemRequest& resolved) {
                       return pollinator::AnalyzeEcosystem(catalog_, matcher_, resolved,
                                                           [context] { return context->IsCancelled(); });
                     });
}

}  // namespace pollinator
