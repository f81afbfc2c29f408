// API keys and tenants through the real gRPC server: a table of every RPC of
// every tenant-scoped service, called with no key, a wrong key, a revoked
// key, another tenant's key, a key of too low a role and the operator key,
// each checked for its code and for leaving the tenant unchanged; plus the
// operator's tenant management, key storage and dev mode.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "pollinator/v1/access.grpc.pb.h"
#include "pollinator/v1/challenge.grpc.pb.h"
#include "pollinator/v1/cohort.grpc.pb.h"
#include "pollinator/v1/ecosystem.grpc.pb.h"
#include "pollinator/v1/operations.grpc.pb.h"
#include "pollinator/v1/transfer.grpc.pb.h"
#include "data/rocksdb_store.h"
#include "tests/testing/grpc_server_fixture.h"
#include "tests/testing/profiles.h"

namespace pollinator::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kOperatorKey[] = "operator-key-for-tests-0123456789abcdef";
constexpr char kWrongKey[] = "pk_000000000000_0000000000000000000000000000000000000000000000000000000000000000";

// One RPC, called on tenant "alpha" with whatever key the context carries.
struct RpcCase {
  std::string method;  // "pollinator.v1.ProfileService/UpsertProfile"
  v1::KeyRole needs;
  std::function<grpc::Status(grpc::ClientContext&)> call;
};

class AccessControlTest : public GrpcServerTest {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_NO_FATAL_FAILURE(StartWithKeys());
    alpha_admin_ = CreateTenant("alpha");
    beta_admin_ = CreateTenant("beta");
    ASSERT_FALSE(alpha_admin_.empty());
    alpha_reader_ = CreateKey(alpha_admin_, v1::KEY_ROLE_READER);
    alpha_writer_ = CreateKey(alpha_admin_, v1::KEY_ROLE_WRITER);
    revoked_writer_ = CreateKey(alpha_admin_, v1::KEY_ROLE_WRITER);
    {
      grpc::ClientContext context;
      WithKey(context, alpha_admin_);
      v1::RevokeKeyRequest request;
      request.set_key_id(KeyIdOf(revoked_writer_));
      v1::RevokeKeyResponse response;
      ASSERT_TRUE(keys_->RevokeKey(&context, request, &response).ok());
    }
    // Alpha has data for reads to find and writes to change.
    for (const char* id : {"p1", "p2"}) {
      grpc::ClientContext context;
      WithKey(context, alpha_writer_);
      v1::UpsertProfileRequest request;
      *request.mutable_profile() = MakeProfile(id, v1::PROFILE_KIND_SMB, {"laser welding of battery cell tabs"},
                                              {"battery pack assembly and testing"});
      v1::UpsertProfileResponse response;
      ASSERT_TRUE(profiles_->UpsertProfile(&context, request, &response).ok());
    }
    {
      grpc::ClientContext context;
      WithKey(context, alpha_writer_);
      v1::RecordInteractionRequest request;
      request.mutable_interaction()->set_from_profile_id("p1");
      request.mutable_interaction()->set_to_profile_id("p2");
      request.mutable_interaction()->set_type(v1::INTERACTION_TYPE_CONTACTED);
      v1::RecordInteractionResponse response;
      ASSERT_TRUE(interactions_->RecordInteraction(&context, request, &response).ok());
    }
  }

  void StartWithKeys() {
    StartServer([](ServerOptions& options) {
      options.access.enforce = true;
      options.access.operator_key = kOperatorKey;
    });
    keys_ = v1::KeyService::NewStub(channel_);
    cohorts_ = v1::CohortService::NewStub(channel_);
    challenges_ = v1::ChallengeService::NewStub(channel_);
    ecosystem_ = v1::EcosystemService::NewStub(channel_);
    transfers_ = v1::TransferService::NewStub(channel_);
    tenants_ = v1::TenantService::NewStub(channel_);
    backups_ = v1::BackupService::NewStub(channel_);
  }

  static void WithKey(grpc::ClientContext& context, const std::string& key) {
    SetDeadline(context);
    if (!key.empty()) context.AddMetadata("authorization", "Bearer " + key);
  }

  static std::string KeyIdOf(const std::string& key) { return key.substr(3, 12); }

  // The new tenant's first admin key, or empty.
  std::string CreateTenant(const std::string& name) {
    grpc::ClientContext context;
    WithKey(context, kOperatorKey);
    v1::CreateTenantRequest request;
    request.set_name(name);
    v1::CreateTenantResponse response;
    grpc::Status status = tenants_->CreateTenant(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.admin_key().secret();
  }

  std::string CreateKey(const std::string& admin_key, v1::KeyRole role) {
    grpc::ClientContext context;
    WithKey(context, admin_key);
    v1::CreateKeyRequest request;
    request.set_role(role);
    request.set_label("test");
    v1::CreateKeyResponse response;
    grpc::Status status = keys_->CreateKey(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.secret();
  }

  // Everything of a tenant a call could change, as text.
  std::string Snapshot(const std::string& tenant) {
    std::string text;
    absl::StatusOr<ProfilePage> page = server_->catalog().List(tenant, 1000, "");
    if (page.ok()) {
      for (const v1::Profile& profile : page->profiles) absl::StrAppend(&text, profile.ShortDebugString(), "\n");
    }
    absl::StatusOr<std::vector<v1::Interaction>> interactions = server_->catalog().AllInteractions(tenant);
    if (interactions.ok()) {
      for (const v1::Interaction& interaction : *interactions) {
        absl::StrAppend(&text, interaction.ShortDebugString(), "\n");
      }
    }
    for (const v1::ApiKey& key : server_->access().ListKeys(tenant)) {
      absl::StrAppend(&text, key.ShortDebugString(), "\n");
    }
    for (const v1::RegisteredTenant& registered : server_->access().RegisteredTenants()) {
      absl::StrAppend(&text, registered.ShortDebugString(), "\n");
    }
    return text;
  }

  // Every RPC of the tenant-scoped services, aimed at tenant "alpha".
  std::vector<RpcCase> TenantRpcs() {
    std::vector<RpcCase> cases;
    auto add = [&](const std::string& method, v1::KeyRole needs, std::function<grpc::Status(grpc::ClientContext&)> call) {
      cases.push_back({method, needs, std::move(call)});
    };
    add("pollinator.v1.ProfileService/UpsertProfile", v1::KEY_ROLE_WRITER, [this](grpc::ClientContext& context) {
      v1::UpsertProfileRequest request;
      request.set_tenant("alpha");
      *request.mutable_profile() = MakeProfile("p3", v1::PROFILE_KIND_UNIVERSITY, {"industrial partners"},
                                              {"battery cell testing laboratory"});
      v1::UpsertProfileResponse response;
      return profiles_->UpsertProfile(&context, request, &response);
    });
    add("pollinator.v1.ProfileService/GetProfile", v1::KEY_ROLE_READER, [this](grpc::ClientContext& context) {
      v1::GetProfileRequest request;
      request.set_tenant("alpha");
      request.set_id("p1");
      v1::Profile response;
      return profiles_->GetProfile(&context, request, &response);
    });
    add("pollinator.v1.ProfileService/DeleteProfile", v1::KEY_ROLE_WRITER, [this](grpc::ClientContext& context) {
      v1::DeleteProfileRequest request;
      request.set_tenant("alpha");
      request.set_id("p3");  // made by UpsertProfile when the right key calls both
      v1::DeleteProfileResponse response;
      return profiles_->DeleteProfile(&context, request, &response);
    });
    add("pollinator.v1.ProfileService/ListProfiles", v1::KEY_ROLE_READER, [this](grpc::ClientContext& context) {
      v1::ListProfilesRequest request;
      request.set_tenant("alpha");
      v1::ListProfilesResponse response;
      return profiles_->ListProfiles(&context, request, &response);
    });
    add("pollinator.v1.ProfileService/BulkUpsert", v1::KEY_ROLE_WRITER, [this](grpc::ClientContext& context) {
      v1::BulkUpsertResponse response;
      auto writer = profiles_->BulkUpsert(&context, &response);
      v1::UpsertProfileRequest request;
      request.set_tenant("alpha");
      *request.mutable_profile() = MakeProfile("p4", v1::PROFILE_KIND_SMB, {"funding"}, {"welding"});
      writer->Write(request);
      writer->WritesDone();
      grpc::Status status = writer->Finish();
      // An item refused inside an accepted stream is reported per item.
      if (status.ok() && !response.errors().empty()) {
        return grpc::Status(static_cast<grpc::StatusCode>(response.errors(0).code()), response.errors(0).message());
      }
      return status;
    });
    add("pollinator.v1.MatchService/FindPartners", v1::KEY_ROLE_READER, [this](grpc::ClientContext& context) {
      v1::FindPartnersRequest request;
      request.set_tenant("alpha");
      request.set_profile_id("p1");
      v1::FindPartnersResponse response;
      return matches_->FindPartners(&context, request, &response);
    });
    add("pollinator.v1.MatchService/TrainRanker", v1::KEY_ROLE_ADMIN, [this](grpc::ClientContext& context) {
      v1::TrainRankerRequest request;
      request.set_tenant("alpha");
      v1::TrainRankerResponse response;
      return matches_->TrainRanker(&context, request, &response);
    });
    add("pollinator.v1.InteractionService/RecordInteraction", v1::KEY_ROLE_WRITER,
        [this](grpc::ClientContext& context) {
          v1::RecordInteractionRequest request;
          request.set_tenant("alpha");
          request.mutable_interaction()->set_from_profile_id("p2");
          request.mutable_interaction()->set_to_profile_id("p1");
          request.mutable_interaction()->set_type(v1::INTERACTION_TYPE_ACCEPTED);
          v1::RecordInteractionResponse response;
          return interactions_->RecordInteraction(&context, request, &response);
        });
    add("pollinator.v1.InteractionService/RecordInteractions", v1::KEY_ROLE_WRITER,
        [this](grpc::ClientContext& context) {
          v1::RecordInteractionsRequest request;
          request.set_tenant("alpha");
          v1::Interaction* interaction = request.add_interactions();
          interaction->set_from_profile_id("p2");
          interaction->set_to_profile_id("p1");
          interaction->set_type(v1::INTERACTION_TYPE_COLLABORATED);
          v1::RecordInteractionsResponse response;
          return interactions_->RecordInteractions(&context, request, &response);
        });
    add("pollinator.v1.InteractionService/ListInteractions", v1::KEY_ROLE_READER,
        [this](grpc::ClientContext& context) {
          v1::ListInteractionsRequest request;
          request.set_tenant("alpha");
          request.set_profile_id("p1");
          v1::ListInteractionsResponse response;
          return interactions_->ListInteractions(&context, request, &response);
        });
    add("pollinator.v1.CohortService/ScreenCohort", v1::KEY_ROLE_READER, [this](grpc::ClientContext& context) {
      v1::ScreenCohortRequest request;
      request.set_tenant("alpha");
      request.add_cohort("p1");
      v1::ScreenCohortResponse response;
      return cohorts_->ScreenCohort(&context, request, &response);
    });
    add("pollinator.v1.ChallengeService/FindSolvers", v1::KEY_ROLE_READER, [this](grpc::ClientContext& context) {
      v1::FindSolversRequest request;
      request.set_tenant("alpha");
      request.set_profile_id("p1");
      request.set_need_id("n1");
      v1::FindSolversResponse response;
      return challenges_->FindSolvers(&context, request, &response);
    });
    add("pollinator.v1.ChallengeService/FindChallenges", v1::KEY_ROLE_READER, [this](grpc::ClientContext& context) {
      v1::FindChallengesRequest request;
      request.set_tenant("alpha");
      request.set_profile_id("p1");
      v1::FindChallengesResponse response;
      return challenges_->FindChallenges(&context, request, &response);
    });
    add("pollinator.v1.EcosystemService/AnalyzeEcosystem", v1::KEY_ROLE_READER, [this](grpc::ClientContext& context) {
      v1::AnalyzeEcosystemRequest request;
      request.set_tenant("alpha");
      v1::AnalyzeEcosystemResponse response;
      return ecosystem_->AnalyzeEcosystem(&context, request, &response);
    });
    add("pollinator.v1.TransferService/ExportTenant", v1::KEY_ROLE_READER, [this](grpc::ClientContext& context) {
      v1::ExportTenantRequest request;
      request.set_tenant("alpha");
      auto reader = transfers_->ExportTenant(&context, request);
      v1::TransferRecord record;
      while (reader->Read(&record)) {
      }
      return reader->Finish();
    });
    add("pollinator.v1.TransferService/ExportProfile", v1::KEY_ROLE_READER, [this](grpc::ClientContext& context) {
      v1::ExportProfileRequest request;
      request.set_tenant("alpha");
      request.set_id("p1");
      auto reader = transfers_->ExportProfile(&context, request);
      v1::TransferRecord record;
      while (reader->Read(&record)) {
      }
      return reader->Finish();
    });
    add("pollinator.v1.TransferService/ImportInteractions", v1::KEY_ROLE_WRITER,
        [this](grpc::ClientContext& context) {
          v1::ImportInteractionsRequest request;
          request.set_tenant("alpha");
          v1::Interaction* interaction = request.add_interactions();
          interaction->set_from_profile_id("p1");
          interaction->set_to_profile_id("p2");
          interaction->set_type(v1::INTERACTION_TYPE_SHOWN);
          interaction->set_sequence(100);  // after whatever the other cases record
          interaction->set_recorded_at_unix_ms(1700000000000);
          v1::ImportInteractionsResponse response;
          return transfers_->ImportInteractions(&context, request, &response);
        });
    add("pollinator.v1.KeyService/CreateKey", v1::KEY_ROLE_ADMIN, [this](grpc::ClientContext& context) {
      v1::CreateKeyRequest request;
      request.set_tenant("alpha");
      request.set_role(v1::KEY_ROLE_READER);
      v1::CreateKeyResponse response;
      return keys_->CreateKey(&context, request, &response);
    });
    add("pollinator.v1.KeyService/ListKeys", v1::KEY_ROLE_ADMIN, [this](grpc::ClientContext& context) {
      v1::ListKeysRequest request;
      request.set_tenant("alpha");
      v1::ListKeysResponse response;
      return keys_->ListKeys(&context, request, &response);
    });
    add("pollinator.v1.KeyService/RevokeKey", v1::KEY_ROLE_ADMIN, [this](grpc::ClientContext& context) {
      v1::RevokeKeyRequest request;
      request.set_tenant("alpha");
      request.set_key_id(KeyIdOf(alpha_reader_));
      v1::RevokeKeyResponse response;
      return keys_->RevokeKey(&context, request, &response);
    });
    return cases;
  }

  // Every RPC of TenantService, all of which need the operator key.
  std::vector<RpcCase> OperatorRpcs() {
    std::vector<RpcCase> cases;
    cases.push_back({"pollinator.v1.TenantService/CreateTenant", v1::KEY_ROLE_UNSPECIFIED,
                     [this](grpc::ClientContext& context) {
                       v1::CreateTenantRequest request;
                       request.set_name("gamma");
                       v1::CreateTenantResponse response;
                       return tenants_->CreateTenant(&context, request, &response);
                     }});
    cases.push_back({"pollinator.v1.TenantService/ListTenants", v1::KEY_ROLE_UNSPECIFIED,
                     [this](grpc::ClientContext& context) {
                       v1::ListTenantsResponse response;
                       return tenants_->ListTenants(&context, v1::ListTenantsRequest(), &response);
                     }});
    cases.push_back({"pollinator.v1.TenantService/SetTenantSuspended", v1::KEY_ROLE_UNSPECIFIED,
                     [this](grpc::ClientContext& context) {
                       v1::SetTenantSuspendedRequest request;
                       request.set_name("alpha");
                       request.set_suspended(true);
                       v1::Tenant response;
                       return tenants_->SetTenantSuspended(&context, request, &response);
                     }});
    cases.push_back({"pollinator.v1.TenantService/DeleteTenant", v1::KEY_ROLE_UNSPECIFIED,
                     [this](grpc::ClientContext& context) {
                       v1::DeleteTenantRequest request;
                       request.set_name("alpha");
                       v1::DeleteTenantResponse response;
                       return tenants_->DeleteTenant(&context, request, &response);
                     }});
    // Refused before it looks for --backup_dir (which this server lacks).
    cases.push_back({"pollinator.v1.BackupService/CreateBackup", v1::KEY_ROLE_UNSPECIFIED,
                     [this](grpc::ClientContext& context) {
                       v1::CreateBackupRequest request;
                       request.set_name("b1");
                       v1::CreateBackupResponse response;
                       return backups_->CreateBackup(&context, request, &response);
                     }});
    return cases;
  }

  // Calls `rpc` with `key` and expects `code` and no change to any tenant.
  void ExpectRefused(const RpcCase& rpc, const std::string& key, const std::string& key_name,
                     grpc::StatusCode code) {
    const std::string alpha_before = Snapshot("alpha");
    const std::string beta_before = Snapshot("beta");
    grpc::ClientContext context;
    WithKey(context, key);
    const grpc::Status status = rpc.call(context);
    EXPECT_EQ(status.error_code(), code) << rpc.method << " with " << key_name << ": " << status.error_message();
    EXPECT_EQ(Snapshot("alpha"), alpha_before) << rpc.method << " with " << key_name << " changed tenant alpha";
    EXPECT_EQ(Snapshot("beta"), beta_before) << rpc.method << " with " << key_name << " changed tenant beta";
    ++refusals_checked_;
  }

  std::string KeyWithRole(v1::KeyRole role) const {
    switch (role) {
      case v1::KEY_ROLE_READER:
        return alpha_reader_;
      case v1::KEY_ROLE_WRITER:
        return alpha_writer_;
      default:
        return alpha_admin_;
    }
  }

  std::unique_ptr<v1::KeyService::Stub> keys_;
  std::unique_ptr<v1::CohortService::Stub> cohorts_;
  std::unique_ptr<v1::ChallengeService::Stub> challenges_;
  std::unique_ptr<v1::EcosystemService::Stub> ecosystem_;
  std::unique_ptr<v1::TransferService::Stub> transfers_;
  std::unique_ptr<v1::TenantService::Stub> tenants_;
  std::unique_ptr<v1::BackupService::Stub> backups_;
  std::string alpha_admin_, alpha_reader_, alpha_writer_, revoked_writer_, beta_admin_;
  int refusals_checked_ = 0;
};

// Method names of `service`, as "package.Service/Method".
std::set<std::string> MethodsOf(const google::protobuf::ServiceDescriptor* service) {
  std::set<std::string> methods;
  for (int i = 0; i < service->method_count(); ++i) {
    methods.insert(absl::StrCat(service->full_name(), "/", service->method(i)->name()));
  }
  return methods;
}

TEST_F(AccessControlTest, TheTablesCoverEveryRpcOfEveryService) {
  std::set<std::string> expected;
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const char* name : {"pollinator.v1.ProfileService", "pollinator.v1.MatchService",
                           "pollinator.v1.InteractionService", "pollinator.v1.CohortService",
                           "pollinator.v1.ChallengeService", "pollinator.v1.EcosystemService",
                           "pollinator.v1.TransferService", "pollinator.v1.KeyService",
                           "pollinator.v1.TenantService", "pollinator.v1.BackupService"}) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    const std::set<std::string> methods = MethodsOf(service);
    expected.insert(methods.begin(), methods.end());
  }
  std::set<std::string> covered;
  for (const RpcCase& rpc : TenantRpcs()) covered.insert(rpc.method);
  for (const RpcCase& rpc : OperatorRpcs()) covered.insert(rpc.method);
  EXPECT_EQ(covered, expected);
}

TEST_F(AccessControlTest, EveryTenantRpcRefusesBadKeysAndChangesNothing) {
  for (const RpcCase& rpc : TenantRpcs()) {
    ExpectRefused(rpc, "", "no key", grpc::StatusCode::UNAUTHENTICATED);
    ExpectRefused(rpc, "not-a-key", "a malformed key", grpc::StatusCode::UNAUTHENTICATED);
    ExpectRefused(rpc, kWrongKey, "a wrong key", grpc::StatusCode::UNAUTHENTICATED);
    ExpectRefused(rpc, revoked_writer_, "a revoked key", grpc::StatusCode::UNAUTHENTICATED);
    ExpectRefused(rpc, beta_admin_, "another tenant's admin key", grpc::StatusCode::PERMISSION_DENIED);
    ExpectRefused(rpc, kOperatorKey, "the operator key", grpc::StatusCode::PERMISSION_DENIED);
    if (rpc.needs >= v1::KEY_ROLE_WRITER) {
      ExpectRefused(rpc, alpha_reader_, "a reader key", grpc::StatusCode::PERMISSION_DENIED);
    }
    if (rpc.needs >= v1::KEY_ROLE_ADMIN) {
      ExpectRefused(rpc, alpha_writer_, "a writer key", grpc::StatusCode::PERMISSION_DENIED);
    }
  }
  // 20 RPCs x 6 keys, 10 of them refused to readers, 4 of those to writers.
  EXPECT_EQ(refusals_checked_, 20 * 6 + 10 + 4);
}

TEST_F(AccessControlTest, EveryOperatorRpcRefusesMissingWrongAndTenantKeys) {
  for (const RpcCase& rpc : OperatorRpcs()) {
    ExpectRefused(rpc, "", "no key", grpc::StatusCode::UNAUTHENTICATED);
    ExpectRefused(rpc, kWrongKey, "a wrong key", grpc::StatusCode::UNAUTHENTICATED);
    ExpectRefused(rpc, "operator-key-for-tests-0123456789abcdeX", "a near-miss operator key",
                  grpc::StatusCode::UNAUTHENTICATED);
    ExpectRefused(rpc, alpha_admin_, "a tenant admin key", grpc::StatusCode::PERMISSION_DENIED);
  }
}

TEST_F(AccessControlTest, TheLowestSufficientRoleIsAllowedEveryTenantRpc) {
  for (const RpcCase& rpc : TenantRpcs()) {
    grpc::ClientContext context;
    WithKey(context, KeyWithRole(rpc.needs));
    const grpc::Status status = rpc.call(context);
    // TrainRanker refuses a history this thin, and FindSolvers a need that
    // is no challenge: both past authorisation.
    if (rpc.method == "pollinator.v1.MatchService/TrainRanker" ||
        rpc.method == "pollinator.v1.ChallengeService/FindSolvers") {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
    } else {
      EXPECT_TRUE(status.ok()) << rpc.method << ": " << status.error_message();
    }
  }
}

TEST_F(AccessControlTest, AnEmptyTenantFieldMeansTheKeysTenant) {
  grpc::ClientContext context;
  WithKey(context, alpha_reader_);
  v1::GetProfileRequest request;
  request.set_id("p1");
  v1::Profile profile;
  ASSERT_TRUE(profiles_->GetProfile(&context, request, &profile).ok());
  EXPECT_EQ(profile.id(), "p1");

  grpc::ClientContext beta_context;
  WithKey(beta_context, beta_admin_);
  const grpc::Status status = profiles_->GetProfile(&beta_context, request, &profile);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << "beta has no p1: " << status.error_message();
}

TEST_F(AccessControlTest, ErrorsSayWhatIsWrong) {
  grpc::ClientContext context;
  WithKey(context, beta_admin_);
  v1::GetProfileRequest request;
  request.set_tenant("alpha");
  request.set_id("p1");
  v1::Profile profile;
  grpc::Status status = profiles_->GetProfile(&context, request, &profile);
  EXPECT_THAT(status.error_message(), HasSubstr("belongs to tenant \"beta\", not \"alpha\""));

  grpc::ClientContext reader_context;
  WithKey(reader_context, alpha_reader_);
  v1::DeleteProfileRequest delete_request;
  delete_request.set_id("p1");
  v1::DeleteProfileResponse deleted;
  status = profiles_->DeleteProfile(&reader_context, delete_request, &deleted);
  EXPECT_THAT(status.error_message(), HasSubstr("needs a writer key"));

  grpc::ClientContext bare_context;
  SetDeadline(bare_context);
  status = profiles_->GetProfile(&bare_context, request, &profile);
  EXPECT_THAT(status.error_message(), HasSubstr("authorization: Bearer <key>"));
}

TEST_F(AccessControlTest, AnUnregisteredTenantCannotBeReachedOrCreatedByWriting) {
  // No key belongs to "alpah": a typo is refused, never a new tenant.
  grpc::ClientContext context;
  WithKey(context, alpha_writer_);
  v1::UpsertProfileRequest request;
  request.set_tenant("alpah");
  *request.mutable_profile() = MakeProfile("p9", v1::PROFILE_KIND_SMB, {"x-ray inspection"}, {});
  v1::UpsertProfileResponse response;
  EXPECT_EQ(profiles_->UpsertProfile(&context, request, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const std::vector<std::string> names = server_->catalog().TenantNames();
  EXPECT_THAT(names, ::testing::Not(::testing::Contains("alpah")));
}

TEST_F(AccessControlTest, ASuspendedTenantIsRefusedUntilResumed) {
  auto suspend = [&](bool suspended) {
    grpc::ClientContext context;
    WithKey(context, kOperatorKey);
    v1::SetTenantSuspendedRequest request;
    request.set_name("alpha");
    request.set_suspended(suspended);
    v1::Tenant tenant;
    ASSERT_TRUE(tenants_->SetTenantSuspended(&context, request, &tenant).ok());
    EXPECT_EQ(tenant.suspended(), suspended);
    EXPECT_EQ(tenant.profiles(), 2);
  };
  auto get = [&] {
    grpc::ClientContext context;
    WithKey(context, alpha_admin_);
    v1::GetProfileRequest request;
    request.set_id("p1");
    v1::Profile profile;
    return profiles_->GetProfile(&context, request, &profile);
  };
  suspend(true);
  const grpc::Status refused = get();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(refused.error_message(), HasSubstr("suspended"));
  suspend(false);
  EXPECT_TRUE(get().ok());
}

TEST_F(AccessControlTest, DeletingATenantRemovesItsDataKeysAndIndexFile) {
  ASSERT_TRUE(server_->catalog().SaveIndexes().ok());
  const auto index_files = [&] {
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.Sub("index"))) files += entry.is_regular_file();
    return files;
  };
  ASSERT_EQ(index_files(), 1);  // alpha's; beta has no data

  grpc::ClientContext context;
  WithKey(context, kOperatorKey);
  v1::DeleteTenantRequest request;
  request.set_name("alpha");
  v1::DeleteTenantResponse response;
  ASSERT_TRUE(tenants_->DeleteTenant(&context, request, &response).ok());
  EXPECT_EQ(response.profiles(), 2);
  EXPECT_EQ(response.interactions(), 1);
  EXPECT_EQ(response.keys(), 4);  // admin, reader, writer and the revoked one
  EXPECT_EQ(index_files(), 0);

  // Its keys are dead, its name can be registered again, and it is empty,
  // also after a restart (nothing of it is left in RocksDB).
  grpc::ClientContext old_key;
  WithKey(old_key, alpha_admin_);
  v1::ListProfilesRequest list;
  v1::ListProfilesResponse listed;
  EXPECT_EQ(profiles_->ListProfiles(&old_key, list, &listed).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  StopServer();
  StartWithKeys();
  EXPECT_THAT(server_->catalog().TenantNames(), ::testing::Not(::testing::Contains("alpha")));
  EXPECT_TRUE(server_->access().ListKeys("alpha").empty());
  const std::string new_admin = CreateTenant("alpha");
  grpc::ClientContext fresh;
  WithKey(fresh, new_admin);
  ASSERT_TRUE(profiles_->ListProfiles(&fresh, list, &listed).ok());
  EXPECT_EQ(listed.profiles_size(), 0);
  // Beta was left alone.
  EXPECT_FALSE(server_->access().ListKeys("beta").empty());

  grpc::ClientContext again;
  WithKey(again, kOperatorKey);
  request.set_name("no-such-tenant");
  EXPECT_EQ(tenants_->DeleteTenant(&again, request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(AccessControlTest, AWriteAuthorisedBeforeItsTenantWasDeletedCannotBringItBack) {
  grpc::ClientContext context;
  WithKey(context, kOperatorKey);
  v1::DeleteTenantRequest request;
  request.set_name("alpha");
  v1::DeleteTenantResponse response;
  ASSERT_TRUE(tenants_->DeleteTenant(&context, request, &response).ok());
  // A call that passed its key check just before the deletion reaches the
  // catalog afterwards: the write guard refuses it under the tenant's lock.
  EXPECT_THAT(server_->catalog().Upsert("alpha", MakeProfile("late", v1::PROFILE_KIND_SMB, {"welding"}, {})),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not registered")));
  v1::Interaction late;
  late.set_from_profile_id("p1");
  late.set_to_profile_id("p2");
  late.set_type(v1::INTERACTION_TYPE_SHOWN);
  EXPECT_FALSE(server_->catalog().RecordInteraction("alpha", late).ok());
  EXPECT_THAT(server_->catalog().TenantNames(), ::testing::Not(::testing::Contains("alpha")));
}

TEST_F(AccessControlTest, ASecondDeletionOfTheSameTenantIsAbortedWhileTheFirstRuns) {
  ASSERT_TRUE(server_->access().BeginDeletion("alpha").ok());
  grpc::ClientContext context;
  WithKey(context, kOperatorKey);
  v1::DeleteTenantRequest request;
  request.set_name("alpha");
  v1::DeleteTenantResponse response;
  EXPECT_EQ(tenants_->DeleteTenant(&context, request, &response).error_code(), grpc::StatusCode::ABORTED);
  // Nor can anything be written meanwhile.
  EXPECT_FALSE(server_->access().MayWrite("alpha"));
  server_->access().EndDeletion("alpha", false);
  EXPECT_TRUE(server_->access().MayWrite("alpha"));
  EXPECT_EQ(Snapshot("alpha").empty(), false);
}

TEST_F(AccessControlTest, KeysSurviveARestartAndAreStoredOnlyAsHashes) {
  StopServer();
  // The secrets appear nowhere in the database files.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.Sub("db"))) {
    if (!entry.is_regular_file()) continue;
    std::ifstream file(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    for (const std::string& key : {alpha_admin_, alpha_reader_, alpha_writer_, beta_admin_}) {
      EXPECT_EQ(bytes.find(key.substr(16)), std::string::npos) << entry.path() << " holds a key's secret";
    }
  }
  StartWithKeys();
  grpc::ClientContext context;
  WithKey(context, alpha_reader_);
  v1::GetProfileRequest request;
  request.set_id("p1");
  v1::Profile profile;
  EXPECT_TRUE(profiles_->GetProfile(&context, request, &profile).ok());
  grpc::ClientContext revoked;
  WithKey(revoked, revoked_writer_);
  EXPECT_EQ(profiles_->GetProfile(&revoked, request, &profile).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AccessControlTest, ListTenantsShowsCountsAndKeysAndCreateRefusesADuplicate) {
  grpc::ClientContext context;
  WithKey(context, kOperatorKey);
  v1::ListTenantsResponse response;
  ASSERT_TRUE(tenants_->ListTenants(&context, v1::ListTenantsRequest(), &response).ok());
  ASSERT_EQ(response.tenants_size(), 2);
  EXPECT_EQ(response.tenants(0).name(), "alpha");
  EXPECT_EQ(response.tenants(0).profiles(), 2);
  EXPECT_EQ(response.tenants(0).interactions(), 1);
  EXPECT_EQ(response.tenants(0).active_keys(), 3);
  EXPECT_TRUE(response.tenants(0).registered());
  EXPECT_EQ(response.tenants(1).name(), "beta");

  grpc::ClientContext duplicate;
  WithKey(duplicate, kOperatorKey);
  v1::CreateTenantRequest request;
  request.set_name("beta");
  v1::CreateTenantResponse created;
  EXPECT_EQ(tenants_->CreateTenant(&duplicate, request, &created).error_code(), grpc::StatusCode::ALREADY_EXISTS);
}

TEST(AccessOptionsTest, DevModeMakesNoKeysOrTenants) {
  // A key made without enforcement would start working once keys are on.
  TempDir dir;
  StoreOptions store_options;
  store_options.path = dir.Sub("db");
  absl::StatusOr<std::unique_ptr<RocksDbStore>> store = RocksDbStore::Open(store_options);
  ASSERT_THAT(store, IsOk());
  AccessOptions options;
  options.enforce = false;
  absl::StatusOr<std::unique_ptr<AccessControl>> access = AccessControl::Open(store->get(), options);
  ASSERT_THAT(access, IsOk());
  EXPECT_THAT((*access)->CreateKey("t", v1::KEY_ROLE_ADMIN, ""), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT((*access)->RegisterTenant("t", ""), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE((*access)->MayWrite("t"));
}

TEST(AccessOptionsTest, DevModeListensOnlyOnLoopbackAndKeysNeedAnOperatorKey) {
  ServerOptions options;
  options.access.enforce = false;
  for (const char* loopback : {"127.0.0.1:0", "localhost:50051", "[::1]:1"}) {
    options.listen = loopback;
    EXPECT_THAT(options.Validate(), IsOk()) << loopback;
  }
  for (const char* open : {"0.0.0.0:50051", "[::]:50051", "10.1.2.3:50051", "127.example.com:50051"}) {
    options.listen = open;
    EXPECT_THAT(options.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("loopback"))) << open;
  }
  options.access.enforce = true;
  options.listen = "0.0.0.0:50051";
  EXPECT_THAT(options.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("operator key: missing")));
  options.access.operator_key = "short";
  EXPECT_THAT(options.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("too short")));
  options.access.operator_key = kOperatorKey;
  EXPECT_THAT(options.Validate(), IsOk());
}

TEST(ServerPortTest, ASecondServerOnABusyPortFailsToStart) {
  TempDir first_dir, second_dir;
  ServerOptions options;
  options.access.enforce = false;
  options.listen = "127.0.0.1:0";
  options.data_dir = first_dir.path();
  absl::StatusOr<std::unique_ptr<PollinatorServer>> first = PollinatorServer::Start(options);
  ASSERT_THAT(first, IsOk());
  options.listen = absl::StrCat("127.0.0.1:", (*first)->port());
  options.data_dir = second_dir.path();
  absl::StatusOr<std::unique_ptr<PollinatorServer>> second = PollinatorServer::Start(options);
  EXPECT_THAT(second, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("cannot bind")));
}

}  // namespace
}  // namespace pollinator::testing
