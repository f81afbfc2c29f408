// ChallengeServiceImpl: the gRPC adapter for pollinator.v1.ChallengeService;
// the work is challenges.h's. Needs a reader key. Thread-safe.
#ifndef POLLINATOR_SERVICES_WORKFLOWS_CHALLENGE_SERVICE_H_
#define POLLINATOR_SERVICES_WORKFLOWS_CHALLENGE_SERVICE_H_

#include "pollinator/v1/challenge.grpc.pb.h"
#include "services/auth/access_control.h"
#include "services/catalog.h"
#include "services/matcher.h"

namespace pollinator {

class ChallengeServiceImpl final : public v1::ChallengeService::CallbackService {
 public:
  // `catalog`, `matcher` and `access` must outlive the service.
  ChallengeServiceImpl(const Catalog& catalog, const Matcher& matcher, const AccessControl& access)
      : catalog_(catalog), matcher_(matcher), access_(access) {}

  grpc::ServerUnaryReactor* FindSolvers(grpc::CallbackServerContext* context, const v1::FindSolversRequest* request,
                                        v1::FindSolversResponse* response) override;
  grpc::ServerUnaryReactor* FindChallenges(grpc::CallbackServerContext* context,
                                           const v1::FindChallengesRequest* request,
                                           v1::FindChallengesResponse* response) override;

 private:
  const Catalog& catalog_;
  const Matcher& matcher_;
  const AccessControl& access_;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_WORKFLOWS_CHALLENGE_SERVICE_H_
