// The one place where absl::Status becomes grpc::Status (Abseil's codes are
// gRPC's codes, so the mapping keeps the code and the message), and the
// wrapper every unary handler runs its body in.
#ifndef POLLINATOR_SERVICES_GRPC_STATUS_H_
#define POLLINATOR_SERVICES_GRPC_STATUS_H_

#include <exception>

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>
#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace pollinator {

grpc::Status ToGrpcStatus(const absl::Status& status);

// "OK", "NOT_FOUND", ... as clients see gRPC's codes; "UNKNOWN" outside them.
const char* GrpcCodeName(int code);

// Runs `body` (returning absl::Status) and finishes the call with its status.
// An exception, which a callback handler would otherwise turn into an empty
// UNIMPLEMENTED, becomes INTERNAL with its message.
template <typename Body>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context, Body body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status status;
  try {
    status = body();
  } catch (const std::exception& e) {
    status = absl::InternalError(e.what());
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_GRPC_STATUS_H_
