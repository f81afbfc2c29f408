// The wrappers every tenant-scoped handler runs in: they authorise the
// call's key for a role (see AccessControl::Authorize) and pass the resolved
// tenant to the body, so no handler can forget the check or act on the
// request's own `tenant` field. RunAuthorized is for unary calls,
// RunAuthorizedStream for calls that stream their results.
//
//   return RunAuthorized(context, access_, v1::KEY_ROLE_WRITER, request->tenant(),
//                        [=](const std::string& tenant) { return catalog_.Delete(tenant, request->id()); });
#ifndef POLLINATOR_SERVICES_AUTH_AUTHORIZED_CALL_H_
#define POLLINATOR_SERVICES_AUTH_AUTHORIZED_CALL_H_

#include <exception>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include "absl/strings/string_view.h"
#include "services/auth/access_control.h"
#include "services/grpc_status.h"
#include "services/guards/response_bounds.h"

namespace pollinator {

// The call's "authorization" metadata value; empty when it has none.
std::string AuthorizationOf(const grpc::ServerContextBase& context);

template <typename Body>
grpc::ServerUnaryReactor* RunAuthorized(grpc::CallbackServerContext* context, const AccessControl& access,
                                        v1::KeyRole needed, absl::string_view requested_tenant, Body body) {
  // `requested_tenant` points into the request, which outlives the call.
  return RunUnary(context, [context, &access, needed, requested_tenant,
                            body = std::move(body)]() mutable -> absl::Status {
    absl::StatusOr<std::string> tenant = access.Authorize(AuthorizationOf(*context), needed, requested_tenant);
    if (!tenant.ok()) return tenant.status();
    if (absl::Status admitted = access.AdmitCall(*tenant); !admitted.ok()) return admitted;
    return body(*tenant);
  });
}

// For a handler whose work is one function of the request: the function
// gets a copy of the request whose `tenant` is the authorised one, and its
// result becomes the response, with item texts cut to excerpts (see
// BoundItemTexts).
//
//   return RunOnTenant(context, access_, v1::KEY_ROLE_READER, *request, response,
//                      [=](const v1::FindSolversRequest& r) { return FindSolvers(catalog_, matcher_, r); });
template <typename Request, typename Response, typename Work>
grpc::ServerUnaryReactor* RunOnTenant(grpc::CallbackServerContext* context, const AccessControl& access,
                                      v1::KeyRole needed, const Request& request, Response* response, Work work) {
  return RunAuthorized(context, access, needed, request.tenant(),
                       [&request, response, work = std::move(work)](const std::string& tenant) mutable -> absl::Status {
    Request resolved = request;
    resolved.set_tenant(tenant);
    absl::StatusOr<Response> result = work(resolved);
    if (!result.ok()) return result.status();
    *response = std::move(*result);
    BoundItemTexts(*response);
    return absl::OkStatus();
  });
}

// The same for operator calls (tenant management).
template <typename Body>
grpc::ServerUnaryReactor* RunAsOperator(grpc::CallbackServerContext* context, const AccessControl& access,
                                        Body body) {
  return RunUnary(context, [context, &access, body = std::move(body)]() mutable -> absl::Status {
    if (absl::Status s = access.AuthorizeOperator(AuthorizationOf(*context)); !s.ok()) return s;
    return body();
  });
}

// Where a streaming call's records come from: each call returns the next
// batch, an empty one at the end, or the error that ends the call.
template <typename Record>
using RecordBatches = std::function<absl::StatusOr<std::vector<Record>>()>;

namespace internal {

// Writes the batches of a RecordBatches one record at a time, each write
// starting when the client has taken the previous one (so a slow reader
// holds back the source instead of filling memory). The source runs on
// gRPC's callback threads, one batch at a time.
template <typename Record>
class AuthorizedWriteReactor final : public grpc::ServerWriteReactor<Record> {
 public:
  // Finishes at once with the error when `source` is one.
  explicit AuthorizedWriteReactor(absl::StatusOr<RecordBatches<Record>> source) {
    if (!source.ok()) {
      this->Finish(ToGrpcStatus(source.status()));
      return;
    }
    source_ = *std::move(source);
    WriteNext();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      this->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the client stopped reading"));
      return;
    }
    WriteNext();
  }

  void OnDone() override { delete this; }

 private:
  void WriteNext() {
    if (next_ == batch_.size()) {
      absl::StatusOr<std::vector<Record>> batch;
      try {
        batch = source_();
      } catch (const std::exception& e) {
        batch = absl::InternalError(e.what());
      }
      if (!batch.ok() || batch->empty()) {
        this->Finish(ToGrpcStatus(batch.status()));
        return;
      }
      batch_ = *std::move(batch);
      next_ = 0;
    }
    this->StartWrite(&batch_[next_++]);
  }

  RecordBatches<Record> source_;
  // Written in place: a record must live until its write is done.
  std::vector<Record> batch_;
  size_t next_ = 0;
};

}  // namespace internal

// RunAuthorized for a server-streaming handler: once the key is authorised,
// `open(tenant)` returns where the records come from (or an error), and the
// call streams them to the end.
//
//   return RunAuthorizedStream<v1::TransferRecord>(context, access_, v1::KEY_ROLE_READER, request->tenant(),
//       [&](const std::string& tenant) -> absl::StatusOr<RecordBatches<v1::TransferRecord>> { ... });
template <typename Record, typename Open>
grpc::ServerWriteReactor<Record>* RunAuthorizedStream(grpc::CallbackServerContext* context,
                                                      const AccessControl& access, v1::KeyRole needed,
                                                      absl::string_view requested_tenant, Open open) {
  absl::StatusOr<RecordBatches<Record>> source;
  try {
    absl::StatusOr<std::string> tenant = access.Authorize(AuthorizationOf(*context), needed, requested_tenant);
    absl::Status admitted = tenant.ok() ? access.AdmitCall(*tenant) : tenant.status();
    source = admitted.ok() ? open(*tenant) : absl::StatusOr<RecordBatches<Record>>(admitted);
  } catch (const std::exception& e) {
    source = absl::InternalError(e.what());
  }
  return new internal::AuthorizedWriteReactor<Record>(std::move(source));
}

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_AUTH_AUTHORIZED_CALL_H_
