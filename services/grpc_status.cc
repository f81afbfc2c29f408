#include "services/grpc_status.h"

#include <chrono>
#include <iterator>
#include <string>

#include "absl/strings/str_cat.h"

namespace pollinator {

const char* GrpcCodeName(int code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  return code >= 0 && code < static_cast<int>(std::size(kNames)) ? kNames[code] : "UNKNOWN";
}


grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

absl::Status GivenUpWhileQueued(const grpc::CallbackServerContext& context) {
  if (context.deadline() <= std::chrono::system_clock::now()) {
    return absl::DeadlineExceededError("the deadline passed while the call waited for a worker; nothing was done");
  }
  if (context.IsCancelled()) {
    return absl::CancelledError("the client cancelled the call while it waited for a worker; nothing was done");
  }
  return absl::OkStatus();
}

absl::Status WorkersBusy(const CallWorkers& workers) {
  const CallWorkers::Load load = workers.load();
  return absl::ResourceExhaustedError(absl::StrCat("the server is at capacity: all ", load.threads,
                                                   " workers are busy and ", load.queued,
                                                   " calls wait; retry with backoff"));
}

}  // namespace pollinator
