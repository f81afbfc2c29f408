// Tests of tools/cli/grpc_pollinator_client.h against an in-process gRPC
// server with a small scripted ProfileService and MatchService, and gRPC's
// default health service.
#include "tools/cli/grpc_pollinator_client.h"

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace pollinator {
namespace {

using ::grpc::health::v1::HealthCheckResponse;
using ::testing::ElementsAre;

// Knows one profile, "known"; rejects bulk items without an id.
class ScriptedProfileService final : public v1::ProfileService::Service {
 public:
  ::grpc::Status GetProfile(::grpc::ServerContext* /*context*/,
                            const v1::GetProfileRequest* request,
                            v1::Profile* response) override {
    if (request->id() != "known") {
      return ::grpc::Status(::grpc::StatusCode::NOT_FOUND,
                            "no profile " + request->id());
    }
    response->set_id("known");
    return ::grpc::Status::OK;
  }

  ::grpc::Status BulkUpsert(
      ::grpc::ServerContext* /*context*/,
      ::grpc::ServerReader<v1::UpsertProfileRequest>* reader,
      v1::BulkUpsertResponse* response) override {
    v1::UpsertProfileRequest request;
    for (int64_t index = 0; reader->Read(&request); ++index) {
      tenants.push_back(request.tenant());
      response->set_received(index + 1);
      if (request.profile().id().empty()) {
        v1::BulkUpsertResponse::ItemError* error = response->add_errors();
        error->set_index(index);
        error->set_code(static_cast<int>(absl::StatusCode::kInvalidArgument));
        error->set_message("id: empty");
      } else {
        response->set_upserted(response->upserted() + 1);
      }
    }
    return ::grpc::Status::OK;
  }

  std::vector<std::string> tenants;
};

// Answers after `delay`, to test deadlines.
class SlowMatchService final : public v1::MatchService::Service {
 public:
  ::grpc::Status FindPartners(::grpc::ServerContext* /*context*/,
                              const v1::FindPartnersRequest* request,
                              v1::FindPartnersResponse* response) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(request->top_k()));
    response->add_suggestions()->set_score(0.5);
    return ::grpc::Status::OK;
  }
};

class GrpcPollinatorClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::grpc::EnableDefaultHealthCheckService(true);
    ::grpc::ServerBuilder builder;
    builder.RegisterService(&profiles_);
    builder.RegisterService(&matches_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    server_->GetHealthCheckService()->SetServingStatus(
        v1::ProfileService::service_full_name(), true);
  }

  void TearDown() override { server_->Shutdown(); }

  std::unique_ptr<GrpcPollinatorClient> Client(absl::Duration timeout) {
    return std::make_unique<GrpcPollinatorClient>(
        server_->InProcessChannel(::grpc::ChannelArguments()), timeout);
  }

  ScriptedProfileService profiles_;
  SlowMatchService matches_;
  std::unique_ptr<::grpc::Server> server_;
};

TEST_F(GrpcPollinatorClientTest, ReturnsResponsesAndServerErrors) {
  std::unique_ptr<GrpcPollinatorClient> client = Client(absl::Seconds(10));
  v1::GetProfileRequest request;
  request.set_id("known");
  absl::StatusOr<v1::Profile> profile = client->GetProfile(request);
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_EQ(profile->id(), "known");
  request.set_id("other");
  profile = client->GetProfile(request);
  EXPECT_EQ(profile.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(profile.status().message(), "no profile other");
}

TEST_F(GrpcPollinatorClientTest, StreamsBulkUpsertItemsInOrder) {
  std::unique_ptr<GrpcPollinatorClient> client = Client(absl::Seconds(10));
  std::vector<v1::UpsertProfileRequest> requests(3);
  for (v1::UpsertProfileRequest& request : requests) request.set_tenant("acme");
  requests[0].mutable_profile()->set_id("a");
  requests[2].mutable_profile()->set_id("c");
  absl::StatusOr<v1::BulkUpsertResponse> response =
      client->BulkUpsert(requests);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->received(), 3);
  EXPECT_EQ(response->upserted(), 2);
  ASSERT_EQ(response->errors_size(), 1);
  EXPECT_EQ(response->errors(0).index(), 1);
  EXPECT_THAT(profiles_.tenants, ElementsAre("acme", "acme", "acme"));
}

TEST_F(GrpcPollinatorClientTest, AppliesTheDeadline) {
  v1::FindPartnersRequest slow;
  slow.set_top_k(500);  // the fake's delay in milliseconds
  absl::StatusOr<v1::FindPartnersResponse> response =
      Client(absl::Milliseconds(50))->FindPartners(slow);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded);
  v1::FindPartnersRequest fast;
  fast.set_top_k(1);
  response = Client(absl::InfiniteDuration())->FindPartners(fast);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->suggestions_size(), 1);
}

TEST_F(GrpcPollinatorClientTest, ChecksHealth) {
  std::unique_ptr<GrpcPollinatorClient> client = Client(absl::Seconds(10));
  absl::StatusOr<HealthCheckResponse> overall = client->CheckHealth("");
  ASSERT_TRUE(overall.ok()) << overall.status();
  EXPECT_EQ(overall->status(), HealthCheckResponse::SERVING);
  absl::StatusOr<HealthCheckResponse> profiles =
      client->CheckHealth(v1::ProfileService::service_full_name());
  ASSERT_TRUE(profiles.ok()) << profiles.status();
  EXPECT_EQ(profiles->status(), HealthCheckResponse::SERVING);
  EXPECT_EQ(client->CheckHealth("no.such.Service").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(GrpcPollinatorClientConnectTest, UnreachableServerIsUnavailable) {
  // Port 1 on localhost is closed on any sane test machine. An IP literal
  // keeps the DNS resolver (c-ares, which leaks under LSan) out of the test.
  std::unique_ptr<GrpcPollinatorClient> client =
      GrpcPollinatorClient::Connect("127.0.0.1:1", absl::Seconds(10));
  EXPECT_EQ(client->CheckHealth("").status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace pollinator
