// MatchServiceImpl: the gRPC adapter for pollinator.v1.MatchService on the
// callback API; the work is done by Matcher and TrainRanker
// (services/ranking/ranker_training.h). Thread-safe.
#ifndef POLLINATOR_SERVICES_MATCH_SERVICE_H_
#define POLLINATOR_SERVICES_MATCH_SERVICE_H_

#include "pollinator/v1/service.grpc.pb.h"
#include "services/auth/access_control.h"
#include "services/matcher.h"

namespace pollinator {

class MatchServiceImpl final : public v1::MatchService::CallbackService {
 public:
  // `catalog`, `matcher` and `access` must outlive the service.
  MatchServiceImpl(Catalog& catalog, const Matcher& matcher, const AccessControl& access)
      : catalog_(catalog), matcher_(matcher), access_(access) {}

  grpc::ServerUnaryReactor* FindPartners(grpc::CallbackServerContext* context,
                                         const v1::FindPartnersRequest* request,
                                         v1::FindPartnersResponse* response) override;
  grpc::ServerUnaryReactor* TrainRanker(grpc::CallbackServerContext* context, const v1::TrainRankerRequest* request,
                                        v1::TrainRankerResponse* response) override;

 private:
  Catalog& catalog_;
  const Matcher& matcher_;
  const AccessControl& access_;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_MATCH_SERVICE_H_
