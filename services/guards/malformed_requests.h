// Requests gRPC cannot parse. The callback API answers a request whose bytes
// do not parse (a string field that is not UTF-8, unknown groups nested
// past protobuf's depth limit, truncated wire data) with UNIMPLEMENTED and an
// empty message, and protobuf logs an ERROR line for each bad string, so a
// client could flood the log. Here:
//   - InstallProtobufLogFilter keeps protobuf's complaints about request
//     bytes out of the log and notes them for the call being parsed;
//   - MalformedRequestInterceptorFactory turns such a call's status into
//     INVALID_ARGUMENT naming the field;
//   - ParseRequest does the same for handlers that parse their own bytes
//     (a streaming call's items, where a bad one must not end the stream).
#ifndef POLLINATOR_SERVICES_GUARDS_MALFORMED_REQUESTS_H_
#define POLLINATOR_SERVICES_GUARDS_MALFORMED_REQUESTS_H_

#include <string>

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/server_interceptor.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace pollinator {

// Idempotent and thread-safe; other protobuf messages still reach stderr.
void InstallProtobufLogFilter();

// InvalidArgument for a message of type `type_name` that did not parse:
// "<what>: field pollinator.v1.Need.text is not valid UTF-8" when protobuf
// named a field during the parse on this thread, a general message
// otherwise. Clears what was noted.
absl::Status MalformedMessageError(absl::string_view what, absl::string_view type_name);

// Parses `bytes` into `message` (unknown fields dropped); on failure the
// error of MalformedMessageError with `what` naming the item ("item 3").
absl::Status ParseRequest(grpc::ByteBuffer& bytes, google::protobuf::Message& message, absl::string_view what);

class MalformedRequestInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_GUARDS_MALFORMED_REQUESTS_H_
