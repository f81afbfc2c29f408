// CohortServiceImpl: the gRPC adapter for pollinator.v1.CohortService; the
// work is ScreenCohort's (cohort_screening.h). Needs a reader key.
// Thread-safe.
#ifndef POLLINATOR_SERVICES_WORKFLOWS_COHORT_SERVICE_H_
#define POLLINATOR_SERVICES_WORKFLOWS_COHORT_SERVICE_H_

#include "pollinator/v1/cohort.grpc.pb.h"
#include "services/auth/access_control.h"
#include "services/catalog.h"
#include "services/matcher.h"

namespace pollinator {

class CohortServiceImpl final : public v1::CohortService::CallbackService {
 public:
  // `catalog`, `matcher` and `access` must outlive the service.
  CohortServiceImpl(const Catalog& catalog, const Matcher& matcher, const AccessControl& access)
      : catalog_(catalog), matcher_(matcher), access_(access) {}

  grpc::ServerUnaryReactor* ScreenCohort(grpc::CallbackServerContext* context,
                                         const v1::ScreenCohortRequest* request,
                                         v1::ScreenCohortResponse* response) override;

 private:
  const Catalog& catalog_;
  const Matcher& matcher_;
  const AccessControl& access_;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_WORKFLOWS_COHORT_SERVICE_H_
