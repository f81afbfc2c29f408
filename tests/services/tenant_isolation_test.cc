// In-process end-to-end tests that tenants are isolated: through every RPC,
// tenant "assoc-a" never sees, changes or is matched with a profile of
// "assoc-b", even where both hold the same profile id and similar texts.
// Each test starts a real PollinatorServer on a fresh temporary data_dir and
// talks to it through InProcessChannel().
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pollinator/v1/service.grpc.pb.h"
#include "services/server.h"
#include "tests/testing/grpc_matchers.h"
#include "tests/testing/grpc_server_fixture.h"
#include "tests/testing/profiles.h"
#include "tests/testing/status_matchers.h"

namespace pollinator {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::pollinator::testing::GrpcOk;
using ::pollinator::testing::GrpcStatusIs;
using ::pollinator::testing::MakeProfile;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kTenantA[] = "assoc-a";
constexpr char kTenantB[] = "assoc-b";
constexpr char kBatteryNeed[] = "pilot line for lithium battery cathode coating";
constexpr char kBatteryOffer[] = "battery cell pilot line with cathode coating and calendering";

// A profile named after its tenant, so that a leaked suggestion shows even
// when both tenants use the same id.
v1::Profile TenantProfile(const std::string& tenant, const std::string& id, v1::ProfileKind kind,
                          const std::vector<std::string>& needs, const std::vector<std::string>& offers) {
  v1::Profile profile = MakeProfile(id, kind, needs, offers);
  profile.set_name(tenant + ": " + id);
  return profile;
}

void SetValues(google::protobuf::RepeatedField<float>* field, const std::vector<float>& values) {
  field->Clear();
  field->Add(values.begin(), values.end());
}

class TenantIsolationTest : public testing::GrpcServerTest {
 protected:
  // Both tenants hold "shared" (with different content) and a few profiles
  // of their own. B's profiles match A's needs better than A's own do, so a
  // leak would surface at the top of A's suggestions.
  void SeedBothTenants() {
    Seed(kTenantA, TenantProfile(kTenantA, "shared", v1::PROFILE_KIND_SMB, {kBatteryNeed},
                                 {"contract machining of aluminium housings"}));
    Seed(kTenantA, TenantProfile(kTenantA, "a-lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE,
                                 {"doctoral researchers in electrochemistry"}, {"electrode coating trials"}));
    Seed(kTenantA, TenantProfile(kTenantA, "a-only", v1::PROFILE_KIND_STARTUP, {"seed funding"},
                                 {"managed kubernetes hosting for web shops"}));

    Seed(kTenantB, TenantProfile(kTenantB, "shared", v1::PROFILE_KIND_STARTUP, {kBatteryNeed}, {kBatteryOffer}));
    Seed(kTenantB, TenantProfile(kTenantB, "b-lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE,
                                 {"contract machining of aluminium housings"}, {kBatteryOffer}));
    Seed(kTenantB, TenantProfile(kTenantB, "b-only", v1::PROFILE_KIND_SMB, {"electrode coating trials"},
                                 {"pilot line for lithium battery cathode coating services"}));
  }

  // Upserts and remembers the profile as what `tenant` should hold.
  void Seed(const std::string& tenant, const v1::Profile& profile) {
    EXPECT_THAT(Upsert(tenant, profile), GrpcOk()) << tenant << "/" << profile.id();
    held_[tenant][profile.id()] = profile;
  }

  // Every profile of `tenant`, paging with page_size 2 so that page tokens
  // are exercised too.
  std::vector<v1::Profile> ListAll(const std::string& tenant) {
    std::vector<v1::Profile> all;
    std::string token;
    for (int page = 0; page < 100; ++page) {
      grpc::ClientContext context;
      SetDeadline(context);
      v1::ListProfilesRequest request;
      request.set_tenant(tenant);
      request.set_page_size(2);
      request.set_page_token(token);
      v1::ListProfilesResponse response;
      EXPECT_THAT(profiles_->ListProfiles(&context, request, &response), GrpcOk());
      all.insert(all.end(), response.profiles().begin(), response.profiles().end());
      token = response.next_page_token();
      if (token.empty()) break;
    }
    return all;
  }

  std::vector<std::string> ListIds(const std::string& tenant) {
    std::vector<std::string> ids;
    for (const v1::Profile& profile : ListAll(tenant)) ids.push_back(profile.id());
    return ids;
  }

  // The profile `tenant` holds under `id` equals what was seeded there.
  void ExpectHolds(const std::string& tenant, const std::string& id) {
    v1::Profile stored;
    ASSERT_THAT(Get(tenant, id, &stored), GrpcOk()) << tenant << "/" << id;
    EXPECT_TRUE(MessageDifferencer::Equals(stored, held_[tenant][id]))
        << tenant << "/" << id << " holds:\n"
        << stored.DebugString();
  }

  // Runs `request` (in `tenant`) and checks that every suggestion is one of
  // `tenant`'s own profiles: its id, its name and the text of its matched
  // item all come from that tenant. Returns the partner ids.
  std::vector<std::string> FindOwnOnly(const v1::FindPartnersRequest& request) {
    v1::FindPartnersResponse response;
    EXPECT_THAT(Find(request, &response), GrpcOk());
    const std::map<std::string, v1::Profile>& own = held_[request.tenant()];
    const bool needs_to_offers = request.direction() != v1::DIRECTION_OFFERS_TO_NEEDS;
    std::vector<std::string> ids;
    for (const v1::Suggestion& s : response.suggestions()) {
      ids.push_back(s.partner().id());
      auto it = own.find(s.partner().id());
      if (it == own.end()) {
        ADD_FAILURE() << "tenant " << request.tenant() << " was suggested foreign profile " << s.partner().id()
                      << " (" << s.partner().name() << ")";
        continue;
      }
      EXPECT_EQ(s.partner().name(), it->second.name());
      const v1::ItemRef& partner_item = needs_to_offers ? s.offer() : s.need();
      bool item_found = false;
      for (const v1::Need& need : it->second.needs()) {
        item_found |= !needs_to_offers && need.id() == partner_item.id() && need.text() == partner_item.text();
      }
      for (const v1::Offer& offer : it->second.offers()) {
        item_found |= needs_to_offers && offer.id() == partner_item.id() && offer.text() == partner_item.text();
      }
      EXPECT_TRUE(item_found) << "suggested item " << partner_item.ShortDebugString() << " is not "
                              << request.tenant() << "'s " << s.partner().id();
    }
    return ids;
  }

  // Every candidate, relevant or not: whatever is suggested must be the
  // tenant's own.
  static v1::FindPartnersRequest Request(const std::string& tenant) {
    v1::FindPartnersRequest request;
    request.set_tenant(tenant);
    request.set_top_k(100);
    request.set_min_relevance(0);
    return request;
  }

  // What each tenant should hold: tenant -> id -> profile.
  std::map<std::string, std::map<std::string, v1::Profile>> held_;
};

TEST_F(TenantIsolationTest, SameIdHoldsDifferentContentPerTenant) {
  ASSERT_NO_FATAL_FAILURE(SeedBothTenants());
  ASSERT_FALSE(MessageDifferencer::Equals(held_[kTenantA]["shared"], held_[kTenantB]["shared"]));
  ExpectHolds(kTenantA, "shared");
  ExpectHolds(kTenantB, "shared");
}

TEST_F(TenantIsolationTest, UpsertOfIdTakenInOtherTenantReportsCreated) {
  Seed(kTenantB, TenantProfile(kTenantB, "shared", v1::PROFILE_KIND_STARTUP, {kBatteryNeed}, {kBatteryOffer}));
  v1::UpsertProfileResponse response;
  const v1::Profile a = TenantProfile(kTenantA, "shared", v1::PROFILE_KIND_SMB, {kBatteryNeed}, {});
  ASSERT_THAT(Upsert(kTenantA, a, &response), GrpcOk());
  EXPECT_TRUE(response.created());
  held_[kTenantA]["shared"] = a;
  ExpectHolds(kTenantA, "shared");
  ExpectHolds(kTenantB, "shared");
}

TEST_F(TenantIsolationTest, GetOfOtherTenantsIdIsNotFound) {
  ASSERT_NO_FATAL_FAILURE(SeedBothTenants());
  EXPECT_THAT(Get(kTenantA, "b-only"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("b-only")));
  EXPECT_THAT(Get(kTenantA, "b-lab"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("b-lab")));
  EXPECT_THAT(Get(kTenantB, "a-only"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("a-only")));
  EXPECT_THAT(Get(kTenantB, "a-lab"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("a-lab")));
}

TEST_F(TenantIsolationTest, ListShowsOnlyOwnProfiles) {
  ASSERT_NO_FATAL_FAILURE(SeedBothTenants());
  const std::vector<v1::Profile> a = ListAll(kTenantA);
  EXPECT_THAT(ListIds(kTenantA), ElementsAre("a-lab", "a-only", "shared"));
  EXPECT_THAT(ListIds(kTenantB), ElementsAre("b-lab", "b-only", "shared"));
  for (const v1::Profile& profile : a) {
    EXPECT_TRUE(MessageDifferencer::Equals(profile, held_[kTenantA][profile.id()])) << profile.DebugString();
  }
}

TEST_F(TenantIsolationTest, TenantNamesThatArePrefixesStayApart) {
  // "assoc" is a byte prefix of both other tenants' names.
  ASSERT_NO_FATAL_FAILURE(SeedBothTenants());
  Seed("assoc", TenantProfile("assoc", "shared", v1::PROFILE_KIND_UNIVERSITY, {kBatteryNeed}, {"lecture halls"}));
  EXPECT_THAT(ListIds("assoc"), ElementsAre("shared"));
  EXPECT_THAT(ListIds(kTenantA), ElementsAre("a-lab", "a-only", "shared"));
  ExpectHolds("assoc", "shared");
  ExpectHolds(kTenantA, "shared");
  EXPECT_THAT(Get("assoc", "a-lab"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("a-lab")));
  v1::FindPartnersRequest request = Request("assoc");
  request.set_text(kBatteryOffer);
  EXPECT_THAT(FindOwnOnly(request), ElementsAre("shared"));
}

TEST_F(TenantIsolationTest, FindPartnersByProfileSuggestsOnlyOwnProfiles) {
  ASSERT_NO_FATAL_FAILURE(SeedBothTenants());
  v1::FindPartnersRequest request = Request(kTenantA);
  request.set_profile_id("shared");
  // A's "shared" needs a battery line; only B has one, and it must stay hidden.
  EXPECT_THAT(FindOwnOnly(request), Not(IsEmpty()));
  request.set_tenant(kTenantB);
  EXPECT_THAT(FindOwnOnly(request), Contains("b-lab"));
}

TEST_F(TenantIsolationTest, FindPartnersByTextSuggestsOnlyOwnProfiles) {
  ASSERT_NO_FATAL_FAILURE(SeedBothTenants());
  v1::FindPartnersRequest request = Request(kTenantA);
  request.set_text(kBatteryNeed);
  EXPECT_THAT(FindOwnOnly(request), SizeIs(3));
  request.set_tenant(kTenantB);
  EXPECT_THAT(FindOwnOnly(request), SizeIs(3));
}

TEST_F(TenantIsolationTest, FindPartnersByVectorSuggestsOnlyOwnProfiles) {
  ASSERT_NO_FATAL_FAILURE(SeedBothTenants());
  // A query vector of the built-in dimension (256, ServerOptions default).
  std::vector<float> values(256);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>((i * 37) % 11) - 5.0f;
  v1::FindPartnersRequest request = Request(kTenantA);
  request.mutable_vector()->mutable_values()->Add(values.begin(), values.end());
  EXPECT_THAT(FindOwnOnly(request), SizeIs(3));
  request.set_tenant(kTenantB);
  EXPECT_THAT(FindOwnOnly(request), SizeIs(3));
}

TEST_F(TenantIsolationTest, FindPartnersInReverseDirectionSuggestsOnlyOwnProfiles) {
  ASSERT_NO_FATAL_FAILURE(SeedBothTenants());
  v1::FindPartnersRequest request = Request(kTenantA);
  request.set_profile_id("a-lab");
  request.set_direction(v1::DIRECTION_OFFERS_TO_NEEDS);
  EXPECT_THAT(FindOwnOnly(request), Not(IsEmpty()));
  request.set_tenant(kTenantB);
  request.set_profile_id("b-lab");
  EXPECT_THAT(FindOwnOnly(request), Contains("shared"));
}

TEST_F(TenantIsolationTest, FindPartnersForOtherTenantsProfileIsNotFound) {
  ASSERT_NO_FATAL_FAILURE(SeedBothTenants());
  v1::FindPartnersRequest request = Request(kTenantA);
  request.set_profile_id("b-lab");
  v1::FindPartnersResponse response;
  EXPECT_THAT(Find(request, &response), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("b-lab")));
  EXPECT_THAT(response.suggestions(), IsEmpty());
}

TEST_F(TenantIsolationTest, ClientVectorTenantsHaveTheirOwnDimensionAndMatches) {
  // Each tenant fixes its own dimension with its first vector.
  v1::Profile a = TenantProfile("vectors-a", "shared", v1::PROFILE_KIND_SMB, {"need"}, {"offer of a"});
  SetValues(a.mutable_needs(0)->mutable_vector(), {1.0f, 0.0f, 0.0f, 0.0f});
  SetValues(a.mutable_offers(0)->mutable_vector(), {0.0f, 1.0f, 0.0f, 0.0f});
  Seed("vectors-a", a);
  v1::Profile a2 = TenantProfile("vectors-a", "a-other", v1::PROFILE_KIND_SMB, {"need"}, {"offer of a-other"});
  SetValues(a2.mutable_needs(0)->mutable_vector(), {0.0f, 1.0f, 0.0f, 0.0f});
  SetValues(a2.mutable_offers(0)->mutable_vector(), {0.0f, 0.0f, 1.0f, 0.0f});
  Seed("vectors-a", a2);
  v1::Profile b = TenantProfile("vectors-b", "shared", v1::PROFILE_KIND_SMB, {"need"}, {"offer of b"});
  SetValues(b.mutable_needs(0)->mutable_vector(), {1.0f, 0.0f, 0.0f});
  SetValues(b.mutable_offers(0)->mutable_vector(), {1.0f, 0.0f, 0.0f});
  Seed("vectors-b", b);
  v1::Profile b2 = TenantProfile("vectors-b", "b-other", v1::PROFILE_KIND_SMB, {"need"}, {"offer of b-other"});
  SetValues(b2.mutable_needs(0)->mutable_vector(), {0.0f, 1.0f, 0.0f});
  SetValues(b2.mutable_offers(0)->mutable_vector(), {0.0f, 0.0f, 1.0f});
  Seed("vectors-b", b2);
  ExpectHolds("vectors-a", "shared");
  ExpectHolds("vectors-b", "shared");

  v1::FindPartnersRequest request = Request("vectors-a");
  SetValues(request.mutable_vector()->mutable_values(), {0.0f, 1.0f, 0.0f, 0.0f});
  const std::vector<std::string> a_ids = FindOwnOnly(request);
  ASSERT_THAT(a_ids, SizeIs(2));
  EXPECT_EQ(a_ids[0], "shared");
  request.set_tenant("vectors-b");
  SetValues(request.mutable_vector()->mutable_values(), {1.0f, 0.0f, 0.0f});
  const std::vector<std::string> b_ids = FindOwnOnly(request);
  ASSERT_THAT(b_ids, SizeIs(2));
  EXPECT_EQ(b_ids[0], "shared");

  request.clear_vector();
  request.set_profile_id("shared");
  request.set_tenant("vectors-a");
  EXPECT_THAT(FindOwnOnly(request), ElementsAre("a-other"));
  request.set_tenant("vectors-b");
  EXPECT_THAT(FindOwnOnly(request), ElementsAre("b-other"));
}

TEST_F(TenantIsolationTest, DeleteInOneTenantKeepsOtherTenantsProfile) {
  ASSERT_NO_FATAL_FAILURE(SeedBothTenants());
  ASSERT_THAT(Delete(kTenantA, "shared"), GrpcOk());
  held_[kTenantA].erase("shared");

  EXPECT_THAT(Get(kTenantA, "shared"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("shared")));
  ExpectHolds(kTenantB, "shared");
  EXPECT_THAT(ListIds(kTenantA), ElementsAre("a-lab", "a-only"));
  EXPECT_THAT(ListIds(kTenantB), ElementsAre("b-lab", "b-only", "shared"));
  // B's "shared" is still matchable in B, and still invisible in A.
  v1::FindPartnersRequest request = Request(kTenantB);
  request.set_text(kBatteryNeed);
  EXPECT_THAT(FindOwnOnly(request), Contains("shared"));
  request.set_tenant(kTenantA);
  EXPECT_THAT(FindOwnOnly(request), Not(Contains("shared")));
  v1::FindPartnersRequest by_profile = Request(kTenantB);
  by_profile.set_profile_id("shared");
  EXPECT_THAT(FindOwnOnly(by_profile), Not(IsEmpty()));
}

TEST_F(TenantIsolationTest, DeleteOfOtherTenantsIdIsNotFound) {
  ASSERT_NO_FATAL_FAILURE(SeedBothTenants());
  EXPECT_THAT(Delete(kTenantA, "b-only"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("b-only")));
  ExpectHolds(kTenantB, "b-only");
  EXPECT_THAT(ListIds(kTenantB), ElementsAre("b-lab", "b-only", "shared"));
}

TEST_F(TenantIsolationTest, ReplaceInOneTenantLeavesOtherTenantsMatchesAlone) {
  ASSERT_NO_FATAL_FAILURE(SeedBothTenants());
  Seed(kTenantA, TenantProfile(kTenantA, "shared", v1::PROFILE_KIND_SMB, {"seed funding"}, {"lecture halls"}));
  ExpectHolds(kTenantB, "shared");
  v1::FindPartnersRequest request = Request(kTenantB);
  request.set_text(kBatteryNeed);
  const std::vector<std::string> ids = FindOwnOnly(request);
  EXPECT_THAT(ids, Contains("shared"));
  request.set_tenant(kTenantA);
  FindOwnOnly(request);
}

TEST_F(TenantIsolationTest, BulkUpsertIntoOneTenantStaysThere) {
  ASSERT_NO_FATAL_FAILURE(SeedBothTenants());
  const std::vector<v1::Profile> items = {
      TenantProfile(kTenantA, "bulk-1", v1::PROFILE_KIND_SMB, {kBatteryNeed}, {kBatteryOffer}),
      TenantProfile(kTenantA, "shared", v1::PROFILE_KIND_UNIVERSITY, {"lab technicians"}, {"lecture halls"}),
  };
  grpc::ClientContext context;
  SetDeadline(context);
  v1::BulkUpsertResponse response;
  std::unique_ptr<grpc::ClientWriter<v1::UpsertProfileRequest>> writer = profiles_->BulkUpsert(&context, &response);
  for (const v1::Profile& item : items) {
    v1::UpsertProfileRequest request;
    request.set_tenant(kTenantA);
    *request.mutable_profile() = item;
    ASSERT_TRUE(writer->Write(request));
    held_[kTenantA][item.id()] = item;
  }
  ASSERT_TRUE(writer->WritesDone());
  ASSERT_THAT(writer->Finish(), GrpcOk());
  ASSERT_EQ(response.upserted(), 2);
  ASSERT_THAT(response.errors(), IsEmpty());

  ExpectHolds(kTenantA, "bulk-1");
  ExpectHolds(kTenantA, "shared");
  EXPECT_THAT(Get(kTenantB, "bulk-1"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("bulk-1")));
  ExpectHolds(kTenantB, "shared");
  EXPECT_THAT(ListIds(kTenantB), ElementsAre("b-lab", "b-only", "shared"));
  v1::FindPartnersRequest request = Request(kTenantB);
  request.set_text(kBatteryOffer);
  request.set_direction(v1::DIRECTION_OFFERS_TO_NEEDS);
  EXPECT_THAT(FindOwnOnly(request), Not(Contains("bulk-1")));
}

}  // namespace
}  // namespace pollinator
