// PollinatorClient over a gRPC channel, with a deadline on every call.
//
//   std::unique_ptr<GrpcPollinatorClient> client =
//       GrpcPollinatorClient::Connect("localhost:50051", absl::Seconds(30));
//   absl::StatusOr<v1::Profile> profile = client->GetProfile(request);
//
// Thread-safe: the channel and stubs are, and each call has its own context.
#ifndef POLLINATOR_TOOLS_CLI_GRPC_POLLINATOR_CLIENT_H_
#define POLLINATOR_TOOLS_CLI_GRPC_POLLINATOR_CLIENT_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/channel.h"
#include "pollinator/v1/access.grpc.pb.h"
#include "pollinator/v1/challenge.grpc.pb.h"
#include "pollinator/v1/cohort.grpc.pb.h"
#include "pollinator/v1/ecosystem.grpc.pb.h"
#include "pollinator/v1/operations.grpc.pb.h"
#include "pollinator/v1/service.grpc.pb.h"
#include "pollinator/v1/transfer.grpc.pb.h"
#include "tools/cli/invocation.h"
#include "tools/cli/pollinator_client.h"

namespace pollinator {

class GrpcPollinatorClient final : public PollinatorClient {
 public:
  // A channel to `target` ("HOST:PORT"), plaintext unless `tls` is enabled.
  // It connects lazily, so only unreadable TLS files fail here; an
  // unreachable server shows up as UNAVAILABLE on the first call.
  // `key` (empty for none) is sent with every call as
  // "authorization: Bearer <key>".
  static absl::StatusOr<std::unique_ptr<GrpcPollinatorClient>> Connect(
      const std::string& target, absl::Duration timeout,
      const std::string& key = "", const ClientTls& tls = {});

  // `timeout` is the deadline of each call; absl::InfiniteDuration() for none.
  GrpcPollinatorClient(const std::shared_ptr<::grpc::Channel>& channel,
                       absl::Duration timeout, std::string key = "");

  absl::StatusOr<v1::Profile> GetProfile(
      const v1::GetProfileRequest& request) override;
  absl::StatusOr<v1::DeleteProfileResponse> DeleteProfile(
      const v1::DeleteProfileRequest& request) override;
  absl::StatusOr<v1::ListProfilesResponse> ListProfiles(
      const v1::ListProfilesRequest& request) override;
  absl::StatusOr<v1::BulkUpsertResponse> BulkUpsert(
      absl::Span<const v1::UpsertProfileRequest> requests) override;
  absl::StatusOr<v1::FindPartnersResponse> FindPartners(
      const v1::FindPartnersRequest& request) override;
  absl::StatusOr<v1::TrainRankerResponse> TrainRanker(
      const v1::TrainRankerRequest& request) override;
  absl::StatusOr<v1::RecordInteractionResponse> RecordInteraction(
      const v1::RecordInteractionRequest& request) override;
  absl::StatusOr<v1::ListInteractionsResponse> ListInteractions(
      const v1::ListInteractionsRequest& request) override;
  absl::StatusOr<v1::ScreenCohortResponse> ScreenCohort(
      const v1::ScreenCohortRequest& request) override;
  absl::StatusOr<v1::FindSolversResponse> FindSolvers(
      const v1::FindSolversRequest& request) override;
  absl::StatusOr<v1::FindChallengesResponse> FindChallenges(
      const v1::FindChallengesRequest& request) override;
  absl::StatusOr<v1::AnalyzeEcosystemResponse> AnalyzeEcosystem(
      const v1::AnalyzeEcosystemRequest& request) override;
  absl::Status ExportTenant(
      const v1::ExportTenantRequest& request,
      const std::function<absl::Status(const v1::TransferRecord&)>& visit)
      override;
  absl::Status ExportProfile(
      const v1::ExportProfileRequest& request,
      const std::function<absl::Status(const v1::TransferRecord&)>& visit)
      override;
  absl::StatusOr<v1::ImportInteractionsResponse> ImportInteractions(
      const v1::ImportInteractionsRequest& request) override;
  absl::StatusOr<v1::CreateKeyResponse> CreateKey(
      const v1::CreateKeyRequest& request) override;
  absl::StatusOr<v1::ListKeysResponse> ListKeys(
      const v1::ListKeysRequest& request) override;
  absl::StatusOr<v1::RevokeKeyResponse> RevokeKey(
      const v1::RevokeKeyRequest& request) override;
  absl::StatusOr<v1::CreateTenantResponse> CreateTenant(
      const v1::CreateTenantRequest& request) override;
  absl::StatusOr<v1::ListTenantsResponse> ListTenants(
      const v1::ListTenantsRequest& request) override;
  absl::StatusOr<v1::Tenant> SetTenantSuspended(
      const v1::SetTenantSuspendedRequest& request) override;
  absl::StatusOr<v1::DeleteTenantResponse> DeleteTenant(
      const v1::DeleteTenantRequest& request) override;
  absl::StatusOr<v1::CreateBackupResponse> CreateBackup(
      const v1::CreateBackupRequest& request) override;
  absl::StatusOr<::grpc::health::v1::HealthCheckResponse> CheckHealth(
      absl::string_view service) override;

 private:
  // Sets the deadline and the key.
  void SetDeadline(::grpc::ClientContext* context) const;
  // One server-streaming call of `method`, each record handed to `visit`.
  template <typename Request>
  absl::Status ReadRecords(
      std::unique_ptr<::grpc::ClientReader<v1::TransferRecord>> (
          v1::TransferService::Stub::*method)(::grpc::ClientContext*,
                                              const Request&),
      const Request& request,
      const std::function<absl::Status(const v1::TransferRecord&)>& visit);
  // One unary call of `method` on `stub`.
  template <typename Stub, typename Request, typename Response>
  absl::StatusOr<Response> Unary(
      Stub& stub,
      ::grpc::Status (Stub::*method)(::grpc::ClientContext*, const Request&,
                                     Response*),
      const Request& request) const;

  const absl::Duration timeout_;
  const std::string key_;
  const std::unique_ptr<v1::ProfileService::Stub> profiles_;
  const std::unique_ptr<v1::MatchService::Stub> matches_;
  const std::unique_ptr<v1::InteractionService::Stub> interactions_;
  const std::unique_ptr<v1::CohortService::Stub> cohorts_;
  const std::unique_ptr<v1::ChallengeService::Stub> challenges_;
  const std::unique_ptr<v1::EcosystemService::Stub> ecosystem_;
  const std::unique_ptr<v1::TransferService::Stub> transfers_;
  const std::unique_ptr<v1::KeyService::Stub> keys_;
  const std::unique_ptr<v1::TenantService::Stub> tenants_;
  const std::unique_ptr<v1::BackupService::Stub> backups_;
  const std::unique_ptr<::grpc::health::v1::Health::Stub> health_;
};

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_GRPC_POLLINATOR_CLIENT_H_
