#include "services/profile_service.h"

#include <algorithm>
#include <exception>
#include <string>
#include <vector>

#include <grpcpp/impl/codegen/proto_utils.h>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "services/auth/authorized_call.h"
#include "services/guards/malformed_requests.h"

namespace pollinator {
namespace {

// Reads the stream and upserts it in groups of up to kGroupCommit
// consecutive items of one tenant, each group with one synced write; every
// item is still judged on its own, so a bad one is reported and the stream
// goes on. Nothing is acknowledged before the stream ends, and by then every
// group is committed.
class BulkUpsertReactor final : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  static constexpr size_t kGroupCommit = 64;

  // `authorization` is the call's key; a key that cannot write anywhere
  // ends the call at once, and an item for another tenant is reported.
  BulkUpsertReactor(Catalog& catalog, const AccessControl& access, std::string authorization,
                    grpc::ByteBuffer* response)
      : catalog_(catalog), access_(access), authorization_(std::move(authorization)), response_bytes_(response) {
    if (access_.enforcing()) {
      absl::StatusOr<std::string> tenant = access_.Authorize(authorization_, v1::KEY_ROLE_WRITER, "");
      if (!tenant.ok()) {
        Finish(ToGrpcStatus(tenant.status()));
        return;
      }
    }
    StartRead(&item_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      CommitPending();
      // In stream order: refused keys are reported at once, the rest per group.
      auto* errors = response_.mutable_errors();
      std::stable_sort(errors->pointer_begin(), errors->pointer_end(),
                       [](const auto* a, const auto* b) { return a->index() < b->index(); });
      bool own_buffer = false;
      Finish(grpc::SerializationTraits<v1::BulkUpsertResponse>::Serialize(response_, response_bytes_,
                                                                          &own_buffer));
      return;  // The client half-closed: report.
    }
    const int64_t index = response_.received();
    response_.set_received(index + 1);
    if (absl::Status parsed = ParseRequest(item_, request_, absl::StrCat("item ", index)); !parsed.ok()) {
      Report(index, "", parsed);
      NextItem();
      return;
    }
    try {
      absl::StatusOr<std::string> tenant = access_.Authorize(authorization_, v1::KEY_ROLE_WRITER, request_.tenant());
      if (tenant.ok()) {
        // The stream is one call of each tenant it writes to.
        auto [admission, first] = admissions_.try_emplace(*tenant);
        if (first) admission->second = access_.AdmitCall(*tenant);
        if (!admission->second.ok()) tenant = admission->second;
      }
      if (!tenant.ok()) {
        Report(index, request_.profile().id(), tenant.status());
      } else {
        if (!pending_.empty() && pending_tenant_ != *tenant) CommitPending();
        pending_tenant_ = *tenant;
        pending_.push_back(std::move(*request_.mutable_profile()));
        pending_index_.push_back(index);
        if (pending_.size() >= kGroupCommit) CommitPending();
      }
    } catch (const std::exception& e) {
      Report(index, request_.profile().id(), absl::InternalError(e.what()));
    }
    NextItem();
  }

  void OnDone() override { delete this; }

 private:
  void NextItem() {
    request_.Clear();
    item_.Clear();
    StartRead(&item_);
  }

  void CommitPending() {
    if (pending_.empty()) return;
    std::vector<absl::StatusOr<bool>> results;
    try {
      results = catalog_.UpsertBatch(pending_tenant_, pending_);
    } catch (const std::exception& e) {
      results.assign(pending_.size(), absl::InternalError(e.what()));
    }
    for (size_t i = 0; i < pending_.size(); ++i) {
      if (results[i].ok()) {
        response_.set_upserted(response_.upserted() + 1);
      } else {
        Report(pending_index_[i], pending_[i].id(), results[i].status());
      }
    }
    pending_.clear();
    pending_index_.clear();
  }

  void Report(int64_t index, const std::string& profile_id, const absl::Status& status) {
    v1::BulkUpsertResponse::ItemError* error = response_.add_errors();
    error->set_index(index);
    error->set_profile_id(profile_id);
    error->set_code(static_cast<int>(status.code()));
    error->set_message(std::string(status.message()));
  }

  Catalog& catalog_;
  const AccessControl& access_;
  const std::string authorization_;
  grpc::ByteBuffer* const response_bytes_;
  // The report, serialised into response_bytes_ at the end.
  v1::BulkUpsertResponse response_;
  grpc::ByteBuffer item_;
  v1::UpsertProfileRequest request_;
  // Tenant -> whether its request rate admitted this stream.
  absl::flat_hash_map<std::string, absl::Status> admissions_;
  // Items read but not yet committed: all of `pending_tenant_`, with their
  // positions in the stream.
  std::string pending_tenant_;
  std::vector<v1::Profile> pending_;
  std::vector<int64_t> pending_index_;
};

}  // namespace

grpc::ServerUnaryReactor* ProfileServiceImpl::UpsertProfile(grpc::CallbackServerContext* context,
                                                            const v1::UpsertProfileRequest* request,
                                                            v1::UpsertProfileResponse* response) {
  return RunAuthorized(context, access_, v1::KEY_ROLE_WRITER, request->tenant(),
                       [=](const std::string& tenant) -> absl::Status {
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
                       [=](const std::string& tenant) -> absl::Status {
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
                       [=](const std::string& tenant) { return catalog_.Delete(tenant, request->id()); });
}

grpc::ServerUnaryReactor* ProfileServiceImpl::ListProfiles(grpc::CallbackServerContext* context,
                                                           const v1::ListProfilesRequest* request,
                                                           v1::ListProfilesResponse* response) {
  return RunAuthorized(context, access_, v1::KEY_ROLE_READER, request->tenant(),
                       [=](const std::string& tenant) -> absl::Status {
    absl::StatusOr<ProfilePage> page = catalog_.List(tenant, request->page_size(), request->page_token());
    if (!page.ok()) return page.status();
    for (v1::Profile& profile : page->profiles) *response->add_profiles() = std::move(profile);
    response->set_next_page_token(page->next_page_token);
    return absl::OkStatus();
  });
}

grpc::ServerReadReactor<grpc::ByteBuffer>* ProfileServiceImpl::BulkUpsert(grpc::CallbackServerContext* context,
                                                                          grpc::ByteBuffer* response) {
  return new BulkUpsertReactor(catalog_, access_, AuthorizationOf(*context), response);
}

}  // namespace pollinator
