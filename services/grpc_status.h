// The one place where absl::Status becomes grpc::Status (Abseil's codes are
// gRPC's codes, so the mapping keeps the code and the message), and the
// wrapper every unary handler runs its body in.
#ifndef POLLINATOR_SERVICES_GRPC_STATUS_H_
#define POLLINATOR_SERVICES_GRPC_STATUS_H_

#include <exception>
#include <utility>

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>
#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "services/calls/call_workers.h"

namespace pollinator {

grpc::Status ToGrpcStatus(const absl::Status& status);

// "OK", "NOT_FOUND", ... as clients see gRPC's codes; "UNKNOWN" outside them.
const char* GrpcCodeName(int code);

// OK, or why a call that waited for a worker is not to be run: its deadline
// passed or its client cancelled it meanwhile.
absl::Status GivenUpWhileQueued(const grpc::CallbackServerContext& context);
// RESOURCE_EXHAUSTED: every worker is busy and the queue is full.
absl::Status WorkersBusy(const CallWorkers& workers);

// Runs `body` (returning absl::Status) on a CallWorkers thread and finishes
// the call with its status; gRPC's thread returns at once. `body` is moved
// there, so it must hold copies of what it uses, or pointers to what lives
// until the call finishes (the request, the response, the context, the
// service); never references to the handler's locals. A call the full queue
// refuses gets RESOURCE_EXHAUSTED, and one whose client gave up while it
// waited is not run. An exception, which a callback handler would
// otherwise turn into an empty UNIMPLEMENTED, becomes INTERNAL with its
// message.
template <typename Body>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context, Body body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  CallWorkers& workers = CallWorkers::Shared();
  const bool queued = workers.Submit([context, reactor, body = std::move(body)]() mutable {
    absl::Status status = GivenUpWhileQueued(*context);
    if (status.ok()) {
      try {
        status = body();
      } catch (const std::exception& e) {
        status = absl::InternalError(e.what());
      }
    }
    reactor->Finish(ToGrpcStatus(status));
  });
  if (!queued) reactor->Finish(ToGrpcStatus(WorkersBusy(workers)));
  return reactor;
}

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_GRPC_STATUS_H_
