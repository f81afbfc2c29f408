#include "services/profile_service.h"

#include <exception>

#include "services/auth/authorized_call.h"

namespace pollinator {
namespace {

// Reads the stream one request at a time; each is upserted on its own, so a
// bad item is reported and the stream goes on.
class BulkUpsertReactor final : public grpc::ServerReadReactor<v1::UpsertProfileRequest> {
 public:
  // `authorization` is the call's key; a key that cannot write anywhere
  // ends the call at once, and an item for another tenant is reported.
  BulkUpsertReactor(Catalog& catalog, const AccessControl& access, std::string authorization,
                    v1::BulkUpsertResponse* response)
      : catalog_(catalog), access_(access), authorization_(std::move(authorization)), response_(response) {
    if (access_.enforcing()) {
      absl::StatusOr<std::string> tenant = access_.Authorize(authorization_, v1::KEY_ROLE_WRITER, "");
      if (!tenant.ok()) {
        Finish(ToGrpcStatus(tenant.status()));
        return;
      }
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);  // The client half-closed: report.
      return;
    }
    const int64_t index = response_->received();
    response_->set_received(index + 1);
    absl::StatusOr<bool> result;
    try {
      absl::StatusOr<std::string> tenant = access_.Authorize(authorization_, v1::KEY_ROLE_WRITER, request_.tenant());
      result = tenant.ok() ? catalog_.Upsert(*tenant, request_.profile()) : absl::StatusOr<bool>(tenant.status());
    } catch (const std::exception& e) {
      result = absl::InternalError(e.what());
    }
    if (result.ok()) {
      response_->set_upserted(response_->upserted() + 1);
    } else {
      v1::BulkUpsertResponse::ItemError* error = response_->add_errors();
      error->set_index(index);
      error->set_profile_id(request_.profile().id());
      error->set_code(static_cast<int>(result.status().code()));
      error->set_message(std::string(result.status().message()));
    }
    request_.Clear();
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  Catalog& catalog_;
  const AccessControl& access_;
  const std::string authorization_;
  v1::BulkUpsertResponse* const response_;
  v1::UpsertProfileRequest request_;
};

}  // namespace

grpc::ServerUnaryReactor* ProfileServiceImpl::UpsertProfile(grpc::CallbackServerContext* context,
                                                            const v1::UpsertProfileRequest* request,
                                                            v1::UpsertProfileResponse* response) {
  return RunAuthorized(context, access_, v1::KEY_ROLE_WRITER, request->tenant(),
                       [&](const std::string& tenant) -> absl::Status {
    absl::StatusOr<bool> created = catalog_.Upsert(tenant, request->profile());
    if (!created.ok()) return created.status();
    response->set_created(*created);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ProfileServiceImpl::GetProfile(grpc::CallbackServerContext* context,
                                                         const v1::GetProfileRequest* request,
                                                         v1::Profile* response) {
  return RunAuthorized(context, access_, v1::KEY_ROLE_READER, request->tenant(),
                       [&](const std::string& tenant) -> absl::Status {
    absl::StatusOr<v1::Profile> profile = catalog_.Get(tenant, request->id());
    if (!profile.ok()) return profile.status();
    *response = std::move(*profile);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ProfileServiceImpl::DeleteProfile(grpc::CallbackServerContext* context,
                                                            const v1::DeleteProfileRequest* request,
                                                            v1::DeleteProfileResponse* /*response*/) {
  return RunAuthorized(context, access_, v1::KEY_ROLE_WRITER, request->tenant(),
                       [&](const std::string& tenant) { return catalog_.Delete(tenant, request->id()); });
}

grpc::ServerUnaryReactor* ProfileServiceImpl::ListProfiles(grpc::CallbackServerContext* context,
                                                           const v1::ListProfilesRequest* request,
                                                           v1::ListProfilesResponse* response) {
  return RunAuthorized(context, access_, v1::KEY_ROLE_READER, request->tenant(),
                       [&](const std::string& tenant) -> absl::Status {
    absl::StatusOr<ProfilePage> page = catalog_.List(tenant, request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    for (v1::Profile& profile : page->profiles) *response->add_profiles() = std::move(profile);
    response->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

grpc::ServerReadReactor<v1::UpsertProfileRequest>* ProfileServiceImpl::BulkUpsert(
    grpc::CallbackServerContext* context, v1::BulkUpsertResponse* response) {
  return new BulkUpsertReactor(catalog_, access_, AuthorizationOf(*context), response);
}

}  // namespace pollinator
