// gRPC implementation of PollinatorClient (see grpc_pollinator_client.h).
#include "tools/cli/grpc_pollinator_client.h"

#include <memory>
#include <string>
#include <utility>

#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "services/transport/pem_file.h"

namespace pollinator {
namespace {

// gRPC's default limit is 4 MiB. A `list` page of up to 1000 profiles, each
// with its need, offer and description vectors, can exceed that; the CLI
// trusts the server it was pointed at.
constexpr int kMaxReceiveMessageBytes = 256 << 20;

absl::Status ToAbslStatus(const ::grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

}  // namespace

absl::StatusOr<std::unique_ptr<GrpcPollinatorClient>>
GrpcPollinatorClient::Connect(const std::string& target, absl::Duration timeout,
                              const std::string& key, const ClientTls& tls) {
  ::grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(kMaxReceiveMessageBytes);
  std::shared_ptr<::grpc::ChannelCredentials> credentials =
      ::grpc::InsecureChannelCredentials();
  if (tls.enabled()) {
    ::grpc::SslCredentialsOptions options;
    if (!tls.ca_file.empty()) {
      absl::StatusOr<std::string> ca =
          ReadPemFile("--tls_ca_file", tls.ca_file, kPemCertificate);
      if (!ca.ok()) return ca.status();
      options.pem_root_certs = *ca;
    }
    if (!tls.cert_file.empty()) {
      absl::StatusOr<std::string> cert = ReadPemFile(
          "--tls_cert_file", tls.cert_file, kPemCertificate);
      if (!cert.ok()) return cert.status();
      absl::StatusOr<std::string> private_key =
          ReadPemFile("--tls_key_file", tls.key_file, kPemPrivateKey);
      if (!private_key.ok()) return private_key.status();
      options.pem_cert_chain = *cert;
      options.pem_private_key = *private_key;
    }
    credentials = ::grpc::SslCredentials(options);
  }
  return std::make_unique<GrpcPollinatorClient>(
      ::grpc::CreateCustomChannel(target, credentials, arguments), timeout,
      key);
}

GrpcPollinatorClient::GrpcPollinatorClient(
    const std::shared_ptr<::grpc::Channel>& channel, absl::Duration timeout,
    std::string key)
    : timeout_(timeout),
      key_(std::move(key)),
      profiles_(v1::ProfileService::NewStub(channel)),
      matches_(v1::MatchService::NewStub(channel)),
      interactions_(v1::InteractionService::NewStub(channel)),
      cohorts_(v1::CohortService::NewStub(channel)),
      challenges_(v1::ChallengeService::NewStub(channel)),
      ecosystem_(v1::EcosystemService::NewStub(channel)),
      transfers_(v1::TransferService::NewStub(channel)),
      keys_(v1::KeyService::NewStub(channel)),
      tenants_(v1::TenantService::NewStub(channel)),
      backups_(v1::BackupService::NewStub(channel)),
      health_(::grpc::health::v1::Health::NewStub(channel)) {}

void GrpcPollinatorClient::SetDeadline(::grpc::ClientContext* context) const {
  if (!key_.empty()) context->AddMetadata("authorization", "Bearer " + key_);
  if (timeout_ == absl::InfiniteDuration()) return;
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
}

template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> GrpcPollinatorClient::Unary(
    Stub& stub,
    ::grpc::Status (Stub::*method)(::grpc::ClientContext*, const Request&,
                                   Response*),
    const Request& request) const {
  ::grpc::ClientContext context;
  SetDeadline(&context);
  Response response;
  ::grpc::Status status = (stub.*method)(&context, request, &response);
  if (!status.ok()) return ToAbslStatus(status);
  return response;
}

absl::StatusOr<v1::ScreenCohortResponse> GrpcPollinatorClient::ScreenCohort(
    const v1::ScreenCohortRequest& request) {
  return Unary(*cohorts_, &v1::CohortService::Stub::ScreenCohort, request);
}

absl::StatusOr<v1::FindSolversResponse> GrpcPollinatorClient::FindSolvers(
    const v1::FindSolversRequest& request) {
  return Unary(*challenges_, &v1::ChallengeService::Stub::FindSolvers, request);
}

absl::StatusOr<v1::FindChallengesResponse> GrpcPollinatorClient::FindChallenges(
    const v1::FindChallengesRequest& request) {
  return Unary(*challenges_, &v1::ChallengeService::Stub::FindChallenges, request);
}

absl::StatusOr<v1::AnalyzeEcosystemResponse> GrpcPollinatorClient::AnalyzeEcosystem(
    const v1::AnalyzeEcosystemRequest& request) {
  return Unary(*ecosystem_, &v1::EcosystemService::Stub::AnalyzeEcosystem, request);
}

absl::Status GrpcPollinatorClient::ExportTenant(
    const v1::ExportTenantRequest& request,
    const std::function<absl::Status(const v1::TransferRecord&)>& visit) {
  return ReadRecords(&v1::TransferService::Stub::ExportTenant, request, visit);
}

absl::Status GrpcPollinatorClient::ExportProfile(
    const v1::ExportProfileRequest& request,
    const std::function<absl::Status(const v1::TransferRecord&)>& visit) {
  return ReadRecords(&v1::TransferService::Stub::ExportProfile, request,
                     visit);
}

template <typename Request>
absl::Status GrpcPollinatorClient::ReadRecords(
    std::unique_ptr<::grpc::ClientReader<v1::TransferRecord>> (
        v1::TransferService::Stub::*method)(::grpc::ClientContext*,
                                            const Request&),
    const Request& request,
    const std::function<absl::Status(const v1::TransferRecord&)>& visit) {
  ::grpc::ClientContext context;
  SetDeadline(&context);
  std::unique_ptr<::grpc::ClientReader<v1::TransferRecord>> reader =
      ((*transfers_).*method)(&context, request);
  v1::TransferRecord record;
  absl::Status visited;
  while (reader->Read(&record)) {
    visited = visit(record);
    if (!visited.ok()) {
      context.TryCancel();
      // Drain what is in flight so that Finish() can return.
      while (reader->Read(&record)) {
      }
      break;
    }
  }
  const ::grpc::Status status = reader->Finish();
  if (!visited.ok()) return visited;
  return ToAbslStatus(status);
}

absl::StatusOr<v1::ImportInteractionsResponse>
GrpcPollinatorClient::ImportInteractions(
    const v1::ImportInteractionsRequest& request) {
  return Unary(*transfers_, &v1::TransferService::Stub::ImportInteractions,
               request);
}

absl::StatusOr<v1::CreateKeyResponse> GrpcPollinatorClient::CreateKey(
    const v1::CreateKeyRequest& request) {
  return Unary(*keys_, &v1::KeyService::Stub::CreateKey, request);
}

absl::StatusOr<v1::ListKeysResponse> GrpcPollinatorClient::ListKeys(
    const v1::ListKeysRequest& request) {
  return Unary(*keys_, &v1::KeyService::Stub::ListKeys, request);
}

absl::StatusOr<v1::RevokeKeyResponse> GrpcPollinatorClient::RevokeKey(
    const v1::RevokeKeyRequest& request) {
  return Unary(*keys_, &v1::KeyService::Stub::RevokeKey, request);
}

absl::StatusOr<v1::CreateTenantResponse> GrpcPollinatorClient::CreateTenant(
    const v1::CreateTenantRequest& request) {
  return Unary(*tenants_, &v1::TenantService::Stub::CreateTenant, request);
}

absl::StatusOr<v1::ListTenantsResponse> GrpcPollinatorClient::ListTenants(
    const v1::ListTenantsRequest& request) {
  return Unary(*tenants_, &v1::TenantService::Stub::ListTenants, request);
}

absl::StatusOr<v1::Tenant> GrpcPollinatorClient::SetTenantSuspended(
    const v1::SetTenantSuspendedRequest& request) {
  return Unary(*tenants_, &v1::TenantService::Stub::SetTenantSuspended,
               request);
}

absl::StatusOr<v1::DeleteTenantResponse> GrpcPollinatorClient::DeleteTenant(
    const v1::DeleteTenantRequest& request) {
  return Unary(*tenants_, &v1::TenantService::Stub::DeleteTenant, request);
}

absl::StatusOr<v1::CreateBackupResponse> GrpcPollinatorClient::CreateBackup(
    const v1::CreateBackupRequest& request) {
  return Unary(*backups_, &v1::BackupService::Stub::CreateBackup, request);
}

absl::StatusOr<v1::Profile> GrpcPollinatorClient::GetProfile(
    const v1::GetProfileRequest& request) {
  ::grpc::ClientContext context;
  SetDeadline(&context);
  v1::Profile response;
  ::grpc::Status status = profiles_->GetProfile(&context, request, &response);
  if (!status.ok()) return ToAbslStatus(status);
  return response;
}

absl::StatusOr<v1::DeleteProfileResponse> GrpcPollinatorClient::DeleteProfile(
    const v1::DeleteProfileRequest& request) {
  ::grpc::ClientContext context;
  SetDeadline(&context);
  v1::DeleteProfileResponse response;
  ::grpc::Status status =
      profiles_->DeleteProfile(&context, request, &response);
  if (!status.ok()) return ToAbslStatus(status);
  return response;
}

absl::StatusOr<v1::ListProfilesResponse> GrpcPollinatorClient::ListProfiles(
    const v1::ListProfilesRequest& request) {
  ::grpc::ClientContext context;
  SetDeadline(&context);
  v1::ListProfilesResponse response;
  ::grpc::Status status = profiles_->ListProfiles(&context, request, &response);
  if (!status.ok()) return ToAbslStatus(status);
  return response;
}

absl::StatusOr<v1::BulkUpsertResponse> GrpcPollinatorClient::BulkUpsert(
    absl::Span<const v1::UpsertProfileRequest> requests) {
  ::grpc::ClientContext context;
  SetDeadline(&context);
  v1::BulkUpsertResponse response;
  std::unique_ptr<::grpc::ClientWriter<v1::UpsertProfileRequest>> writer =
      profiles_->BulkUpsert(&context, &response);
  for (const v1::UpsertProfileRequest& request : requests) {
    // A failed write means the call is over; Finish() says why.
    if (!writer->Write(request)) break;
  }
  writer->WritesDone();
  ::grpc::Status status = writer->Finish();
  if (!status.ok()) return ToAbslStatus(status);
  return response;
}

absl::StatusOr<v1::FindPartnersResponse> GrpcPollinatorClient::FindPartners(
    const v1::FindPartnersRequest& request) {
  ::grpc::ClientContext context;
  SetDeadline(&context);
  v1::FindPartnersResponse response;
  ::grpc::Status status = matches_->FindPartners(&context, request, &response);
  if (!status.ok()) return ToAbslStatus(status);
  return response;
}

absl::StatusOr<v1::TrainRankerResponse> GrpcPollinatorClient::TrainRanker(
    const v1::TrainRankerRequest& request) {
  ::grpc::ClientContext context;
  SetDeadline(&context);
  v1::TrainRankerResponse response;
  ::grpc::Status status = matches_->TrainRanker(&context, request, &response);
  if (!status.ok()) return ToAbslStatus(status);
  return response;
}

absl::StatusOr<v1::RecordInteractionResponse>
GrpcPollinatorClient::RecordInteraction(
    const v1::RecordInteractionRequest& request) {
  ::grpc::ClientContext context;
  SetDeadline(&context);
  v1::RecordInteractionResponse response;
  ::grpc::Status status =
      interactions_->RecordInteraction(&context, request, &response);
  if (!status.ok()) return ToAbslStatus(status);
  return response;
}

absl::StatusOr<v1::ListInteractionsResponse>
GrpcPollinatorClient::ListInteractions(
    const v1::ListInteractionsRequest& request) {
  ::grpc::ClientContext context;
  SetDeadline(&context);
  v1::ListInteractionsResponse response;
  ::grpc::Status status =
      interactions_->ListInteractions(&context, request, &response);
  if (!status.ok()) return ToAbslStatus(status);
  return response;
}

absl::StatusOr<::grpc::health::v1::HealthCheckResponse>
GrpcPollinatorClient::CheckHealth(absl::string_view service) {
  ::grpc::ClientContext context;
  SetDeadline(&context);
  ::grpc::health::v1::HealthCheckRequest request;
  request.set_service(std::string(service));
  ::grpc::health::v1::HealthCheckResponse response;
  ::grpc::Status status = health_->Check(&context, request, &response);
  if (!status.ok()) return ToAbslStatus(status);
  return response;
}

}  // namespace pollinator
