#include "services/profile_service.h"

#include <exception>

#include "services/grpc_status.h"

namespace pollinator {
namespace {

// Reads the stream one request at a time; each is upserted on its own, so a
// bad item is reported and the stream goes on.
class BulkUpsertReactor final : public grpc::ServerReadReactor<v1::UpsertProfileRequest> {
 public:
  BulkUpsertReactor(Catalog& catalog, v1::BulkUpsertResponse* response)
      : catalog_(catalog), response_(response) {
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
      result = catalog_.Upsert(request_.tenant(), request_.profile());
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
  v1::BulkUpsertResponse* const response_;
  v1::UpsertProfileRequest request_;
};

}  // namespace

grpc::ServerUnaryReactor* ProfileServiceImpl::UpsertProfile(grpc::CallbackServerContext* context,
                                                            const v1::UpsertProfileRequest* request,
                                                            v1::UpsertProfileResponse* response) {
  return RunUnary(context, [&]() -> absl::Status {
    absl::StatusOr<bool> created = catalog_.Upsert(request->tenant(), request->profile());
    if (!created.ok()) return created.status();
    response->set_created(*created);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ProfileServiceImpl::GetProfile(grpc::CallbackServerContext* context,
                                                         const v1::GetProfileRequest* request,
                                                         v1::Profile* response) {
  return RunUnary(context, [&]() -> absl::Status {
    absl::StatusOr<v1::Profile> profile = catalog_.Get(request->tenant(), request->id());
    if (!profile.ok()) return profile.status();
    *response = std::move(*profile);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ProfileServiceImpl::DeleteProfile(grpc::CallbackServerContext* context,
                                                            const v1::DeleteProfileRequest* request,
                                                            v1::DeleteProfileResponse* /*response*/) {
  return RunUnary(context, [&] { return catalog_.Delete(request->tenant(), request->id()); });
}

grpc::ServerUnaryReactor* ProfileServiceImpl::ListProfiles(grpc::CallbackServerContext* context,
                                                           const v1::ListProfilesRequest* request,
                                                           v1::ListProfilesResponse* response) {
  return RunUnary(context, [&]() -> absl::Status {
    absl::StatusOr<ProfilePage> page = catalog_.List(request->tenant(), request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    for (v1::Profile& profile : page->profiles) *response->add_profiles() = std::move(profile);
    response->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

grpc::ServerReadReactor<v1::UpsertProfileRequest>* ProfileServiceImpl::BulkUpsert(
    grpc::CallbackServerContext* /*context*/, v1::BulkUpsertResponse* response) {
  return new BulkUpsertReactor(catalog_, response);
}

}  // namespace pollinator
