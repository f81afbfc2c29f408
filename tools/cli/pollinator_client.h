// The RPCs the CLI makes, behind an interface so that the commands can be
// tested against a fake. GrpcPollinatorClient (grpc_pollinator_client.h) is
// the real one.
//
// Every call returns the server's status code and message unchanged, so
// callers can print "NOT_FOUND: <server message>". Requests carry the tenant;
// implementations send them as they are.
#ifndef POLLINATOR_TOOLS_CLI_POLLINATOR_CLIENT_H_
#define POLLINATOR_TOOLS_CLI_POLLINATOR_CLIENT_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "grpc/health/v1/health.pb.h"
#include "pollinator/v1/access.pb.h"
#include "pollinator/v1/challenge.pb.h"
#include "pollinator/v1/cohort.pb.h"
#include "pollinator/v1/ecosystem.pb.h"
#include "pollinator/v1/interaction.pb.h"
#include "pollinator/v1/matching.pb.h"
#include "pollinator/v1/operations.pb.h"
#include "pollinator/v1/profile.pb.h"
#include "pollinator/v1/service.pb.h"
#include "pollinator/v1/transfer.pb.h"

namespace pollinator {

class PollinatorClient {
 public:
  virtual ~PollinatorClient() = default;

  virtual absl::StatusOr<v1::Profile> GetProfile(
      const v1::GetProfileRequest& request) = 0;
  virtual absl::StatusOr<v1::DeleteProfileResponse> DeleteProfile(
      const v1::DeleteProfileRequest& request) = 0;
  virtual absl::StatusOr<v1::ListProfilesResponse> ListProfiles(
      const v1::ListProfilesRequest& request) = 0;
  // One BulkUpsert call streaming `requests` in order. A non-OK status means
  // the call itself failed and nothing about the items is known.
  virtual absl::StatusOr<v1::BulkUpsertResponse> BulkUpsert(
      absl::Span<const v1::UpsertProfileRequest> requests) = 0;
  virtual absl::StatusOr<v1::FindPartnersResponse> FindPartners(
      const v1::FindPartnersRequest& request) = 0;
  virtual absl::StatusOr<v1::TrainRankerResponse> TrainRanker(
      const v1::TrainRankerRequest& request) = 0;
  virtual absl::StatusOr<v1::RecordInteractionResponse> RecordInteraction(
      const v1::RecordInteractionRequest& request) = 0;
  // One page; callers follow next_page_token.
  virtual absl::StatusOr<v1::ListInteractionsResponse> ListInteractions(
      const v1::ListInteractionsRequest& request) = 0;
  virtual absl::StatusOr<v1::ScreenCohortResponse> ScreenCohort(
      const v1::ScreenCohortRequest& request) = 0;
  virtual absl::StatusOr<v1::FindSolversResponse> FindSolvers(
      const v1::FindSolversRequest& request) = 0;
  virtual absl::StatusOr<v1::FindChallengesResponse> FindChallenges(
      const v1::FindChallengesRequest& request) = 0;
  virtual absl::StatusOr<v1::AnalyzeEcosystemResponse> AnalyzeEcosystem(
      const v1::AnalyzeEcosystemRequest& request) = 0;
  // pollinator.v1.TransferService. ExportTenant hands each streamed record
  // to `visit` as it arrives; an error from `visit` cancels the call and is
  // returned.
  virtual absl::Status ExportTenant(
      const v1::ExportTenantRequest& request,
      const std::function<absl::Status(const v1::TransferRecord&)>& visit) = 0;
  // ExportProfile the same, for one profile's records.
  virtual absl::Status ExportProfile(
      const v1::ExportProfileRequest& request,
      const std::function<absl::Status(const v1::TransferRecord&)>& visit) = 0;
  virtual absl::StatusOr<v1::ImportInteractionsResponse> ImportInteractions(
      const v1::ImportInteractionsRequest& request) = 0;
  // pollinator.v1.KeyService: the key's tenant's keys (admin keys only).
  virtual absl::StatusOr<v1::CreateKeyResponse> CreateKey(
      const v1::CreateKeyRequest& request) = 0;
  virtual absl::StatusOr<v1::ListKeysResponse> ListKeys(
      const v1::ListKeysRequest& request) = 0;
  virtual absl::StatusOr<v1::RevokeKeyResponse> RevokeKey(
      const v1::RevokeKeyRequest& request) = 0;
  // pollinator.v1.TenantService (the operator key).
  virtual absl::StatusOr<v1::CreateTenantResponse> CreateTenant(
      const v1::CreateTenantRequest& request) = 0;
  virtual absl::StatusOr<v1::ListTenantsResponse> ListTenants(
      const v1::ListTenantsRequest& request) = 0;
  virtual absl::StatusOr<v1::Tenant> SetTenantSuspended(
      const v1::SetTenantSuspendedRequest& request) = 0;
  virtual absl::StatusOr<v1::DeleteTenantResponse> DeleteTenant(
      const v1::DeleteTenantRequest& request) = 0;
  // pollinator.v1.BackupService (operator key).
  virtual absl::StatusOr<v1::CreateBackupResponse> CreateBackup(
      const v1::CreateBackupRequest& request) = 0;
  // grpc.health.v1.Health/Check; `service` "" is the server as a whole.
  virtual absl::StatusOr<::grpc::health::v1::HealthCheckResponse> CheckHealth(
      absl::string_view service) = 0;

 protected:
  PollinatorClient() = default;
  PollinatorClient(const PollinatorClient&) = delete;
  PollinatorClient& operator=(const PollinatorClient&) = delete;
};

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_POLLINATOR_CLIENT_H_
