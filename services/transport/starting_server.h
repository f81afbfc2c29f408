// StartingServer: what the gRPC port answers while pollinatord loads its
// tenants (index snapshots, replay, term statistics; minutes at a million
// profiles). Health checks answer NOT_SERVING, for the whole server and
// every service, so that probes and load balancers wait; every other call
// answers UNAVAILABLE ("starting: ... retry"), which clients retry. Once
// loading is done it is stopped and the real server binds the same port.
//
//   auto starting = StartingServer::Start("0.0.0.0:50051", credentials, service_names);
//   ... load ...
//   const int port = (*starting)->port();
//   (*starting)->Stop();    // frees the port for the real server
#ifndef POLLINATOR_SERVICES_TRANSPORT_STARTING_SERVER_H_
#define POLLINATOR_SERVICES_TRANSPORT_STARTING_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"

namespace pollinator {

class StartingServer {
 public:
  // Listens on `listen` (port 0: any free one) with `credentials`.
  static absl::StatusOr<std::unique_ptr<StartingServer>> Start(
      const std::string& listen, const std::shared_ptr<grpc::ServerCredentials>& credentials,
      const std::vector<std::string>& service_names);
  ~StartingServer();

  int port() const { return port_; }
  // A channel that reaches this server without the network (the HTTP
  // gateway's while loading). Must not outlive it; after Stop() its calls
  // fail with UNAVAILABLE.
  std::shared_ptr<grpc::Channel> InProcessChannel();
  // Ends the calls in flight and closes the port. Idempotent.
  void Stop();

 private:
  StartingServer() = default;

  std::unique_ptr<grpc::CallbackGenericService> refuse_all_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool stopped_ = false;
};

// `listen` with its port replaced by `port` ("0.0.0.0:0", 50051 ->
// "0.0.0.0:50051").
std::string WithPort(const std::string& listen, int port);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_TRANSPORT_STARTING_SERVER_H_
