// The wrapper every tenant-scoped unary handler runs in: it authorises the
// call's key for a role (see AccessControl::Authorize) and passes the
// resolved tenant to the body, so no handler can forget the check or act on
// the request's own `tenant` field.
//
//   return RunAuthorized(context, access_, v1::KEY_ROLE_WRITER, request->tenant(),
//                        [&](const std::string& tenant) { return catalog_.Delete(tenant, request->id()); });
#ifndef POLLINATOR_SERVICES_AUTH_AUTHORIZED_CALL_H_
#define POLLINATOR_SERVICES_AUTH_AUTHORIZED_CALL_H_

#include <string>
#include <utility>

#include <grpcpp/server_context.h>

#include "absl/strings/string_view.h"
#include "services/auth/access_control.h"
#include "services/grpc_status.h"

namespace pollinator {

// The call's "authorization" metadata value; empty when it has none.
std::string AuthorizationOf(const grpc::ServerContextBase& context);

template <typename Body>
grpc::ServerUnaryReactor* RunAuthorized(grpc::CallbackServerContext* context, const AccessControl& access,
                                        v1::KeyRole needed, absl::string_view requested_tenant, Body body) {
  return RunUnary(context, [&]() -> absl::Status {
    absl::StatusOr<std::string> tenant = access.Authorize(AuthorizationOf(*context), needed, requested_tenant);
    if (!tenant.ok()) return tenant.status();
    return body(*tenant);
  });
}

// For a handler whose work is one function of the request: the function
// gets a copy of the request whose `tenant` is the authorised one, and its
// result becomes the response.
//
//   return RunOnTenant(context, access_, v1::KEY_ROLE_READER, *request, response,
//                      [&](const v1::FindSolversRequest& r) { return FindSolvers(catalog_, matcher_, r); });
template <typename Request, typename Response, typename Work>
grpc::ServerUnaryReactor* RunOnTenant(grpc::CallbackServerContext* context, const AccessControl& access,
                                      v1::KeyRole needed, const Request& request, Response* response, Work work) {
  return RunAuthorized(context, access, needed, request.tenant(), [&](const std::string& tenant) -> absl::Status {
    Request resolved = request;
    resolved.set_tenant(tenant);
    absl::StatusOr<Response> result = work(resolved);
    if (!result.ok()) return result.status();
    *response = std::move(*result);
    return absl::OkStatus();
  });
}

// The same for operator calls (tenant management).
template <typename Body>
grpc::ServerUnaryReactor* RunAsOperator(grpc::CallbackServerContext* context, const AccessControl& access,
                                        Body body) {
  return RunUnary(context, [&]() -> absl::Status {
    if (absl::Status s = access.AuthorizeOperator(AuthorizationOf(*context)); !s.ok()) return s;
    return body();
  });
}

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_AUTH_AUTHORIZED_CALL_H_
