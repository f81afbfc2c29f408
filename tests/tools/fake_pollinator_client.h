// A scripted PollinatorClient for the CLI command tests: records every request
// and answers from queues of canned results (or a default when a queue is
// empty). Not thread-safe.
//
//   FakePollinatorClient client;
//   client.bulk_upsert_results.push_back(absl::UnavailableError("gone"));
//   RunImport(options, input, client, io);
//   EXPECT_EQ(client.bulk_upsert_calls.size(), 1);
#ifndef POLLINATOR_TESTS_TOOLS_FAKE_POLLINATOR_CLIENT_H_
#define POLLINATOR_TESTS_TOOLS_FAKE_POLLINATOR_CLIENT_H_

#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "tools/cli/pollinator_client.h"

namespace pollinator {

class FakePollinatorClient : public PollinatorClient {
 public:
  absl::StatusOr<v1::Profile> GetProfile(
      const v1::GetProfileRequest& request) override {
    get_requests.push_back(request);
    return Next(get_results, v1::Profile());
  }

  absl::StatusOr<v1::DeleteProfileResponse> DeleteProfile(
      const v1::DeleteProfileRequest& request) override {
    delete_requests.push_back(request);
    return Next(delete_results, v1::DeleteProfileResponse());
  }

  absl::StatusOr<v1::ListProfilesResponse> ListProfiles(
      const v1::ListProfilesRequest& request) override {
    list_requests.push_back(request);
    return Next(list_results, v1::ListProfilesResponse());
  }

  // Without a scripted result, every item counts as upserted.
  absl::StatusOr<v1::BulkUpsertResponse> BulkUpsert(
      absl::Span<const v1::UpsertProfileRequest> requests) override {
    bulk_upsert_calls.emplace_back(requests.begin(), requests.end());
    v1::BulkUpsertResponse all_upserted;
    all_upserted.set_received(static_cast<int64_t>(requests.size()));
    all_upserted.set_upserted(static_cast<int64_t>(requests.size()));
    return Next(bulk_upsert_results, all_upserted);
  }

  absl::StatusOr<v1::FindPartnersResponse> FindPartners(
      const v1::FindPartnersRequest& request) override {
    find_partners_requests.push_back(request);
    return Next(find_partners_results, v1::FindPartnersResponse());
  }

  absl::StatusOr<v1::TrainRankerResponse> TrainRanker(
      const v1::TrainRankerRequest& request) override {
    train_ranker_requests.push_back(request);
    return Next(train_ranker_results, v1::TrainRankerResponse());
  }

  // Without a scripted result, echoes the request's interaction.
  absl::StatusOr<v1::RecordInteractionResponse> RecordInteraction(
      const v1::RecordInteractionRequest& request) override {
    record_interaction_requests.push_back(request);
    v1::RecordInteractionResponse echo;
    *echo.mutable_interaction() = request.interaction();
    return Next(record_interaction_results, echo);
  }

  absl::StatusOr<v1::ListInteractionsResponse> ListInteractions(
      const v1::ListInteractionsRequest& request) override {
    list_interactions_requests.push_back(request);
    return Next(list_interactions_results, v1::ListInteractionsResponse());
  }

  absl::StatusOr<v1::ScreenCohortResponse> ScreenCohort(
      const v1::ScreenCohortRequest& request) override {
    screen_cohort_requests.push_back(request);
    return Next(screen_cohort_results, v1::ScreenCohortResponse());
  }
  absl::StatusOr<v1::FindSolversResponse> FindSolvers(
      const v1::FindSolversRequest& request) override {
    find_solvers_requests.push_back(request);
    return Next(find_solvers_results, v1::FindSolversResponse());
  }
  absl::StatusOr<v1::FindChallengesResponse> FindChallenges(
      const v1::FindChallengesRequest& request) override {
    find_challenges_requests.push_back(request);
    return Next(find_challenges_results, v1::FindChallengesResponse());
  }
  absl::StatusOr<v1::AnalyzeEcosystemResponse> AnalyzeEcosystem(
      const v1::AnalyzeEcosystemRequest& request) override {
    analyze_requests.push_back(request);
    return Next(analyze_results, v1::AnalyzeEcosystemResponse());
  }
  // Hands over `export_records`, then returns `export_status`.
  absl::Status ExportTenant(
      const v1::ExportTenantRequest& request,
      const std::function<absl::Status(const v1::TransferRecord&)>& visit)
      override {
    export_requests.push_back(request);
    for (const v1::TransferRecord& record : export_records) {
      if (absl::Status s = visit(record); !s.ok()) return s;
    }
    return export_status;
  }
  // The same records and status, for one profile.
  absl::Status ExportProfile(
      const v1::ExportProfileRequest& request,
      const std::function<absl::Status(const v1::TransferRecord&)>& visit)
      override {
    export_profile_requests.push_back(request);
    for (const v1::TransferRecord& record : export_records) {
      if (absl::Status s = visit(record); !s.ok()) return s;
    }
    return export_status;
  }

  // Without a scripted result, every interaction counts as imported.
  absl::StatusOr<v1::ImportInteractionsResponse> ImportInteractions(
      const v1::ImportInteractionsRequest& request) override {
    import_interactions_requests.push_back(request);
    v1::ImportInteractionsResponse all;
    all.set_imported(request.interactions_size());
    return Next(import_interactions_results, all);
  }

  absl::StatusOr<v1::CreateKeyResponse> CreateKey(
      const v1::CreateKeyRequest& request) override {
    access_requests.push_back(request.ShortDebugString());
    return Next(create_key_results, v1::CreateKeyResponse());
  }
  absl::StatusOr<v1::ListKeysResponse> ListKeys(
      const v1::ListKeysRequest& request) override {
    access_requests.push_back(request.ShortDebugString());
    return Next(list_keys_results, v1::ListKeysResponse());
  }
  absl::StatusOr<v1::RevokeKeyResponse> RevokeKey(
      const v1::RevokeKeyRequest& request) override {
    access_requests.push_back(request.ShortDebugString());
    return Next(revoke_key_results, v1::RevokeKeyResponse());
  }
  absl::StatusOr<v1::CreateTenantResponse> CreateTenant(
      const v1::CreateTenantRequest& request) override {
    access_requests.push_back(request.ShortDebugString());
    return Next(create_tenant_results, v1::CreateTenantResponse());
  }
  absl::StatusOr<v1::ListTenantsResponse> ListTenants(
      const v1::ListTenantsRequest& request) override {
    access_requests.push_back(request.ShortDebugString());
    return Next(list_tenants_results, v1::ListTenantsResponse());
  }
  absl::StatusOr<v1::Tenant> SetTenantSuspended(
      const v1::SetTenantSuspendedRequest& request) override {
    access_requests.push_back(request.ShortDebugString());
    return Next(set_suspended_results, v1::Tenant());
  }
  absl::StatusOr<v1::CreateBackupResponse> CreateBackup(
      const v1::CreateBackupRequest& request) override {
    create_backup_requests.push_back(request);
    return Next(create_backup_results, v1::CreateBackupResponse());
  }
  absl::StatusOr<v1::DeleteTenantResponse> DeleteTenant(
      const v1::DeleteTenantRequest& request) override {
    access_requests.push_back(request.ShortDebugString());
    return Next(delete_tenant_results, v1::DeleteTenantResponse());
  }

  // Without a scripted result for `service`, it is SERVING.
  absl::StatusOr<::grpc::health::v1::HealthCheckResponse> CheckHealth(
      absl::string_view service) override {
    health_requests.emplace_back(service);
    auto it = health_results.find(std::string(service));
    if (it != health_results.end()) return it->second;
    ::grpc::health::v1::HealthCheckResponse serving;
    serving.set_status(::grpc::health::v1::HealthCheckResponse::SERVING);
    return serving;
  }

  std::vector<v1::ExportTenantRequest> export_requests;
  std::vector<v1::ExportProfileRequest> export_profile_requests;
  std::vector<v1::TransferRecord> export_records;
  absl::Status export_status;
  std::vector<v1::ImportInteractionsRequest> import_interactions_requests;
  std::deque<absl::StatusOr<v1::ImportInteractionsResponse>>
      import_interactions_results;
  std::vector<v1::ScreenCohortRequest> screen_cohort_requests;
  std::deque<absl::StatusOr<v1::ScreenCohortResponse>> screen_cohort_results;
  std::vector<v1::FindSolversRequest> find_solvers_requests;
  std::deque<absl::StatusOr<v1::FindSolversResponse>> find_solvers_results;
  std::vector<v1::FindChallengesRequest> find_challenges_requests;
  std::deque<absl::StatusOr<v1::FindChallengesResponse>> find_challenges_results;
  std::vector<v1::AnalyzeEcosystemRequest> analyze_requests;
  std::deque<absl::StatusOr<v1::AnalyzeEcosystemResponse>> analyze_results;
  // KeyService and TenantService requests, as text, in call order.
  std::vector<std::string> access_requests;
  std::deque<absl::StatusOr<v1::CreateKeyResponse>> create_key_results;
  std::deque<absl::StatusOr<v1::ListKeysResponse>> list_keys_results;
  std::deque<absl::StatusOr<v1::RevokeKeyResponse>> revoke_key_results;
  std::deque<absl::StatusOr<v1::CreateTenantResponse>> create_tenant_results;
  std::deque<absl::StatusOr<v1::ListTenantsResponse>> list_tenants_results;
  std::deque<absl::StatusOr<v1::Tenant>> set_suspended_results;
  std::deque<absl::StatusOr<v1::DeleteTenantResponse>> delete_tenant_results;
  std::vector<v1::CreateBackupRequest> create_backup_requests;
  std::deque<absl::StatusOr<v1::CreateBackupResponse>> create_backup_results;
  std::vector<v1::GetProfileRequest> get_requests;
  std::deque<absl::StatusOr<v1::Profile>> get_results;
  std::vector<v1::DeleteProfileRequest> delete_requests;
  std::deque<absl::StatusOr<v1::DeleteProfileResponse>> delete_results;
  std::vector<v1::ListProfilesRequest> list_requests;
  std::deque<absl::StatusOr<v1::ListProfilesResponse>> list_results;
  std::vector<std::vector<v1::UpsertProfileRequest>> bulk_upsert_calls;
  std::deque<absl::StatusOr<v1::BulkUpsertResponse>> bulk_upsert_results;
  std::vector<v1::FindPartnersRequest> find_partners_requests;
  std::deque<absl::StatusOr<v1::FindPartnersResponse>> find_partners_results;
  std::vector<v1::TrainRankerRequest> train_ranker_requests;
  std::deque<absl::StatusOr<v1::TrainRankerResponse>> train_ranker_results;
  std::vector<v1::RecordInteractionRequest> record_interaction_requests;
  std::deque<absl::StatusOr<v1::RecordInteractionResponse>>
      record_interaction_results;
  std::vector<v1::ListInteractionsRequest> list_interactions_requests;
  std::deque<absl::StatusOr<v1::ListInteractionsResponse>>
      list_interactions_results;
  std::vector<std::string> health_requests;
  std::map<std::string, absl::StatusOr<::grpc::health::v1::HealthCheckResponse>>
      health_results;

 private:
  template <typename T>
  static absl::StatusOr<T> Next(std::deque<absl::StatusOr<T>>& queue,
                                T fallback) {
    if (queue.empty()) return fallback;
    absl::StatusOr<T> result = std::move(queue.front());
    queue.pop_front();
    return result;
  }
};

}  // namespace pollinator

#endif  // POLLINATOR_TESTS_TOOLS_FAKE_POLLINATOR_CLIENT_H_
