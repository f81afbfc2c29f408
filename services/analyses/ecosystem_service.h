// EcosystemServiceImpl: the gRPC adapter for pollinator.v1.EcosystemService;
// the work is ecosystem_analysis.h's. Needs a reader key. Thread-safe.
#ifndef POLLINATOR_SERVICES_ANALYSES_ECOSYSTEM_SERVICE_H_
#define POLLINATOR_SERVICES_ANALYSES_ECOSYSTEM_SERVICE_H_

#include "pollinator/v1/ecosystem.grpc.pb.h"
#include "services/auth/access_control.h"
#include "services/catalog.h"
#include "services/matcher.h"

namespace pollinator {

class EcosystemServiceImpl final : public v1::EcosystemService::CallbackService {
 public:
  // `catalog`, `matcher` and `access` must outlive the service.
  EcosystemServiceImpl(const Catalog& catalog, const Matcher& matcher, const AccessControl& access)
      : catalog_(catalog), matcher_(matcher), access_(access) {}

  grpc::ServerUnaryReactor* AnalyzeEcosystem(grpc::CallbackServerContext* context,
                                             const v1::AnalyzeEcosystemRequest* request,
                                             v1::AnalyzeEcosystemResponse* response) override;

 private:
  const Catalog& catalog_;
  const Matcher& matcher_;
  const AccessControl& access_;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_ANALYSES_ECOSYSTEM_SERVICE_H_
