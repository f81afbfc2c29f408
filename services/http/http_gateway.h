// HttpGateway: JSON over HTTP/1.1 on its own port (cpp-httplib), for portals
// that do not speak gRPC. Each route of HttpRoutes() becomes one call of the
// gRPC method it names, over an in-process channel to the same server: keys,
// validation and errors are exactly the gRPC API's, and this file holds no
// logic of its own beyond translation.
//
//   HttpGatewayOptions options;
//   options.listen = "127.0.0.1:8080";
//   auto gateway = HttpGateway::Start(options, server->InProcessChannel());
//   ...
//   (*gateway)->Stop();
//
// Also serves the OpenAPI document at /v1/openapi.yaml and the staff console
// at / (services/http/console_assets.h). Request bodies over
// max_body_bytes get 413; every call has a deadline of call_timeout (504
// when it passes). GET /v1/health answers 503 unless SERVING. Thread-safe.
//
// While the server loads, the gateway already listens, on a channel to the
// starting server (services/transport/starting_server.h): health answers
// 503 NOT_SERVING and every call 503 UNAVAILABLE. UseChannel() then points
// it at the real server.
#ifndef POLLINATOR_SERVICES_HTTP_HTTP_GATEWAY_H_
#define POLLINATOR_SERVICES_HTTP_HTTP_GATEWAY_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <grpcpp/channel.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/transport/tls.h"

namespace httplib {
class Server;
}

namespace pollinator {

struct HttpGatewayOptions {
  // HOST:PORT; port 0 picks a free port (see HttpGateway::port()). Required
  // by HttpGateway::Start; PollinatorServer serves no HTTP while it is empty.
  std::string listen;
  // Larger request bodies are refused with 413 before they are parsed.
  size_t max_body_bytes = 8 << 20;
  // Deadline of the gRPC call behind each request.
  absl::Duration call_timeout = absl::Seconds(30);
  // How long a client may take to send a request or read a response.
  absl::Duration io_timeout = absl::Seconds(30);
  // HTTPS, and client certificates, as for gRPC (PollinatorServer passes
  // its own).
  TlsOptions tls;
  // GET /metrics: the Prometheus text, served when `authorize_metrics`
  // accepts the request's Authorization header (else 401, or 503 for
  // UNAVAILABLE while the server starts); no route while unset.
  std::function<std::string()> metrics_text;
  std::function<absl::Status(absl::string_view authorization)> authorize_metrics;

  absl::Status Validate() const;
};

class HttpGateway {
 public:
  // Binds the port (UNAVAILABLE when taken) and starts serving.
  static absl::StatusOr<std::unique_ptr<HttpGateway>> Start(const HttpGatewayOptions& options,
                                                            std::shared_ptr<grpc::Channel> channel);
  ~HttpGateway();

  HttpGateway(const HttpGateway&) = delete;
  HttpGateway& operator=(const HttpGateway&) = delete;

  int port() const { return port_; }
  // Calls from now on go to `channel`; those in flight finish on the old one.
  void UseChannel(std::shared_ptr<grpc::Channel> channel);
  // Stops accepting and waits for the serving thread; idempotent.
  void Stop();

 private:
  class Backend;

  HttpGateway() = default;

  std::shared_ptr<Backend> backend_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_HTTP_HTTP_GATEWAY_H_
