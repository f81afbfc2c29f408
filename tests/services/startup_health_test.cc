// The real server, started in-process on a loopback port, held in its
// loading phase (ServerOptions::prepare runs there, on the loaded catalog):
// health answers NOT_SERVING on the port, for the server and each service,
// and calls answer UNAVAILABLE; once loading ends the same port serves and
// health turns SERVING. The HTTP port likewise: /v1/health 503 NOT_SERVING,
// calls and /metrics 503, then 200 on the same port.
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "pollinator/v1/service.grpc.pb.h"
#include "services/server.h"
#include "tests/testing/processes.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace pollinator {
namespace {

using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::pollinator::testing::IsOk;
using ::pollinator::testing::TempDir;
using ::testing::HasSubstr;

grpc::Status Check(grpc::health::v1::Health::Stub& health, const std::string& service,
                   HealthCheckResponse* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  context.set_wait_for_ready(true);
  HealthCheckRequest request;
  request.set_service(service);
  return health.Check(&context, request, response);
}

// The real server, started on its own thread and held in its loading phase
// (ServerOptions::prepare) until Finish().
class ServerHeldInLoading {
 public:
  explicit ServerHeldInLoading(ServerOptions options) : options_(std::move(options)) {
    options_.access.enforce = false;
    options_.prepare = [this](Catalog&) {
      loading_.Notify();
      may_finish_.WaitForNotification();
      return absl::OkStatus();
    };
    starter_ = std::thread([this] { server_ = PollinatorServer::Start(options_); });
    loading_.WaitForNotification();
  }
  ~ServerHeldInLoading() {
    if (starter_.joinable()) Finish();
  }

  // Lets loading end and returns what Start() returned.
  absl::StatusOr<std::unique_ptr<PollinatorServer>>& Finish() {
    may_finish_.Notify();
    starter_.join();
    return server_;
  }

 private:
  ServerOptions options_;
  absl::Notification loading_, may_finish_;
  absl::StatusOr<std::unique_ptr<PollinatorServer>> server_;
  std::thread starter_;
};

TEST(StartupHealthTest, NotServingWhileLoadingThenServingOnTheSamePort) {
  TempDir dir;
  const std::string address = absl::StrCat("127.0.0.1:", FreePort());
  ServerOptions options;
  options.listen = address;
  options.data_dir = dir.path();
  ServerHeldInLoading starting(options);

  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto health = grpc::health::v1::Health::NewStub(channel);
  for (const std::string service : {"", "pollinator.v1.ProfileService", "pollinator.v1.MatchService"}) {
    HealthCheckResponse response;
    ASSERT_TRUE(Check(*health, service, &response).ok()) << service;
    EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING) << service;
  }
  auto profiles = v1::ProfileService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  v1::GetProfileRequest request;
  request.set_tenant("t");
  request.set_id("p");
  v1::Profile profile;
  const grpc::Status refused = profiles->GetProfile(&context, request, &profile);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(refused.error_message(), HasSubstr("loading its indexes"));

  absl::StatusOr<std::unique_ptr<PollinatorServer>>& server = starting.Finish();
  ASSERT_THAT(server, IsOk());
  EXPECT_EQ(absl::StrCat("127.0.0.1:", (*server)->port()), address);
  // A new channel: the old one's connection ended with the starting server.
  auto serving = grpc::health::v1::Health::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  HealthCheckResponse response;
  ASSERT_TRUE(Check(*serving, "", &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  EXPECT_THAT((*server)->Shutdown(absl::Seconds(5)), IsOk());
}

TEST(StartupHealthTest, HttpAnswers503WhileLoadingThenServesOnTheSamePort) {
  TempDir dir;
  const int http_port = FreePort();
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.http.listen = absl::StrCat("127.0.0.1:", http_port);
  options.data_dir = dir.path();
  ServerHeldInLoading starting(options);

  httplib::Client http("127.0.0.1", http_port);
  httplib::Result health = http.Get("/v1/health");
  ASSERT_TRUE(health) << "the HTTP port is closed while loading";
  EXPECT_EQ(health->status, 503) << health->body;
  EXPECT_THAT(health->body, HasSubstr("NOT_SERVING"));
  httplib::Result call = http.Get("/v1/profiles/p?tenant=t");
  ASSERT_TRUE(call);
  EXPECT_EQ(call->status, 503) << call->body;
  EXPECT_THAT(call->body, HasSubstr("UNAVAILABLE"));
  httplib::Result metrics = http.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 503) << metrics->body;
  EXPECT_THAT(metrics->body, HasSubstr("starting"));

  absl::StatusOr<std::unique_ptr<PollinatorServer>>& server = starting.Finish();
  ASSERT_THAT(server, IsOk());
  EXPECT_EQ((*server)->http_port(), http_port);
  health = http.Get("/v1/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200) << health->body;
  EXPECT_THAT(health->body, HasSubstr("\"SERVING\""));
  call = http.Get("/v1/profiles/p?tenant=t");
  ASSERT_TRUE(call);
  EXPECT_EQ(call->status, 404) << call->body;
  metrics = http.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_THAT(metrics->body, HasSubstr("pollinator_"));
  EXPECT_THAT((*server)->Shutdown(absl::Seconds(5)), IsOk());
}

}  // namespace
}  // namespace pollinator
