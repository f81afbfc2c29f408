// ProfileServiceImpl: the gRPC adapter for pollinator.v1.ProfileService on
// the callback API. All logic lives in Catalog; this class authorises calls
// (see AccessControl) and translates messages and statuses. Handlers never
// throw (a throwing callback handler reaches the client as an empty
// UNIMPLEMENTED). BulkUpsert takes its items as bytes and parses each
// itself, so that one that does not parse is reported and the stream goes
// on.
//
// Thread-safe.
#ifndef POLLINATOR_SERVICES_PROFILE_SERVICE_H_
#define POLLINATOR_SERVICES_PROFILE_SERVICE_H_

#include "pollinator/v1/service.grpc.pb.h"
#include "services/auth/access_control.h"
#include "services/catalog.h"

namespace pollinator {

class ProfileServiceImpl final
    : public v1::ProfileService::WithRawCallbackMethod_BulkUpsert<v1::ProfileService::CallbackService> {
 public:
  // `catalog` and `access` must outlive the service.
  ProfileServiceImpl(Catalog& catalog, const AccessControl& access) : catalog_(catalog), access_(access) {}

  grpc::ServerUnaryReactor* UpsertProfile(grpc::CallbackServerContext* context,
                                          const v1::UpsertProfileRequest* request,
                                          v1::UpsertProfileResponse* response) override;
  grpc::ServerUnaryReactor* GetProfile(grpc::CallbackServerContext* context, const v1::GetProfileRequest* request,
                                       v1::Profile* response) override;
  grpc::ServerUnaryReactor* DeleteProfile(grpc::CallbackServerContext* context,
                                          const v1::DeleteProfileRequest* request,
                                          v1::DeleteProfileResponse* response) override;
  grpc::ServerUnaryReactor* ListProfiles(grpc::CallbackServerContext* context,
                                         const v1::ListProfilesRequest* request,
                                         v1::ListProfilesResponse* response) override;
  // Items are UpsertProfileRequest bytes; the response is a
  // BulkUpsertResponse.
  grpc::ServerReadReactor<grpc::ByteBuffer>* BulkUpsert(grpc::CallbackServerContext* context,
                                                        grpc::ByteBuffer* response) override;

 private:
  Catalog& catalog_;
  const AccessControl& access_;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_PROFILE_SERVICE_H_
