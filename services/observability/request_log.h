// Request ids and the request log. Every gRPC call (HTTP requests
// included, as the calls they become) gets an id: the client's
// `x-request-id` metadata when it is 1 to 64 of [A-Za-z0-9._-], otherwise a
// new random one. The server sends it back as `x-request-id` initial
// metadata (the HTTP gateway as the `X-Request-Id` header), and with
// LogOptions::requests logs one line per call with it: method, gRPC code,
// milliseconds, and with LogOptions::debug the error message.
#ifndef POLLINATOR_SERVICES_OBSERVABILITY_REQUEST_LOG_H_
#define POLLINATOR_SERVICES_OBSERVABILITY_REQUEST_LOG_H_

#include <string>

#include <grpcpp/support/server_interceptor.h>

#include "absl/strings/string_view.h"

namespace pollinator {

inline constexpr char kRequestIdHeader[] = "x-request-id";

// True for an id worth keeping: 1 to 64 of [A-Za-z0-9._-].
bool IsValidRequestId(absl::string_view id);
// 16 random hex digits.
std::string NewRequestId();

class RequestLogInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_OBSERVABILITY_REQUEST_LOG_H_
