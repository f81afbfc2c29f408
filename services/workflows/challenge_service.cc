#include "services/workflows/challenge_service.h"

#include "services/auth/authorized_call.h"
#include "services/workflows/challenges.h"

namespace pollinator {

grpc::ServerUnaryReactor* ChallengeServiceImpl::FindSolvers(grpc::CallbackServerContext* context,
                                                            const v1::FindSolversRequest* request,
                                                            v1::FindSolversResponse* response) {
  return RunOnTenant(context, access_, v1::KEY_ROLE_READER, *request, response,
                     [=](const v1::FindSolversRequest& resolved) {
                       return pollinator::FindSolvers(catalog_, matcher_, resolved);
                     });
}

grpc::ServerUnaryReactor* ChallengeServiceImpl::FindChallenges(grpc::CallbackServerContext* context,
                                                               const v1::FindChallengesRequest* request,
                                                               v1::FindChallengesResponse* response) {
  return RunOnTenant(context, access_, v1::KEY_ROLE_READER, *request, response,
                     [=](const v1::FindChallengesRequest& resolved) {
                       return pollinator::FindChallenges(catalog_, matcher_, resolved);
                     });
}

}  // namespace pollinator
