// GrpcServerTest: a real PollinatorServer per test (fresh temporary
// data_dir, port 0) with stubs on its in-process channel, so requests go
// through gRPC serialisation and the real service code, plus small call
// helpers that set a deadline. End-to-end test fixtures derive from it.
#ifndef POLLINATOR_TESTS_TESTING_GRPC_SERVER_FIXTURE_H_
#define POLLINATOR_TESTS_TESTING_GRPC_SERVER_FIXTURE_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include "absl/synchronization/notification.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "pollinator/v1/service.grpc.pb.h"
#include "services/server.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace pollinator::testing {

class GrpcServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_NO_FATAL_FAILURE(StartServer());
  }

  void TearDown() override {
    if (server_ != nullptr) EXPECT_THAT(server_->Shutdown(absl::Seconds(5)), IsOk());
  }

  // Starts a server on dir_ (again, after StopServer()) and connects the
  // stubs; `configure` may change the options first.
  void StartServer(const std::function<void(ServerOptions&)>& configure = nullptr) {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = dir_.path();
    // Most suites test other things than keys; the access tests turn them on.
    options.access.enforce = false;
    if (configure) configure(options);
    absl::StatusOr<std::unique_ptr<PollinatorServer>> server = PollinatorServer::Start(options);
    ASSERT_THAT(server, IsOk());
    server_ = std::move(*server);
    channel_ = server_->InProcessChannel();
    profiles_ = v1::ProfileService::NewStub(channel_);
    matches_ = v1::MatchService::NewStub(channel_);
    interactions_ = v1::InteractionService::NewStub(channel_);
    health_ = grpc::health::v1::Health::NewStub(channel_);
  }

  void StopServer() {
    ASSERT_THAT(server_->Shutdown(absl::Seconds(5)), IsOk());
    health_.reset();
    interactions_.reset();
    matches_.reset();
    profiles_.reset();
    channel_.reset();
    server_.reset();
  }

  // A deadline turns a hung call into a failure instead of a stuck suite.
  static void SetDeadline(grpc::ClientContext& context) {
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  }

  grpc::Status Upsert(const std::string& tenant, const v1::Profile& profile,
                      v1::UpsertProfileResponse* response = nullptr) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::UpsertProfileRequest request;
    request.set_tenant(tenant);
    *request.mutable_profile() = profile;
    v1::UpsertProfileResponse ignored;
    return profiles_->UpsertProfile(&context, request, response != nullptr ? response : &ignored);
  }

  grpc::Status Get(const std::string& tenant, const std::string& id, v1::Profile* profile = nullptr) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::GetProfileRequest request;
    request.set_tenant(tenant);
    request.set_id(id);
    v1::Profile ignored;
    return profiles_->GetProfile(&context, request, profile != nullptr ? profile : &ignored);
  }

  grpc::Status Delete(const std::string& tenant, const std::string& id) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::DeleteProfileRequest request;
    request.set_tenant(tenant);
    request.set_id(id);
    v1::DeleteProfileResponse response;
    return profiles_->DeleteProfile(&context, request, &response);
  }

  // Records one interaction; `stored` receives it as the server stored it.
  grpc::Status RecordInteraction(const std::string& tenant, const v1::Interaction& interaction,
                                 v1::Interaction* stored = nullptr) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::RecordInteractionRequest request;
    request.set_tenant(tenant);
    *request.mutable_interaction() = interaction;
    v1::RecordInteractionResponse response;
    grpc::Status status = interactions_->RecordInteraction(&context, request, &response);
    if (stored != nullptr) *stored = response.interaction();
    return status;
  }

  // Sends `bytes` as the request of `method` ("/pollinator.v1.X/Y"), for
  // requests a typed stub would not send.
  grpc::Status RawUnary(const std::string& method, const std::string& bytes) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    grpc::Status status;
    absl::Notification done;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response, [&](grpc::Status s) {
      status = std::move(s);
      done.Notify();
    });
    done.WaitForNotification();
    return status;
  }

  grpc::Status Find(const v1::FindPartnersRequest& request, v1::FindPartnersResponse* response) {
    grpc::ClientContext context;
    SetDeadline(context);
    return matches_->FindPartners(&context, request, response);
  }

  TempDir dir_;
  std::unique_ptr<PollinatorServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ProfileService::Stub> profiles_;
  std::unique_ptr<v1::MatchService::Stub> matches_;
  std::unique_ptr<v1::InteractionService::Stub> interactions_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

}  // namespace pollinator::testing

#endif  // POLLINATOR_TESTS_TESTING_GRPC_SERVER_FIXTURE_H_
