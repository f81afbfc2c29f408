// In-process end-to-end tests of Pollinator's public gRPC API: every RPC of
// ProfileService and MatchService with its success path and its error codes,
// and grpc.health.v1.Health. Each test starts a real PollinatorServer on a
// fresh temporary data_dir (listening on 127.0.0.1:0) and talks to it through
// stubs on InProcessChannel(), so requests go through gRPC serialisation,
// the callback handlers, the Catalog, RocksDB and FAISS.
//
// Server reflection is not tested here: Debian 12 ships the server plugin
// (libgrpc++_reflection) but not the client-side
// proto_reflection_descriptor_database.h.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "pollinator/v1/service.grpc.pb.h"
#include "services/server.h"
#include "tests/testing/grpc_matchers.h"
#include "tests/testing/grpc_server_fixture.h"
#include "tests/testing/profiles.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/suggestions.h"

namespace pollinator {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::pollinator::testing::GrpcOk;
using ::pollinator::testing::GrpcStatusIs;
using ::pollinator::testing::MakeProfile;
using ::pollinator::testing::PartnerIds;
using ::pollinator::testing::SetLocation;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Le;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

constexpr char kTenant[] = "assoc-1";
// A tenant whose vectors come from the client (dimension 4).
constexpr char kVectorTenant[] = "assoc-vectors";
constexpr char kBatteryNeed[] = "pilot line for lithium battery cathode coating";
constexpr char kBatteryOffer[] = "battery cell pilot line with cathode coating and calendering";

v1::Date MakeDate(int year, int month, int day) {
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

// A profile with one need and/or one offer (empty text: none), ids n1 / o1.
v1::Profile Actor(const std::string& id, v1::ProfileKind kind, const std::string& need, const std::string& offer,
                  v1::Component offer_component = v1::COMPONENT_UNSPECIFIED) {
  std::vector<std::string> needs, offers;
  if (!need.empty()) needs.push_back(need);
  if (!offer.empty()) offers.push_back(offer);
  v1::Profile profile = MakeProfile(id, kind, needs, offers);
  if (!offer.empty()) profile.mutable_offers(0)->set_component(offer_component);
  return profile;
}

// A profile of the client-vector tenant: one need and one offer with the
// given 4-d vectors.
v1::Profile VectorActor(const std::string& id, const std::vector<float>& need, const std::vector<float>& offer) {
  v1::Profile profile = MakeProfile(id, v1::PROFILE_KIND_SMB, {"need of " + id}, {"offer of " + id});
  profile.mutable_needs(0)->mutable_vector()->Add(need.begin(), need.end());
  profile.mutable_offers(0)->mutable_vector()->Add(offer.begin(), offer.end());
  return profile;
}

// One real server per test (see GrpcServerTest), plus request builders.
class EndToEndTest : public testing::GrpcServerTest {
 protected:
  // Upserts and fails the test (not only this helper) on error; call through
  // ASSERT_NO_FATAL_FAILURE when later steps depend on it.
  void MustUpsert(const std::string& tenant, const v1::Profile& profile) {
    ASSERT_THAT(Upsert(tenant, profile), GrpcOk()) << "upserting " << profile.id();
  }

  grpc::Status List(const std::string& tenant, int page_size, const std::string& page_token,
                    v1::ListProfilesResponse* response) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::ListProfilesRequest request;
    request.set_tenant(tenant);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    return profiles_->ListProfiles(&context, request, response);
  }

  // Every profile id of `tenant` in list order (one page of up to 1000).
  std::vector<std::string> ListIds(const std::string& tenant) {
    v1::ListProfilesResponse response;
    grpc::Status status = List(tenant, 1000, "", &response);
    EXPECT_THAT(status, GrpcOk());
    EXPECT_THAT(response.next_page_token(), IsEmpty());
    std::vector<std::string> ids;
    for (const v1::Profile& profile : response.profiles()) ids.push_back(profile.id());
    return ids;
  }

  // Requests for every candidate: these tests are about the API (filters,
  // top_k, directions), so the relevance floor is off. The floor has its
  // own tests (relevance_test.cc), which leave it at the default.
  static v1::FindPartnersRequest ByProfile(const std::string& tenant, const std::string& profile_id) {
    v1::FindPartnersRequest request;
    request.set_tenant(tenant);
    request.set_profile_id(profile_id);
    request.set_top_k(100);
    request.set_min_relevance(0);
    return request;
  }

  static v1::FindPartnersRequest ByText(const std::string& tenant, const std::string& text) {
    v1::FindPartnersRequest request;
    request.set_tenant(tenant);
    request.set_text(text);
    request.set_top_k(100);
    request.set_min_relevance(0);
    return request;
  }

  static v1::FindPartnersRequest ByVector(const std::string& tenant, const std::vector<float>& values) {
    v1::FindPartnersRequest request;
    request.set_tenant(tenant);
    request.mutable_vector()->mutable_values()->Add(values.begin(), values.end());
    request.set_top_k(100);
    request.set_min_relevance(0);
    return request;
  }

  // Partner ids of a request that must succeed.
  std::vector<std::string> FindIds(const v1::FindPartnersRequest& request) {
    v1::FindPartnersResponse response;
    EXPECT_THAT(Find(request, &response), GrpcOk());
    return PartnerIds(response);
  }

};

// ---------------------------------------------------------------------------
// ProfileService.UpsertProfile

class ProfileServiceEndToEndTest : public EndToEndTest {
 protected:
  // One profile in kTenant, so that "List unchanged" compares a real list.
  void SeedExisting() {
    ASSERT_NO_FATAL_FAILURE(
        MustUpsert(kTenant, Actor("existing", v1::PROFILE_KIND_SMB, "", "contract machining of aluminium parts")));
    ASSERT_THAT(ListIds(kTenant), ElementsAre("existing"));
  }

  // Fixes kVectorTenant at dimension 4 with one profile.
  void SeedVectorTenant() {
    ASSERT_NO_FATAL_FAILURE(MustUpsert(kVectorTenant, VectorActor("first", {1, 0, 0, 0}, {0, 1, 0, 0})));
  }

  // The upsert is INVALID_ARGUMENT naming `field`, and neither kTenant's list
  // nor the profile id in `tenant` shows any trace of it.
  void ExpectRejectedWithoutWrite(const std::string& tenant, const v1::Profile& profile, const std::string& field) {
    const std::vector<std::string> before = ListIds(kTenant);
    EXPECT_THAT(Upsert(tenant, profile), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr(field)));
    EXPECT_EQ(ListIds(kTenant), before);
    if (!tenant.empty()) EXPECT_THAT(ListIds(tenant), Not(Contains(profile.id())));
  }
};

TEST_F(ProfileServiceEndToEndTest, UpsertReportsCreatedThenReplaced) {
  const v1::Profile profile = Actor("acme", v1::PROFILE_KIND_SMB, kBatteryNeed, "");
  v1::UpsertProfileResponse first;
  ASSERT_THAT(Upsert(kTenant, profile, &first), GrpcOk());
  EXPECT_TRUE(first.created());

  v1::UpsertProfileResponse second;
  ASSERT_THAT(Upsert(kTenant, profile, &second), GrpcOk());
  EXPECT_FALSE(second.created());
  EXPECT_THAT(ListIds(kTenant), ElementsAre("acme"));
}

TEST_F(ProfileServiceEndToEndTest, UpsertReplaceSwapsNeedsAtomically) {
  constexpr char kCloudNeed[] = "managed kubernetes hosting for our web shop";
  ASSERT_NO_FATAL_FAILURE(MustUpsert(
      kTenant, Actor("battery-lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE, "", kBatteryOffer)));
  ASSERT_NO_FATAL_FAILURE(MustUpsert(
      kTenant, Actor("cloud", v1::PROFILE_KIND_STARTUP, "", "managed kubernetes hosting and devops for web shops")));
  ASSERT_NO_FATAL_FAILURE(MustUpsert(kTenant, Actor("asker", v1::PROFILE_KIND_SMB, kBatteryNeed, "")));

  v1::FindPartnersResponse before;
  ASSERT_THAT(Find(ByProfile(kTenant, "asker"), &before), GrpcOk());
  ASSERT_THAT(before.suggestions(), Not(IsEmpty()));
  EXPECT_EQ(before.suggestions(0).partner().id(), "battery-lab");

  v1::Profile replaced = Actor("asker", v1::PROFILE_KIND_SMB, "", "");
  v1::Need* need = replaced.add_needs();
  need->set_id("n-cloud");
  need->set_text(kCloudNeed);
  v1::UpsertProfileResponse response;
  ASSERT_THAT(Upsert(kTenant, replaced, &response), GrpcOk());
  EXPECT_FALSE(response.created());

  v1::FindPartnersResponse after;
  ASSERT_THAT(Find(ByProfile(kTenant, "asker"), &after), GrpcOk());
  ASSERT_THAT(after.suggestions(), Not(IsEmpty()));
  EXPECT_EQ(after.suggestions(0).partner().id(), "cloud");
  for (const v1::Suggestion& suggestion : after.suggestions()) {
    // Only the new need is searched: the old one is gone from the index.
    EXPECT_EQ(suggestion.need().id(), "n-cloud");
    EXPECT_EQ(suggestion.need().text(), kCloudNeed);
  }
  v1::Profile stored;
  ASSERT_THAT(Get(kTenant, "asker", &stored), GrpcOk());
  EXPECT_TRUE(MessageDifferencer::Equals(stored, replaced)) << stored.DebugString();
}

TEST_F(ProfileServiceEndToEndTest, UpsertReplaceRemovesOldOffersFromMatching) {
  constexpr char kNewOffer[] = "patent attorney for trademark registration and IP strategy";
  ASSERT_NO_FATAL_FAILURE(MustUpsert(kTenant, Actor("supplier", v1::PROFILE_KIND_SMB, "", kBatteryOffer)));
  ASSERT_NO_FATAL_FAILURE(
      MustUpsert(kTenant, Actor("bakery", v1::PROFILE_KIND_SMB, "", "artisan sourdough bread and pastry catering")));
  ASSERT_NO_FATAL_FAILURE(MustUpsert(kTenant, Actor("supplier", v1::PROFILE_KIND_SMB, "", kNewOffer)));

  v1::FindPartnersResponse old_text;
  ASSERT_THAT(Find(ByText(kTenant, kBatteryOffer), &old_text), GrpcOk());
  for (const v1::Suggestion& suggestion : old_text.suggestions()) {
    EXPECT_NE(suggestion.offer().text(), kBatteryOffer) << "partner " << suggestion.partner().id();
  }
  v1::FindPartnersResponse new_text;
  ASSERT_THAT(Find(ByText(kTenant, kNewOffer), &new_text), GrpcOk());
  ASSERT_THAT(new_text.suggestions(), Not(IsEmpty()));
  EXPECT_EQ(new_text.suggestions(0).partner().id(), "supplier");
  EXPECT_EQ(new_text.suggestions(0).offer().text(), kNewOffer);
}

TEST_F(ProfileServiceEndToEndTest, UpsertRejectsEmptyTenant) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  ExpectRejectedWithoutWrite("", Actor("acme", v1::PROFILE_KIND_SMB, kBatteryNeed, ""), "tenant");
  EXPECT_THAT(Get(kTenant, "acme"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("acme")));
}

TEST_F(ProfileServiceEndToEndTest, UpsertRejectsEmptyId) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  ExpectRejectedWithoutWrite(kTenant, Actor("", v1::PROFILE_KIND_SMB, kBatteryNeed, ""), "id: empty");
}

TEST_F(ProfileServiceEndToEndTest, UpsertRejectsIdWithControlCharacter) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  ExpectRejectedWithoutWrite(kTenant, Actor("bad\x01id", v1::PROFILE_KIND_SMB, kBatteryNeed, ""), "id:");
  ExpectRejectedWithoutWrite(kTenant, Actor("tab\tid", v1::PROFILE_KIND_SMB, kBatteryNeed, ""), "id:");
}

TEST_F(ProfileServiceEndToEndTest, UpsertRejectsIdOver128Bytes) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  ExpectRejectedWithoutWrite(kTenant, Actor(std::string(129, 'x'), v1::PROFILE_KIND_SMB, kBatteryNeed, ""), "id:");
}

TEST_F(ProfileServiceEndToEndTest, UpsertAcceptsIdOfExactly128Bytes) {
  const std::string id(128, 'x');
  ASSERT_THAT(Upsert(kTenant, Actor(id, v1::PROFILE_KIND_SMB, kBatteryNeed, "")), GrpcOk());
  EXPECT_THAT(Get(kTenant, id), GrpcOk());
}

TEST_F(ProfileServiceEndToEndTest, UpsertRejectsEmptyNeedText) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  v1::Profile profile = Actor("acme", v1::PROFILE_KIND_SMB, "", kBatteryOffer);
  profile.add_needs()->set_id("n1");  // text left empty
  ExpectRejectedWithoutWrite(kTenant, profile, "needs[0].text: empty");
  // Whitespace only is empty too, also behind a valid need.
  profile = Actor("acme", v1::PROFILE_KIND_SMB, kBatteryNeed, "");
  v1::Need* blank = profile.add_needs();
  blank->set_id("n2");
  blank->set_text(" \n ");
  ExpectRejectedWithoutWrite(kTenant, profile, "needs[1].text: empty");
  EXPECT_THAT(Get(kTenant, "acme"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("acme")));
}

TEST_F(ProfileServiceEndToEndTest, UpsertRejectsNeedTextOver16KiB) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  v1::Profile profile = Actor("acme", v1::PROFILE_KIND_SMB, std::string(16 * 1024 + 1, 'a'), "");
  ExpectRejectedWithoutWrite(kTenant, profile, "needs[0].text");
  EXPECT_THAT(Get(kTenant, "acme"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("acme")));
}

TEST_F(ProfileServiceEndToEndTest, UpsertAcceptsNeedTextOfExactly16KiB) {
  std::string text;
  while (text.size() < 16 * 1024) text += "coating ";
  text.resize(16 * 1024);
  ASSERT_THAT(Upsert(kTenant, Actor("acme", v1::PROFILE_KIND_SMB, text, "")), GrpcOk());
  v1::Profile stored;
  ASSERT_THAT(Get(kTenant, "acme", &stored), GrpcOk());
  EXPECT_EQ(stored.needs(0).text(), text);
}

TEST_F(ProfileServiceEndToEndTest, UpsertRejectsUnknownKind) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  ExpectRejectedWithoutWrite(kTenant, Actor("acme", static_cast<v1::ProfileKind>(99), kBatteryNeed, ""),
                             "kind: unknown value 99");
  EXPECT_THAT(Get(kTenant, "acme"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("acme")));
}

TEST_F(ProfileServiceEndToEndTest, UpsertRejectsUnspecifiedKind) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  ExpectRejectedWithoutWrite(kTenant, Actor("acme", v1::PROFILE_KIND_UNSPECIFIED, kBatteryNeed, ""), "kind");
}

TEST_F(ProfileServiceEndToEndTest, UpsertRejectsUnknownComponent) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  v1::Profile profile = Actor("acme", v1::PROFILE_KIND_SMB, kBatteryNeed, kBatteryOffer);
  profile.mutable_offers(0)->set_component(static_cast<v1::Component>(99));
  ExpectRejectedWithoutWrite(kTenant, profile, "offers[0].component: unknown value 99");
  EXPECT_THAT(Get(kTenant, "acme"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("acme")));
}

TEST_F(ProfileServiceEndToEndTest, UpsertRejectsWrongVectorDimension) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  ASSERT_NO_FATAL_FAILURE(SeedVectorTenant());
  ExpectRejectedWithoutWrite(kVectorTenant, VectorActor("three-d", {1, 0, 0}, {0, 1, 0}), "needs[0].vector");
  EXPECT_THAT(Get(kVectorTenant, "three-d"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("three-d")));
  EXPECT_THAT(ListIds(kVectorTenant), ElementsAre("first"));
  // The tenant keeps dimension 4.
  EXPECT_THAT(Upsert(kVectorTenant, VectorActor("second", {0, 0, 1, 0}, {0, 0, 0, 1})), GrpcOk());
}

TEST_F(ProfileServiceEndToEndTest, UpsertRejectsNaNInVector) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  ASSERT_NO_FATAL_FAILURE(SeedVectorTenant());
  ExpectRejectedWithoutWrite(
      kVectorTenant, VectorActor("nan", {1, std::numeric_limits<float>::quiet_NaN(), 0, 0}, {0, 1, 0, 0}),
      "needs[0].vector[1]");
  EXPECT_THAT(Get(kVectorTenant, "nan"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("nan")));
}

TEST_F(ProfileServiceEndToEndTest, UpsertRejectsInfInVector) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  ASSERT_NO_FATAL_FAILURE(SeedVectorTenant());
  ExpectRejectedWithoutWrite(
      kVectorTenant, VectorActor("inf", {1, 0, 0, 0}, {0, 0, -std::numeric_limits<float>::infinity(), 0}),
      "offers[0].vector[2]");
  EXPECT_THAT(Get(kVectorTenant, "inf"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("inf")));
}

TEST_F(ProfileServiceEndToEndTest, UpsertRejectsAllZeroVector) {
  ASSERT_NO_FATAL_FAILURE(SeedVectorTenant());
  ExpectRejectedWithoutWrite(kVectorTenant, VectorActor("zero", {0, 0, 0, 0}, {0, 1, 0, 0}), "needs[0].vector");
}

TEST_F(ProfileServiceEndToEndTest, UpsertRejectsVectorInBuiltInEmbedderTenant) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());  // fixes kTenant on the built-in embedder
  v1::Profile profile = Actor("acme", v1::PROFILE_KIND_SMB, kBatteryNeed, "");
  // Even the built-in dimension is refused: the tenant's vectors come from its embedder.
  profile.mutable_needs(0)->mutable_vector()->Resize(256, 0.5f);
  ExpectRejectedWithoutWrite(kTenant, profile, "needs[0].vector");
  EXPECT_THAT(Get(kTenant, "acme"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("acme")));
}

TEST_F(ProfileServiceEndToEndTest, UpsertRejectsMissingVectorInClientVectorTenant) {
  ASSERT_NO_FATAL_FAILURE(SeedVectorTenant());
  v1::Profile profile = VectorActor("acme", {1, 0, 0, 0}, {0, 1, 0, 0});
  profile.mutable_offers(0)->clear_vector();
  ExpectRejectedWithoutWrite(kVectorTenant, profile, "offers[0].vector");
  EXPECT_THAT(Get(kVectorTenant, "acme"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("acme")));
}

TEST_F(ProfileServiceEndToEndTest, RejectedReplaceKeepsPreviousVersion) {
  const v1::Profile original = Actor("acme", v1::PROFILE_KIND_SMB, kBatteryNeed, kBatteryOffer);
  ASSERT_NO_FATAL_FAILURE(MustUpsert(kTenant, original));
  v1::Profile bad = Actor("acme", v1::PROFILE_KIND_STARTUP, "completely different need", "");
  bad.add_offers()->set_id("o-empty");  // text left empty
  EXPECT_THAT(Upsert(kTenant, bad), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("offers[0].text")));
  v1::Profile stored;
  ASSERT_THAT(Get(kTenant, "acme", &stored), GrpcOk());
  EXPECT_TRUE(MessageDifferencer::Equals(stored, original)) << stored.DebugString();
}

TEST_F(ProfileServiceEndToEndTest, RejectedFirstUpsertDoesNotFixTenantDimension) {
  // The need fixes dimension 4 for this request, then the 3-d offer fails it.
  v1::Profile mixed = VectorActor("mixed", {1, 0, 0, 0}, {0, 1, 0});
  EXPECT_THAT(Upsert(kVectorTenant, mixed),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("offers[0].vector")));
  // Nothing was written, so a 3-d tenant is still possible.
  EXPECT_THAT(Upsert(kVectorTenant, VectorActor("three-d", {1, 0, 0}, {0, 1, 0})), GrpcOk());
  EXPECT_THAT(ListIds(kVectorTenant), ElementsAre("three-d"));
}

TEST_F(ProfileServiceEndToEndTest, UpsertRejectsDuplicateItemIds) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  v1::Profile profile = MakeProfile("acme", v1::PROFILE_KIND_SMB, {kBatteryNeed, "seed funding"}, {});
  profile.mutable_needs(1)->set_id("n1");
  ExpectRejectedWithoutWrite(kTenant, profile, "needs[1].id");
  EXPECT_THAT(Get(kTenant, "acme"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("acme")));
}

TEST_F(ProfileServiceEndToEndTest, UpsertRejectsMoreThan100Needs) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  std::vector<std::string> needs;
  for (int i = 0; i < 101; ++i) needs.push_back(absl::StrCat("need number ", i));
  ExpectRejectedWithoutWrite(kTenant, MakeProfile("acme", v1::PROFILE_KIND_SMB, needs, {}), "needs:");
}

// Saved indexes are loaded on start; both the profiles and what they match
// come back unchanged.
TEST_F(ProfileServiceEndToEndTest, ProfilesAndMatchesSurviveRestart) {
  ASSERT_NO_FATAL_FAILURE(MustUpsert(kTenant, Actor("asker", v1::PROFILE_KIND_SMB, kBatteryNeed, "")));
  ASSERT_NO_FATAL_FAILURE(
      MustUpsert(kTenant, Actor("battery-lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE, "", kBatteryOffer)));
  ASSERT_NO_FATAL_FAILURE(
      MustUpsert(kTenant, Actor("bakery", v1::PROFILE_KIND_SMB, "", "artisan sourdough bread and pastry catering")));
  ASSERT_NO_FATAL_FAILURE(MustUpsert(kVectorTenant, VectorActor("x", {1, 0, 0, 0}, {0, 1, 0, 0})));
  ASSERT_NO_FATAL_FAILURE(MustUpsert(kVectorTenant, VectorActor("y", {0, 1, 0, 0}, {1, 0, 0, 0})));
  ASSERT_THAT(Delete(kTenant, "bakery"), GrpcOk());
  v1::Profile asker;
  ASSERT_THAT(Get(kTenant, "asker", &asker), GrpcOk());
  v1::FindPartnersResponse before, vector_before;
  ASSERT_THAT(Find(ByProfile(kTenant, "asker"), &before), GrpcOk());
  ASSERT_THAT(Find(ByProfile(kVectorTenant, "x"), &vector_before), GrpcOk());

  ASSERT_NO_FATAL_FAILURE(StopServer());
  ASSERT_NO_FATAL_FAILURE(StartServer());

  v1::Profile asker_after;
  ASSERT_THAT(Get(kTenant, "asker", &asker_after), GrpcOk());
  EXPECT_TRUE(MessageDifferencer::Equals(asker_after, asker));
  EXPECT_THAT(ListIds(kTenant), ElementsAre("asker", "battery-lab"));
  v1::FindPartnersResponse after, vector_after;
  ASSERT_THAT(Find(ByProfile(kTenant, "asker"), &after), GrpcOk());
  EXPECT_TRUE(MessageDifferencer::Equals(after, before)) << "before:\n" << before.DebugString() << "after:\n"
                                                         << after.DebugString();
  ASSERT_THAT(Find(ByProfile(kVectorTenant, "x"), &vector_after), GrpcOk());
  EXPECT_TRUE(MessageDifferencer::Equals(vector_after, vector_before)) << vector_after.DebugString();
  // The tenants keep their vector spaces.
  EXPECT_THAT(Upsert(kVectorTenant, VectorActor("three-d", {1, 0, 0}, {0, 1, 0})),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("needs[0].vector")));
  v1::Profile with_vector = Actor("acme", v1::PROFILE_KIND_SMB, kBatteryNeed, "");
  with_vector.mutable_needs(0)->mutable_vector()->Resize(4, 1.0f);
  EXPECT_THAT(Upsert(kTenant, with_vector),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("needs[0].vector")));
}

// Without index files the server rebuilds every index from RocksDB.
TEST_F(ProfileServiceEndToEndTest, MatchesSurviveRestartWithoutIndexFiles) {
  ASSERT_NO_FATAL_FAILURE(MustUpsert(kTenant, Actor("asker", v1::PROFILE_KIND_SMB, kBatteryNeed, "")));
  ASSERT_NO_FATAL_FAILURE(
      MustUpsert(kTenant, Actor("battery-lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE, "", kBatteryOffer)));
  ASSERT_NO_FATAL_FAILURE(
      MustUpsert(kTenant, Actor("bakery", v1::PROFILE_KIND_SMB, "", "artisan sourdough bread and pastry catering")));
  v1::FindPartnersResponse before;
  ASSERT_THAT(Find(ByProfile(kTenant, "asker"), &before), GrpcOk());

  ASSERT_NO_FATAL_FAILURE(StopServer());
  std::error_code error;
  ASSERT_GT(std::filesystem::remove_all(dir_.Sub("index"), error), 0u) << "no index files were saved";
  ASSERT_NO_FATAL_FAILURE(StartServer());

  v1::FindPartnersResponse after;
  ASSERT_THAT(Find(ByProfile(kTenant, "asker"), &after), GrpcOk());
  EXPECT_TRUE(MessageDifferencer::Equals(after, before)) << "before:\n" << before.DebugString() << "after:\n"
                                                         << after.DebugString();
}

// ---------------------------------------------------------------------------
// ProfileService.GetProfile

TEST_F(ProfileServiceEndToEndTest, GetReturnsWhatWasUpserted) {
  v1::Profile profile = MakeProfile("fraunhofer-x", v1::PROFILE_KIND_RESEARCH_INSTITUTE,
                                    {kBatteryNeed, "doctoral researchers in electrochemistry"}, {kBatteryOffer});
  profile.set_description("Applied research on battery production processes.");
  profile.add_sectors("72.19");
  profile.add_sectors("C27.2");
  SetLocation(profile, "DE", "Bavaria", "Munich", std::make_pair(48.137, 11.575));
  profile.add_languages("de");
  profile.add_languages("en");
  profile.set_size(v1::COMPANY_SIZE_LARGE);
  profile.set_stage(v1::STAGE_MATURE);
  v1::Need* need = profile.mutable_needs(0);
  need->set_component(v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE);
  need->add_modes(v1::COLLABORATION_MODE_JOINT_RD);
  need->add_modes(v1::COLLABORATION_MODE_SHARED_FACILITIES);
  need->set_scope(v1::GEOGRAPHIC_SCOPE_INTERNATIONAL);
  *need->mutable_expires() = MakeDate(2999, 12, 31);
  v1::Offer* offer = profile.mutable_offers(0);
  offer->set_component(v1::COMPONENT_EXPERTISE);
  offer->add_modes(v1::COLLABORATION_MODE_LICENSING_TECH_TRANSFER);
  offer->set_scope(v1::GEOGRAPHIC_SCOPE_LOCAL);
  ASSERT_NO_FATAL_FAILURE(MustUpsert(kTenant, profile));

  v1::Profile stored;
  ASSERT_THAT(Get(kTenant, "fraunhofer-x", &stored), GrpcOk());
  EXPECT_TRUE(MessageDifferencer::Equals(stored, profile)) << "got:\n"
                                                           << stored.DebugString() << "want:\n"
                                                           << profile.DebugString();
}

TEST_F(ProfileServiceEndToEndTest, GetReturnsClientVectorsAsSent) {
  // Not unit length: the server normalises its index copy, not the profile.
  v1::Profile profile = VectorActor("acme", {1, 2, 3, 4}, {-0.5f, 0.25f, 8, 0});
  profile.mutable_description_vector()->Resize(4, 3.0f);
  ASSERT_NO_FATAL_FAILURE(MustUpsert(kVectorTenant, profile));
  v1::Profile stored;
  ASSERT_THAT(Get(kVectorTenant, "acme", &stored), GrpcOk());
  EXPECT_TRUE(MessageDifferencer::Equals(stored, profile)) << stored.DebugString();
}

TEST_F(ProfileServiceEndToEndTest, GetUnknownIdIsNotFound) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  EXPECT_THAT(Get(kTenant, "nobody"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("\"nobody\"")));
}

TEST_F(ProfileServiceEndToEndTest, GetInUnknownTenantIsNotFound) {
  EXPECT_THAT(Get("never-written", "nobody"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("nobody")));
}

TEST_F(ProfileServiceEndToEndTest, GetRejectsEmptyTenant) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  EXPECT_THAT(Get("", "existing"), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("tenant")));
}

TEST_F(ProfileServiceEndToEndTest, GetRejectsEmptyId) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  EXPECT_THAT(Get(kTenant, ""), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("id: empty")));
}

// ---------------------------------------------------------------------------
// ProfileService.DeleteProfile

TEST_F(ProfileServiceEndToEndTest, DeleteRemovesProfileFromGetListAndMatching) {
  ASSERT_NO_FATAL_FAILURE(MustUpsert(kTenant, Actor("asker", v1::PROFILE_KIND_SMB, kBatteryNeed, "")));
  ASSERT_NO_FATAL_FAILURE(
      MustUpsert(kTenant, Actor("battery-lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE, "", kBatteryOffer)));
  ASSERT_NO_FATAL_FAILURE(
      MustUpsert(kTenant, Actor("bakery", v1::PROFILE_KIND_SMB, "", "artisan sourdough bread and pastry catering")));
  ASSERT_THAT(FindIds(ByProfile(kTenant, "asker")), Contains("battery-lab"));

  EXPECT_THAT(Delete(kTenant, "battery-lab"), GrpcOk());

  EXPECT_THAT(Get(kTenant, "battery-lab"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("battery-lab")));
  EXPECT_THAT(ListIds(kTenant), ElementsAre("asker", "bakery"));
  EXPECT_THAT(FindIds(ByProfile(kTenant, "asker")), ElementsAre("bakery"));
  EXPECT_THAT(FindIds(ByText(kTenant, kBatteryOffer)), Not(Contains("battery-lab")));
}

TEST_F(ProfileServiceEndToEndTest, DeleteUnknownIdIsNotFound) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  EXPECT_THAT(Delete(kTenant, "nobody"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("\"nobody\"")));
  EXPECT_THAT(ListIds(kTenant), ElementsAre("existing"));
}

TEST_F(ProfileServiceEndToEndTest, DeleteInUnknownTenantIsNotFound) {
  EXPECT_THAT(Delete("never-written", "nobody"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("nobody")));
}

TEST_F(ProfileServiceEndToEndTest, DeleteTwiceIsNotFoundTheSecondTime) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  EXPECT_THAT(Delete(kTenant, "existing"), GrpcOk());
  EXPECT_THAT(Delete(kTenant, "existing"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("existing")));
}

TEST_F(ProfileServiceEndToEndTest, UpsertAfterDeleteReportsCreated) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  ASSERT_THAT(Delete(kTenant, "existing"), GrpcOk());
  v1::UpsertProfileResponse response;
  ASSERT_THAT(Upsert(kTenant, Actor("existing", v1::PROFILE_KIND_SMB, kBatteryNeed, ""), &response), GrpcOk());
  EXPECT_TRUE(response.created());
}

TEST_F(ProfileServiceEndToEndTest, DeleteRejectsEmptyTenant) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  EXPECT_THAT(Delete("", "existing"), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("tenant")));
  EXPECT_THAT(ListIds(kTenant), ElementsAre("existing"));
}

TEST_F(ProfileServiceEndToEndTest, DeleteRejectsEmptyId) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  EXPECT_THAT(Delete(kTenant, ""), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("id: empty")));
  EXPECT_THAT(ListIds(kTenant), ElementsAre("existing"));
}

// ---------------------------------------------------------------------------
// ProfileService.ListProfiles

TEST_F(ProfileServiceEndToEndTest, ListPagesThroughProfilesInIdOrder) {
  std::vector<std::string> want;
  for (int i = 0; i < 25; ++i) want.push_back(absl::StrCat("p", i < 10 ? "0" : "", i));
  // Upserted out of order: listing order is id order, not insertion order.
  for (int i = 0; i < 25; ++i) {
    const std::string& id = want[(i * 7) % 25];
    ASSERT_NO_FATAL_FAILURE(MustUpsert(kTenant, Actor(id, v1::PROFILE_KIND_SMB, "need of " + id, "")));
  }

  std::vector<int> page_sizes;
  std::vector<std::string> got;
  std::string token;
  for (int page = 0; page < 4; ++page) {
    v1::ListProfilesResponse response;
    ASSERT_THAT(List(kTenant, 10, token, &response), GrpcOk());
    page_sizes.push_back(response.profiles_size());
    for (const v1::Profile& profile : response.profiles()) got.push_back(profile.id());
    token = response.next_page_token();
    if (token.empty()) break;
  }
  EXPECT_THAT(page_sizes, ElementsAre(10, 10, 5));
  EXPECT_THAT(got, ElementsAreArray(want));
  EXPECT_THAT(token, IsEmpty());
}

TEST_F(ProfileServiceEndToEndTest, ListReturnsFullProfiles) {
  v1::Profile profile = Actor("acme", v1::PROFILE_KIND_SMB, kBatteryNeed, kBatteryOffer);
  SetLocation(profile, "DE", "Berlin", "Berlin", std::make_pair(52.52, 13.405));
  ASSERT_NO_FATAL_FAILURE(MustUpsert(kTenant, profile));
  v1::ListProfilesResponse response;
  ASSERT_THAT(List(kTenant, 0, "", &response), GrpcOk());
  ASSERT_THAT(response.profiles(), SizeIs(1));
  EXPECT_TRUE(MessageDifferencer::Equals(response.profiles(0), profile)) << response.profiles(0).DebugString();
}

TEST_F(ProfileServiceEndToEndTest, ListPageSizeZeroMeansOneHundred) {
  for (int i = 0; i < 101; ++i) {
    const std::string id = absl::StrCat("p", 1000 + i);
    ASSERT_NO_FATAL_FAILURE(MustUpsert(kTenant, Actor(id, v1::PROFILE_KIND_SMB, "need of " + id, "")));
  }
  v1::ListProfilesResponse first;
  ASSERT_THAT(List(kTenant, 0, "", &first), GrpcOk());
  EXPECT_EQ(first.profiles_size(), 100);
  ASSERT_THAT(first.next_page_token(), Not(IsEmpty()));
  v1::ListProfilesResponse second;
  ASSERT_THAT(List(kTenant, 0, first.next_page_token(), &second), GrpcOk());
  ASSERT_EQ(second.profiles_size(), 1);
  EXPECT_EQ(second.profiles(0).id(), "p1100");
  EXPECT_THAT(second.next_page_token(), IsEmpty());
}

TEST_F(ProfileServiceEndToEndTest, ListAcceptsPageSizeOneThousand) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  v1::ListProfilesResponse response;
  EXPECT_THAT(List(kTenant, 1000, "", &response), GrpcOk());
  EXPECT_EQ(response.profiles_size(), 1);
}

TEST_F(ProfileServiceEndToEndTest, ListRejectsPageSizeOver1000) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  v1::ListProfilesResponse response;
  EXPECT_THAT(List(kTenant, 1001, "", &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("page_size")));
}

TEST_F(ProfileServiceEndToEndTest, ListRejectsNegativePageSize) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  v1::ListProfilesResponse response;
  EXPECT_THAT(List(kTenant, -1, "", &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("page_size")));
}

TEST_F(ProfileServiceEndToEndTest, ListRejectsGarbagePageToken) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  v1::ListProfilesResponse response;
  EXPECT_THAT(List(kTenant, 10, "%%not a token%%", &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("page_token")));
}

TEST_F(ProfileServiceEndToEndTest, ListRejectsEmptyTenant) {
  v1::ListProfilesResponse response;
  EXPECT_THAT(List("", 10, "", &response), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("tenant")));
}

TEST_F(ProfileServiceEndToEndTest, ListOfUnknownTenantIsEmpty) {
  ASSERT_NO_FATAL_FAILURE(SeedExisting());
  v1::ListProfilesResponse response;
  ASSERT_THAT(List("never-written", 10, "", &response), GrpcOk());
  EXPECT_THAT(response.profiles(), IsEmpty());
  EXPECT_THAT(response.next_page_token(), IsEmpty());
}

// ---------------------------------------------------------------------------
// ProfileService.BulkUpsert

TEST_F(ProfileServiceEndToEndTest, BulkUpsertReportsBadItemsAndKeepsGoing) {
  std::vector<v1::Profile> items = {
      Actor("bulk-0", v1::PROFILE_KIND_SMB, kBatteryNeed, ""),
      Actor("bulk-1", v1::PROFILE_KIND_SMB, "", ""),
      Actor("bulk-2", v1::PROFILE_KIND_STARTUP, "", kBatteryOffer),
      Actor("bulk-3", static_cast<v1::ProfileKind>(99), kBatteryNeed, ""),
      Actor("bulk-4", v1::PROFILE_KIND_UNIVERSITY, "doctoral researchers in electrochemistry", ""),
  };
  items[1].add_needs()->set_id("n1");  // text left empty

  grpc::ClientContext context;
  SetDeadline(context);
  v1::BulkUpsertResponse response;
  std::unique_ptr<grpc::ClientWriter<v1::UpsertProfileRequest>> writer = profiles_->BulkUpsert(&context, &response);
  for (const v1::Profile& item : items) {
    v1::UpsertProfileRequest request;
    request.set_tenant(kTenant);
    *request.mutable_profile() = item;
    ASSERT_TRUE(writer->Write(request)) << "the stream was closed before " << item.id();
  }
  ASSERT_TRUE(writer->WritesDone());
  ASSERT_THAT(writer->Finish(), GrpcOk());

  EXPECT_EQ(response.received(), 5);
  EXPECT_EQ(response.upserted(), 3);
  ASSERT_THAT(response.errors(), SizeIs(2));
  EXPECT_EQ(response.errors(0).index(), 1);
  EXPECT_EQ(response.errors(0).profile_id(), "bulk-1");
  EXPECT_EQ(response.errors(0).code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(response.errors(0).message(), HasSubstr("needs[0].text"));
  EXPECT_EQ(response.errors(1).index(), 3);
  EXPECT_EQ(response.errors(1).profile_id(), "bulk-3");
  EXPECT_EQ(response.errors(1).code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(response.errors(1).message(), HasSubstr("kind"));

  for (int i : {0, 2, 4}) {
    v1::Profile stored;
    ASSERT_THAT(Get(kTenant, items[i].id(), &stored), GrpcOk());
    EXPECT_TRUE(MessageDifferencer::Equals(stored, items[i])) << stored.DebugString();
  }
  EXPECT_THAT(Get(kTenant, "bulk-1"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("bulk-1")));
  EXPECT_THAT(Get(kTenant, "bulk-3"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("bulk-3")));
  EXPECT_THAT(ListIds(kTenant), ElementsAre("bulk-0", "bulk-2", "bulk-4"));
  // Bulk-loaded profiles are matchable like any other.
  EXPECT_THAT(FindIds(ByProfile(kTenant, "bulk-0")), Contains("bulk-2"));
}

TEST_F(ProfileServiceEndToEndTest, BulkUpsertOfEmptyStreamReportsNothing) {
  grpc::ClientContext context;
  SetDeadline(context);
  v1::BulkUpsertResponse response;
  std::unique_ptr<grpc::ClientWriter<v1::UpsertProfileRequest>> writer = profiles_->BulkUpsert(&context, &response);
  ASSERT_TRUE(writer->WritesDone());
  ASSERT_THAT(writer->Finish(), GrpcOk());
  EXPECT_EQ(response.received(), 0);
  EXPECT_EQ(response.upserted(), 0);
  EXPECT_THAT(response.errors(), IsEmpty());
}

TEST_F(ProfileServiceEndToEndTest, BulkUpsertLaterItemReplacesEarlierOne) {
  const v1::Profile first = Actor("acme", v1::PROFILE_KIND_SMB, kBatteryNeed, "");
  const v1::Profile second = Actor("acme", v1::PROFILE_KIND_STARTUP, "", kBatteryOffer);
  grpc::ClientContext context;
  SetDeadline(context);
  v1::BulkUpsertResponse response;
  std::unique_ptr<grpc::ClientWriter<v1::UpsertProfileRequest>> writer = profiles_->BulkUpsert(&context, &response);
  for (const v1::Profile& item : {first, second}) {
    v1::UpsertProfileRequest request;
    request.set_tenant(kTenant);
    *request.mutable_profile() = item;
    ASSERT_TRUE(writer->Write(request));
  }
  ASSERT_TRUE(writer->WritesDone());
  ASSERT_THAT(writer->Finish(), GrpcOk());
  EXPECT_EQ(response.received(), 2);
  EXPECT_EQ(response.upserted(), 2);
  EXPECT_THAT(response.errors(), IsEmpty());
  v1::Profile stored;
  ASSERT_THAT(Get(kTenant, "acme", &stored), GrpcOk());
  EXPECT_TRUE(MessageDifferencer::Equals(stored, second)) << stored.DebugString();
}

TEST_F(ProfileServiceEndToEndTest, BulkUpsertReportsBadTenantPerItem) {
  grpc::ClientContext context;
  SetDeadline(context);
  v1::BulkUpsertResponse response;
  std::unique_ptr<grpc::ClientWriter<v1::UpsertProfileRequest>> writer = profiles_->BulkUpsert(&context, &response);
  v1::UpsertProfileRequest request;
  *request.mutable_profile() = Actor("acme", v1::PROFILE_KIND_SMB, kBatteryNeed, "");
  ASSERT_TRUE(writer->Write(request));  // tenant left empty
  request.set_tenant(kTenant);
  ASSERT_TRUE(writer->Write(request));
  ASSERT_TRUE(writer->WritesDone());
  ASSERT_THAT(writer->Finish(), GrpcOk());
  EXPECT_EQ(response.received(), 2);
  EXPECT_EQ(response.upserted(), 1);
  ASSERT_THAT(response.errors(), SizeIs(1));
  EXPECT_EQ(response.errors(0).index(), 0);
  EXPECT_EQ(response.errors(0).code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(response.errors(0).message(), HasSubstr("tenant"));
  EXPECT_THAT(ListIds(kTenant), ElementsAre("acme"));
}

// ---------------------------------------------------------------------------
// MatchService.FindPartners

// A small battery ecosystem in kTenant. "asker" needs a cathode coating pilot
// line and, to prove it never meets itself, also offers one.
class MatchServiceEndToEndTest : public EndToEndTest {
 protected:
  void SeedEcosystem() {
    v1::Profile asker = Actor("asker", v1::PROFILE_KIND_SMB, kBatteryNeed, kBatteryOffer,
                              v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE);
    asker.mutable_needs(0)->set_component(v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE);
    asker.add_sectors("C27.2");
    SetLocation(asker, "DE", "Berlin", "Berlin", std::make_pair(52.520, 13.405));

    v1::Profile lab = Actor("battery-lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE,
                            "doctoral researchers in electrochemistry", kBatteryOffer,
                            v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE);
    lab.add_sectors("72.19");
    SetLocation(lab, "DE", "Bavaria", "Munich", std::make_pair(48.137, 11.575));

    v1::Profile bakery = Actor("bakery", v1::PROFILE_KIND_SMB, "delivery van drivers for early morning routes",
                               "artisan sourdough bread and pastry catering for events", v1::COMPONENT_MARKET_ACCESS);
    bakery.add_sectors("C10.71");
    SetLocation(bakery, "FR", "Ile-de-France", "Paris", std::make_pair(48.857, 2.352));

    v1::Profile cloud = Actor("cloud", v1::PROFILE_KIND_STARTUP, "seed funding from angel investors",
                              "managed kubernetes hosting and devops consulting for web shops",
                              v1::COMPONENT_SUPPORT_SERVICES);
    cloud.add_sectors("62.01");
    SetLocation(cloud, "DE", "Berlin", "Berlin", std::make_pair(52.500, 13.400));

    v1::Profile law = Actor("law", v1::PROFILE_KIND_SERVICE_PROVIDER, "",
                            "patent attorney for trademark registration and IP strategy", v1::COMPONENT_REGULATORY_IP);
    law.add_sectors("69.10");
    SetLocation(law, "AT", "Vienna", "Vienna", std::make_pair(48.208, 16.373));

    // Same texts as the best pair, but both items expired long ago.
    v1::Profile expired = Actor("expired-lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE, kBatteryNeed, kBatteryOffer,
                                v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE);
    *expired.mutable_needs(0)->mutable_expires() = MakeDate(2020, 1, 1);
    *expired.mutable_offers(0)->mutable_expires() = MakeDate(2020, 1, 1);
    expired.add_sectors("72.19");
    SetLocation(expired, "DE", "Berlin", "Berlin", std::make_pair(52.510, 13.390));

    for (const v1::Profile& profile : {asker, lab, bakery, cloud, law, expired}) {
      ASSERT_NO_FATAL_FAILURE(MustUpsert(kTenant, profile));
    }
  }

  // Three client-vector profiles on the first three axes of kVectorTenant.
  void SeedVectorTenant() {
    for (const auto& [id, axis] : std::vector<std::pair<std::string, int>>{{"x", 0}, {"y", 1}, {"z", 2}}) {
      std::vector<float> offer(4, 0.0f);
      offer[axis] = 1.0f;
      ASSERT_NO_FATAL_FAILURE(MustUpsert(kVectorTenant, VectorActor(id, {0, 0, 0, 1}, offer)));
    }
  }

  // Runs `request` and expects INVALID_ARGUMENT naming `field`.
  void ExpectInvalid(const v1::FindPartnersRequest& request, const std::string& field) {
    v1::FindPartnersResponse response;
    EXPECT_THAT(Find(request, &response), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr(field)));
    EXPECT_THAT(response.suggestions(), IsEmpty());
  }
};

// Score, components and reasons are well-formed for every suggestion.
void ExpectWellFormed(const v1::FindPartnersResponse& response) {
  double previous = 1.0;
  for (const v1::Suggestion& s : response.suggestions()) {
    SCOPED_TRACE(s.partner().id());
    EXPECT_THAT(s.score(), AllOf(Ge(0.0), Le(1.0)));
    EXPECT_LE(s.score(), previous) << "not sorted by score";
    previous = s.score();
    EXPECT_THAT(s.components().semantic(), AllOf(Ge(0.0), Le(1.0)));
    EXPECT_THAT(s.components().geography(), AllOf(Ge(0.0), Le(1.0)));
    EXPECT_THAT(s.components().sector(), AllOf(Ge(0.0), Le(1.0)));
    EXPECT_THAT(s.components().kind_fit(), AllOf(Ge(0.0), Le(1.0)));
    EXPECT_THAT(s.reasons(), AllOf(SizeIs(Ge(1)), SizeIs(Le(3))));
    EXPECT_THAT(s.reasons(), Each(Not(IsEmpty())));
    EXPECT_THAT(s.partner().name(), Not(IsEmpty()));
  }
}

TEST_F(MatchServiceEndToEndTest, FindByProfileRanksMatchingOfferFirst) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersResponse response;
  ASSERT_THAT(Find(ByProfile(kTenant, "asker"), &response), GrpcOk());
  ASSERT_THAT(response.suggestions(), Not(IsEmpty()));
  EXPECT_THAT(PartnerIds(response), UnorderedElementsAre("battery-lab", "bakery", "cloud", "law"));
  ExpectWellFormed(response);

  const v1::Suggestion& best = response.suggestions(0);
  EXPECT_EQ(best.partner().id(), "battery-lab");
  EXPECT_EQ(best.partner().kind(), v1::PROFILE_KIND_RESEARCH_INSTITUTE);
  EXPECT_EQ(best.partner().location().city(), "Munich");
  EXPECT_THAT(best.partner().sectors(), ElementsAre("72.19"));
  EXPECT_EQ(best.need().id(), "n1");
  EXPECT_EQ(best.need().text(), kBatteryNeed);
  EXPECT_EQ(best.offer().id(), "o1");
  EXPECT_EQ(best.offer().text(), kBatteryOffer);
  EXPECT_EQ(best.offer().component(), v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE);
  ASSERT_TRUE(best.has_distance_km());
  EXPECT_NEAR(best.distance_km(), 504.0, 15.0);  // Berlin to Munich
  for (const v1::Suggestion& s : response.suggestions()) {
    EXPECT_EQ(s.need().id(), "n1");
    EXPECT_EQ(s.need().text(), kBatteryNeed);
    EXPECT_EQ(s.offer().id(), "o1");
    EXPECT_THAT(s.offer().text(), Not(IsEmpty()));
    EXPECT_LT(s.score(), best.score() + 1e-12);
  }
  EXPECT_GT(best.score(), response.suggestions(1).score());
}

TEST_F(MatchServiceEndToEndTest, FindByProfileNeverSuggestsTheAsker) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  // "asker" offers exactly what it needs; it must still not meet itself.
  EXPECT_THAT(FindIds(ByProfile(kTenant, "asker")), Not(Contains("asker")));
  // An explicit item_id does not change that.
  v1::FindPartnersRequest request = ByProfile(kTenant, "asker");
  request.set_item_id("n1");
  EXPECT_THAT(FindIds(request), Not(Contains("asker")));
}

TEST_F(MatchServiceEndToEndTest, FindByItemIdSearchesOnlyThatNeed) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::Profile two = MakeProfile("two-needs", v1::PROFILE_KIND_SMB,
                                {kBatteryNeed, "patent attorney for IP strategy on our coating process"}, {});
  ASSERT_NO_FATAL_FAILURE(MustUpsert(kTenant, two));
  v1::FindPartnersRequest request = ByProfile(kTenant, "two-needs");
  request.set_item_id("n2");
  v1::FindPartnersResponse response;
  ASSERT_THAT(Find(request, &response), GrpcOk());
  ASSERT_THAT(response.suggestions(), Not(IsEmpty()));
  EXPECT_EQ(response.suggestions(0).partner().id(), "law");
  for (const v1::Suggestion& s : response.suggestions()) EXPECT_EQ(s.need().id(), "n2");
}

TEST_F(MatchServiceEndToEndTest, FindByText) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersResponse response;
  ASSERT_THAT(Find(ByText(kTenant, kBatteryNeed), &response), GrpcOk());
  ExpectWellFormed(response);
  // No asker to exclude: both holders of the battery offer lead, tied.
  ASSERT_THAT(response.suggestions(), SizeIs(5));
  EXPECT_THAT(std::vector<std::string>({response.suggestions(0).partner().id(),
                                        response.suggestions(1).partner().id()}),
              UnorderedElementsAre("asker", "battery-lab"));
  EXPECT_THAT(PartnerIds(response), Not(Contains("expired-lab")));
  for (const v1::Suggestion& s : response.suggestions()) {
    EXPECT_THAT(s.need().id(), IsEmpty());  // ad-hoc query
    EXPECT_EQ(s.need().text(), kBatteryNeed);
    EXPECT_EQ(s.offer().id(), "o1");
    EXPECT_THAT(s.offer().text(), Not(IsEmpty()));
  }
  EXPECT_EQ(response.suggestions(0).offer().text(), kBatteryOffer);
}

TEST_F(MatchServiceEndToEndTest, FindByVectorInClientVectorTenant) {
  ASSERT_NO_FATAL_FAILURE(SeedVectorTenant());
  v1::FindPartnersResponse response;
  ASSERT_THAT(Find(ByVector(kVectorTenant, {0.2f, 3.0f, 0.1f, 0.0f}), &response), GrpcOk());
  ExpectWellFormed(response);
  ASSERT_THAT(response.suggestions(), SizeIs(3));
  EXPECT_EQ(response.suggestions(0).partner().id(), "y");
  EXPECT_EQ(response.suggestions(1).partner().id(), "x");
  EXPECT_EQ(response.suggestions(2).partner().id(), "z");
  EXPECT_EQ(response.suggestions(0).offer().id(), "o1");
  EXPECT_EQ(response.suggestions(0).offer().text(), "offer of y");
  EXPECT_THAT(response.suggestions(0).need().id(), IsEmpty());
}

TEST_F(MatchServiceEndToEndTest, FindByProfileInClientVectorTenant) {
  ASSERT_NO_FATAL_FAILURE(SeedVectorTenant());
  ASSERT_NO_FATAL_FAILURE(MustUpsert(kVectorTenant, VectorActor("asker", {0, 0, 1, 0}, {0, 0, 0, 1})));
  v1::FindPartnersResponse response;
  ASSERT_THAT(Find(ByProfile(kVectorTenant, "asker"), &response), GrpcOk());
  ASSERT_THAT(response.suggestions(), SizeIs(3));
  EXPECT_EQ(response.suggestions(0).partner().id(), "z");
  EXPECT_EQ(response.suggestions(0).need().text(), "need of asker");
}

TEST_F(MatchServiceEndToEndTest, FindInReverseDirectionFindsWhoNeedsTheOffer) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByProfile(kTenant, "battery-lab");
  request.set_direction(v1::DIRECTION_OFFERS_TO_NEEDS);
  v1::FindPartnersResponse response;
  ASSERT_THAT(Find(request, &response), GrpcOk());
  ExpectWellFormed(response);
  // Everyone with an unexpired need except the asker itself.
  EXPECT_THAT(PartnerIds(response), UnorderedElementsAre("asker", "bakery", "cloud"));
  ASSERT_THAT(response.suggestions(), Not(IsEmpty()));
  const v1::Suggestion& best = response.suggestions(0);
  EXPECT_EQ(best.partner().id(), "asker");
  // The need is the partner's, the offer the asker's.
  EXPECT_EQ(best.need().id(), "n1");
  EXPECT_EQ(best.need().text(), kBatteryNeed);
  EXPECT_EQ(best.offer().id(), "o1");
  EXPECT_EQ(best.offer().text(), kBatteryOffer);
}

TEST_F(MatchServiceEndToEndTest, FindByTextInReverseDirectionFindsWhoNeedsIt) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByText(kTenant, kBatteryOffer);
  request.set_direction(v1::DIRECTION_OFFERS_TO_NEEDS);
  v1::FindPartnersResponse response;
  ASSERT_THAT(Find(request, &response), GrpcOk());
  ASSERT_THAT(response.suggestions(), Not(IsEmpty()));
  EXPECT_EQ(response.suggestions(0).partner().id(), "asker");
  EXPECT_EQ(response.suggestions(0).need().text(), kBatteryNeed);
  EXPECT_EQ(response.suggestions(0).offer().text(), kBatteryOffer);
  EXPECT_THAT(PartnerIds(response), Not(Contains("expired-lab")));
}

TEST_F(MatchServiceEndToEndTest, FilterByKinds) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByProfile(kTenant, "asker");
  request.mutable_filters()->add_kinds(v1::PROFILE_KIND_STARTUP);
  request.mutable_filters()->add_kinds(v1::PROFILE_KIND_SERVICE_PROVIDER);
  EXPECT_THAT(FindIds(request), UnorderedElementsAre("cloud", "law"));
}

TEST_F(MatchServiceEndToEndTest, FilterByCountries) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByProfile(kTenant, "asker");
  request.mutable_filters()->add_countries("FR");
  EXPECT_THAT(FindIds(request), ElementsAre("bakery"));
  request.mutable_filters()->add_countries("AT");
  EXPECT_THAT(FindIds(request), UnorderedElementsAre("bakery", "law"));
}

TEST_F(MatchServiceEndToEndTest, FilterByComponents) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByText(kTenant, kBatteryNeed);
  request.mutable_filters()->add_components(v1::COMPONENT_REGULATORY_IP);
  v1::FindPartnersResponse response;
  ASSERT_THAT(Find(request, &response), GrpcOk());
  EXPECT_THAT(PartnerIds(response), ElementsAre("law"));
  ASSERT_THAT(response.suggestions(), SizeIs(1));
  EXPECT_EQ(response.suggestions(0).offer().component(), v1::COMPONENT_REGULATORY_IP);
}

TEST_F(MatchServiceEndToEndTest, FilterBySectorPrefix) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByProfile(kTenant, "asker");
  request.mutable_filters()->add_sectors("62");  // matches "62.01"
  EXPECT_THAT(FindIds(request), ElementsAre("cloud"));
  request.mutable_filters()->add_sectors("72.1");  // matches "72.19"
  EXPECT_THAT(FindIds(request), UnorderedElementsAre("cloud", "battery-lab"));
}

TEST_F(MatchServiceEndToEndTest, FilterByMaxDistance) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByProfile(kTenant, "asker");
  request.mutable_filters()->set_max_distance_km(50.0);
  v1::FindPartnersResponse response;
  ASSERT_THAT(Find(request, &response), GrpcOk());
  EXPECT_THAT(PartnerIds(response), ElementsAre("cloud"));  // Berlin; Munich, Paris and Vienna are far
  ASSERT_THAT(response.suggestions(), SizeIs(1));
  ASSERT_TRUE(response.suggestions(0).has_distance_km());
  EXPECT_LE(response.suggestions(0).distance_km(), 50.0);

  request.mutable_filters()->set_max_distance_km(600.0);  // adds Munich (~504 km) and Vienna (~523 km)
  EXPECT_THAT(FindIds(request), UnorderedElementsAre("cloud", "battery-lab", "law"));
}

TEST_F(MatchServiceEndToEndTest, FilterExcludesProfileIds) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByProfile(kTenant, "asker");
  request.mutable_filters()->add_exclude_profile_ids("battery-lab");
  request.mutable_filters()->add_exclude_profile_ids("law");
  EXPECT_THAT(FindIds(request), UnorderedElementsAre("bakery", "cloud"));
}

TEST_F(MatchServiceEndToEndTest, ExpiredOffersNeverMatch) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::Profile future = Actor("future-lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE, "", kBatteryOffer);
  *future.mutable_offers(0)->mutable_expires() = MakeDate(2999, 12, 31);
  ASSERT_NO_FATAL_FAILURE(MustUpsert(kTenant, future));

  const std::vector<std::string> by_profile = FindIds(ByProfile(kTenant, "asker"));
  EXPECT_THAT(by_profile, Not(Contains("expired-lab")));
  EXPECT_THAT(by_profile, Contains("future-lab"));
  const std::vector<std::string> by_text = FindIds(ByText(kTenant, kBatteryOffer));
  EXPECT_THAT(by_text, Not(Contains("expired-lab")));
  EXPECT_THAT(by_text, Contains("future-lab"));
}

TEST_F(MatchServiceEndToEndTest, ProfileWithOnlyExpiredNeedsIsFailedPrecondition) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersResponse response;
  EXPECT_THAT(Find(ByProfile(kTenant, "expired-lab"), &response),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION, HasSubstr("expired-lab")));
}

TEST_F(MatchServiceEndToEndTest, TopKZeroMeansTen) {
  for (int i = 0; i < 15; ++i) {
    const std::string id = absl::StrCat("widget-", i);
    ASSERT_NO_FATAL_FAILURE(
        MustUpsert(kTenant, Actor(id, v1::PROFILE_KIND_SMB, "", absl::StrCat("industrial widget batch ", i))));
  }
  v1::FindPartnersRequest request = ByText(kTenant, "industrial widgets");
  request.set_top_k(0);
  EXPECT_THAT(FindIds(request), SizeIs(10));
  request.set_top_k(1);
  EXPECT_THAT(FindIds(request), SizeIs(1));
  request.set_top_k(100);
  EXPECT_THAT(FindIds(request), SizeIs(15));
}

// top_k counts partners, not matching items: a partner with many close
// offers must not crowd the others out of the result.
TEST_F(MatchServiceEndToEndTest, TopKCountsPartnersNotItems) {
  std::vector<std::string> offers;
  for (int i = 0; i < 100; ++i) offers.push_back(absl::StrCat(kBatteryOffer, " line ", i));
  ASSERT_NO_FATAL_FAILURE(MustUpsert(kTenant, MakeProfile("big-supplier", v1::PROFILE_KIND_LARGE_ENTERPRISE, {},
                                                          offers)));
  for (int i = 0; i < 12; ++i) {
    const std::string id = absl::StrCat("small-", i);
    ASSERT_NO_FATAL_FAILURE(
        MustUpsert(kTenant, Actor(id, v1::PROFILE_KIND_SMB, "", absl::StrCat("battery recycling service ", i))));
  }
  v1::FindPartnersRequest request = ByText(kTenant, kBatteryOffer);
  request.set_top_k(10);
  const std::vector<std::string> ids = FindIds(request);
  EXPECT_THAT(ids, SizeIs(10));
  EXPECT_THAT(ids, Contains("big-supplier"));
  request.set_top_k(0);
  EXPECT_THAT(FindIds(request), SizeIs(10));
}

TEST_F(MatchServiceEndToEndTest, TopKOver100IsInvalid) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByProfile(kTenant, "asker");
  request.set_top_k(101);
  ExpectInvalid(request, "top_k");
}

TEST_F(MatchServiceEndToEndTest, NegativeTopKIsInvalid) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByProfile(kTenant, "asker");
  request.set_top_k(-1);
  ExpectInvalid(request, "top_k");
}

TEST_F(MatchServiceEndToEndTest, UnknownProfileIdIsNotFound) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersResponse response;
  EXPECT_THAT(Find(ByProfile(kTenant, "nobody"), &response),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("\"nobody\"")));
}

TEST_F(MatchServiceEndToEndTest, ProfileIdInUnknownTenantIsNotFound) {
  v1::FindPartnersResponse response;
  EXPECT_THAT(Find(ByProfile("never-written", "nobody"), &response),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("nobody")));
}

TEST_F(MatchServiceEndToEndTest, DeletedProfileIdIsNotFound) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  ASSERT_THAT(Delete(kTenant, "asker"), GrpcOk());
  v1::FindPartnersResponse response;
  EXPECT_THAT(Find(ByProfile(kTenant, "asker"), &response),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("\"asker\"")));
}

TEST_F(MatchServiceEndToEndTest, ProfileWithoutNeedsIsFailedPrecondition) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());  // "law" only offers
  v1::FindPartnersResponse response;
  EXPECT_THAT(Find(ByProfile(kTenant, "law"), &response),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION, HasSubstr("no unexpired needs")));
  // In the reverse direction its offer is the query, and that works.
  v1::FindPartnersRequest request = ByProfile(kTenant, "law");
  request.set_direction(v1::DIRECTION_OFFERS_TO_NEEDS);
  EXPECT_THAT(FindIds(request), Not(IsEmpty()));
}

TEST_F(MatchServiceEndToEndTest, TextInUnknownTenantFindsNothing) {
  v1::FindPartnersResponse response;
  ASSERT_THAT(Find(ByText("never-written", kBatteryNeed), &response), GrpcOk());
  EXPECT_THAT(response.suggestions(), IsEmpty());
}

TEST_F(MatchServiceEndToEndTest, UnknownItemIdIsNotFound) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByProfile(kTenant, "asker");
  request.set_item_id("n9");
  v1::FindPartnersResponse response;
  EXPECT_THAT(Find(request, &response), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("item_id")));
}

TEST_F(MatchServiceEndToEndTest, MissingQueryIsInvalid) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request;
  request.set_tenant(kTenant);
  ExpectInvalid(request, "query");
}

TEST_F(MatchServiceEndToEndTest, EmptyTenantIsInvalid) {
  ExpectInvalid(ByText("", kBatteryNeed), "tenant");
}

TEST_F(MatchServiceEndToEndTest, BlankTextIsInvalid) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  ExpectInvalid(ByText(kTenant, "   "), "text");
}

TEST_F(MatchServiceEndToEndTest, WrongDimensionVectorIsInvalid) {
  ASSERT_NO_FATAL_FAILURE(SeedVectorTenant());
  ExpectInvalid(ByVector(kVectorTenant, {1, 0, 0}), "vector.values");
  ExpectInvalid(ByVector(kVectorTenant, {1, 0, 0, 0, 0}), "vector.values");
}

TEST_F(MatchServiceEndToEndTest, NonFiniteVectorIsInvalid) {
  ASSERT_NO_FATAL_FAILURE(SeedVectorTenant());
  ExpectInvalid(ByVector(kVectorTenant, {1, std::numeric_limits<float>::quiet_NaN(), 0, 0}), "vector.values[1]");
  ExpectInvalid(ByVector(kVectorTenant, {std::numeric_limits<float>::infinity(), 0, 0, 0}), "vector.values[0]");
}

TEST_F(MatchServiceEndToEndTest, TextQueryInClientVectorTenantIsFailedPrecondition) {
  ASSERT_NO_FATAL_FAILURE(SeedVectorTenant());
  v1::FindPartnersResponse response;
  EXPECT_THAT(Find(ByText(kVectorTenant, kBatteryNeed), &response),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION, HasSubstr("text")));
}

TEST_F(MatchServiceEndToEndTest, UnknownKindInFiltersIsInvalid) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByProfile(kTenant, "asker");
  request.mutable_filters()->add_kinds(static_cast<v1::ProfileKind>(99));
  ExpectInvalid(request, "filters.kinds[0]");
}

TEST_F(MatchServiceEndToEndTest, UnknownComponentInFiltersIsInvalid) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByProfile(kTenant, "asker");
  request.mutable_filters()->add_components(v1::COMPONENT_FUNDING);
  request.mutable_filters()->add_components(static_cast<v1::Component>(99));
  ExpectInvalid(request, "filters.components[1]");
}

TEST_F(MatchServiceEndToEndTest, UnknownDirectionIsInvalid) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByProfile(kTenant, "asker");
  request.set_direction(static_cast<v1::Direction>(99));
  ExpectInvalid(request, "direction");
}

TEST_F(MatchServiceEndToEndTest, MalformedCountryFilterIsInvalid) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByProfile(kTenant, "asker");
  request.mutable_filters()->add_countries("de");
  ExpectInvalid(request, "filters.countries[0]");
}

TEST_F(MatchServiceEndToEndTest, MaxDistanceWithTextQueryIsInvalid) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByText(kTenant, kBatteryNeed);
  request.mutable_filters()->set_max_distance_km(50.0);
  ExpectInvalid(request, "filters.max_distance_km");
}

TEST_F(MatchServiceEndToEndTest, NonPositiveMaxDistanceIsInvalid) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByProfile(kTenant, "asker");
  request.mutable_filters()->set_max_distance_km(0.0);
  ExpectInvalid(request, "filters.max_distance_km");
}

TEST_F(MatchServiceEndToEndTest, MaxDistanceForProfileWithoutCoordinatesIsFailedPrecondition) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  ASSERT_NO_FATAL_FAILURE(MustUpsert(kTenant, Actor("nowhere", v1::PROFILE_KIND_SMB, kBatteryNeed, "")));
  v1::FindPartnersRequest request = ByProfile(kTenant, "nowhere");
  request.mutable_filters()->set_max_distance_km(50.0);
  v1::FindPartnersResponse response;
  EXPECT_THAT(Find(request, &response),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION, HasSubstr("filters.max_distance_km")));
}

TEST_F(MatchServiceEndToEndTest, ItemIdWithTextQueryIsInvalid) {
  ASSERT_NO_FATAL_FAILURE(SeedEcosystem());
  v1::FindPartnersRequest request = ByText(kTenant, kBatteryNeed);
  request.set_item_id("n1");
  ExpectInvalid(request, "item_id");
}

// ---------------------------------------------------------------------------
// grpc.health.v1.Health

class HealthEndToEndTest : public EndToEndTest {
 protected:
  grpc::Status Check(const std::string& service, HealthCheckResponse* response) {
    grpc::ClientContext context;
    SetDeadline(context);
    HealthCheckRequest request;
    request.set_service(service);
    return health_->Check(&context, request, response);
  }
};

TEST_F(HealthEndToEndTest, ServingForServerAndBothServices) {
  for (const std::string service : {"", "pollinator.v1.ProfileService", "pollinator.v1.MatchService"}) {
    SCOPED_TRACE(service);
    HealthCheckResponse response;
    ASSERT_THAT(Check(service, &response), GrpcOk());
    EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  }
}

TEST_F(HealthEndToEndTest, UnknownServiceIsNotFound) {
  HealthCheckResponse response;
  EXPECT_THAT(Check("pollinator.v1.NoSuchService", &response),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, ::testing::_));
}

}  // namespace
}  // namespace pollinator
