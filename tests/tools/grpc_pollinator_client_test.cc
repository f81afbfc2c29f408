// Tests of tools/cli/grpc_pollinator_client.h against an in-process gRPC
// server with a small scripted ProfileService, MatchService and
// InteractionService, and gRPC's default health service.
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

// Keeps interactions in memory: assigns sequences and times like the real
// service, lists a profile's interactions a page at a time (the token is the
// index of the next one), and knows only the profiles in `known`.
class InMemoryInteractionService final
    : public v1::InteractionService::Service {
 public:
  ::grpc::Status RecordInteraction(
      ::grpc::ServerContext* /*context*/,
      const v1::RecordInteractionRequest* request,
      v1::RecordInteractionResponse* response) override {
    const v1::Interaction& interaction = request->interaction();
    for (const std::string& id :
         {interaction.from_profile_id(), interaction.to_profile_id()}) {
      if (id != "smb-1" && id != "ipa") {
        return ::grpc::Status(::grpc::StatusCode::NOT_FOUND,
                              "no profile " + id);
      }
    }
    v1::Interaction stored = interaction;
    stored.set_sequence(static_cast<int64_t>(stored_.size()) + 1);
    stored.set_recorded_at_unix_ms(1714566896789);
    stored_.push_back(stored);
    tenants.push_back(request->tenant());
    *response->mutable_interaction() = stored;
    return ::grpc::Status::OK;
  }

  ::grpc::Status ListInteractions(
      ::grpc::ServerContext* /*context*/,
      const v1::ListInteractionsRequest* request,
      v1::ListInteractionsResponse* response) override {
    size_t next =
        request->page_token().empty() ? 0 : std::stoul(request->page_token());
    for (; next < stored_.size(); ++next) {
      const v1::Interaction& interaction = stored_[next];
      if (interaction.from_profile_id() != request->profile_id() &&
          interaction.to_profile_id() != request->profile_id()) {
        continue;
      }
      if (response->interactions_size() == request->page_size()) {
        response->set_next_page_token(std::to_string(next));
        break;
      }
      *response->add_interactions() = interaction;
    }
    return ::grpc::Status::OK;
  }

  std::vector<std::string> tenants;

 private:
  std::vector<v1::Interaction> stored_;
};

class GrpcPollinatorClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::grpc::EnableDefaultHealthCheckService(true);
    ::grpc::ServerBuilder builder;
    builder.RegisterService(&profiles_);
    builder.RegisterService(&matches_);
    builder.RegisterService(&interactions_);
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
  InMemoryInteractionService interactions_;
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

TEST_F(GrpcPollinatorClientTest, RecordsAnInteractionAndListsItBack) {
  std::unique_ptr<GrpcPollinatorClient> client = Client(absl::Seconds(10));
  v1::RecordInteractionRequest record;
  record.set_tenant("acme");
  v1::Interaction* interaction = record.mutable_interaction();
  interaction->set_from_profile_id("smb-1");
  interaction->set_to_profile_id("ipa");
  interaction->set_type(v1::INTERACTION_TYPE_DECLINED);
  interaction->set_decline_reason(v1::DECLINE_REASON_TOO_FAR);
  interaction->set_note("outside our region");
  absl::StatusOr<v1::RecordInteractionResponse> recorded =
      client->RecordInteraction(record);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->interaction().sequence(), 1);
  EXPECT_EQ(recorded->interaction().recorded_at_unix_ms(), 1714566896789);
  interaction->set_type(v1::INTERACTION_TYPE_CONTACTED);
  interaction->clear_decline_reason();
  ASSERT_TRUE(client->RecordInteraction(record).ok());
  EXPECT_THAT(interactions_.tenants, ElementsAre("acme", "acme"));

  v1::ListInteractionsRequest list;
  list.set_tenant("acme");
  list.set_profile_id("ipa");
  list.set_page_size(1);
  absl::StatusOr<v1::ListInteractionsResponse> first =
      client->ListInteractions(list);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->interactions_size(), 1);
  const v1::Interaction& listed = first->interactions(0);
  EXPECT_EQ(listed.sequence(), 1);
  EXPECT_EQ(listed.from_profile_id(), "smb-1");
  EXPECT_EQ(listed.to_profile_id(), "ipa");
  EXPECT_EQ(listed.type(), v1::INTERACTION_TYPE_DECLINED);
  EXPECT_EQ(listed.decline_reason(), v1::DECLINE_REASON_TOO_FAR);
  EXPECT_EQ(listed.note(), "outside our region");
  ASSERT_FALSE(first->next_page_token().empty());
  list.set_page_token(first->next_page_token());
  absl::StatusOr<v1::ListInteractionsResponse> second =
      client->ListInteractions(list);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->interactions_size(), 1);
  EXPECT_EQ(second->interactions(0).sequence(), 2);
  EXPECT_EQ(second->interactions(0).type(), v1::INTERACTION_TYPE_CONTACTED);
  EXPECT_EQ(second->next_page_token(), "");
}

TEST_F(GrpcPollinatorClientTest, RecordInteractionReturnsServerErrors) {
  std::unique_ptr<GrpcPollinatorClient> client = Client(absl::Seconds(10));
  v1::RecordInteractionRequest record;
  record.mutable_interaction()->set_from_profile_id("smb-1");
  record.mutable_interaction()->set_to_profile_id("smb-9");
  absl::StatusOr<v1::RecordInteractionResponse> recorded =
      client->RecordInteraction(record);
  EXPECT_EQ(recorded.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(recorded.status().message(), "no profile smb-9");
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
  absl::StatusOr<std::unique_ptr<GrpcPollinatorClient>> client =
      GrpcPollinatorClient::Connect("127.0.0.1:1", absl::Seconds(10));
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_EQ((*client)->CheckHealth("").status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(GrpcPollinatorClientConnectTest, UnreadableTlsFilesAreNamed) {
  ClientTls tls;
  tls.ca_file = "no/such/ca.pem";
  EXPECT_THAT(GrpcPollinatorClient::Connect("127.0.0.1:1", absl::Seconds(1), "",
                                            tls)
                  .status()
                  .message(),
              ::testing::HasSubstr("--tls_ca_file: cannot read no/such/ca.pem"));
}

}  // namespace
}  // namespace pollinator
