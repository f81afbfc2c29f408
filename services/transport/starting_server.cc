#include "services/transport/starting_server.h"

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/strings/str_cat.h"

namespace pollinator {
namespace {

constexpr char kStarting[] = "starting: the server is loading its indexes; retry shortly";

class Refusal final : public grpc::ServerGenericBidiReactor {
 public:
  Refusal() { Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, kStarting)); }
  void OnDone() override { delete this; }
};

// Every method the starting server has no service for, which is all but
// health checking.
class RefuseAll final : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* /*context*/) override {
    return new Refusal();
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<StartingServer>> StartingServer::Start(
    const std::string& listen, const std::shared_ptr<grpc::ServerCredentials>& credentials,
    const std::vector<std::string>& service_names) {
  std::unique_ptr<StartingServer> starting(new StartingServer());
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  // As the real server: no second process may share the port.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(listen, credentials, &starting->port_);
  starting->refuse_all_ = std::make_unique<RefuseAll>();
  builder.RegisterCallbackGenericService(starting->refuse_all_.get());
  starting->server_ = builder.BuildAndStart();
  if (starting->server_ == nullptr || starting->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("listen: cannot bind ", listen, " (in use by another process, or not a local address)"));
  }
  grpc::HealthCheckServiceInterface* health = starting->server_->GetHealthCheckService();
  for (const std::string& name : service_names) health->SetServingStatus(name, false);
  health->SetServingStatus(false);
  return starting;
}

StartingServer::~StartingServer() { Stop(); }

void StartingServer::Stop() {
  if (server_ == nullptr || stopped_) return;
  stopped_ = true;
  // Its calls end at once (they are refused as they come), so no grace.
  // The server object stays until destruction: channels to it must not
  // outlive it.
  server_->Shutdown(std::chrono::system_clock::now());
  server_->Wait();
}

std::shared_ptr<grpc::Channel> StartingServer::InProcessChannel() {
  return server_->InProcessChannel(grpc::ChannelArguments());
}

std::string WithPort(const std::string& listen, int port) {
  const size_t colon = listen.rfind(':');
  return absl::StrCat(colon == std::string::npos ? listen : listen.substr(0, colon), ":", port);
}

}  // namespace pollinator
