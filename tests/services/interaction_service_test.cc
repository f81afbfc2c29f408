// In-process end-to-end tests of pollinator.v1.InteractionService: every RPC
// with its success path and its error codes, all-or-nothing batches, paging,
// durability across a restart on the same data_dir, the in-memory interaction
// graph that matching reads, and tenant isolation. Each test runs a real
// PollinatorServer over RocksDB in a fresh temporary folder (see
// GrpcServerTest).
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "pollinator/v1/service.grpc.pb.h"
#include "services/tenant_state.h"
#include "tests/testing/grpc_matchers.h"
#include "tests/testing/grpc_server_fixture.h"
#include "tests/testing/profiles.h"
#include "tests/testing/status_matchers.h"

namespace pollinator {
namespace {

using ::pollinator::testing::GrpcOk;
using ::pollinator::testing::GrpcStatusIs;
using ::pollinator::testing::IsOk;
using ::pollinator::testing::MakeProfile;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Le;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kTenant[] = "assoc";
// kTenant is a prefix of this name: their keys must still stay apart.
constexpr char kOtherTenant[] = "assoc-2";

constexpr v1::InteractionType kAllTypes[] = {v1::INTERACTION_TYPE_SHOWN, v1::INTERACTION_TYPE_CONTACTED,
                                             v1::INTERACTION_TYPE_ACCEPTED, v1::INTERACTION_TYPE_DECLINED,
                                             v1::INTERACTION_TYPE_COLLABORATED};

// A valid interaction; DECLINED ones get a reason, as they must.
v1::Interaction MakeInteraction(const std::string& from, const std::string& to, v1::InteractionType type) {
  v1::Interaction interaction;
  interaction.set_from_profile_id(from);
  interaction.set_to_profile_id(to);
  interaction.set_type(type);
  if (type == v1::INTERACTION_TYPE_DECLINED) interaction.set_decline_reason(v1::DECLINE_REASON_NO_CAPACITY);
  return interaction;
}

std::vector<int64_t> Sequences(const std::vector<v1::Interaction>& interactions) {
  std::vector<int64_t> sequences;
  for (const v1::Interaction& interaction : interactions) sequences.push_back(interaction.sequence());
  return sequences;
}

std::vector<v1::InteractionType> Types(const std::vector<v1::Interaction>& interactions) {
  std::vector<v1::InteractionType> types;
  for (const v1::Interaction& interaction : interactions) types.push_back(interaction.type());
  return types;
}

// An InteractionGraph relation as sorted "from>to" edges, for exact asserts.
std::vector<std::string> Edges(const absl::flat_hash_map<std::string, absl::flat_hash_set<std::string>>& relation) {
  std::set<std::string> edges;
  for (const auto& [from, tos] : relation) {
    for (const std::string& to : tos) edges.insert(from + ">" + to);
  }
  return std::vector<std::string>(edges.begin(), edges.end());
}

class InteractionServiceTest : public testing::GrpcServerTest {
 protected:
  // Upserts small profiles; fails the test on error.
  void MustSeed(const std::string& tenant, const std::vector<std::string>& ids) {
    for (const std::string& id : ids) {
      ASSERT_THAT(Upsert(tenant, MakeProfile(id, v1::PROFILE_KIND_SMB, {}, {"offer of " + id})), GrpcOk())
          << "upserting " << id;
    }
  }

  grpc::Status RecordBatch(const std::string& tenant, const std::vector<v1::Interaction>& interactions,
                           int64_t* recorded = nullptr) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::RecordInteractionsRequest request;
    request.set_tenant(tenant);
    for (const v1::Interaction& interaction : interactions) *request.add_interactions() = interaction;
    v1::RecordInteractionsResponse response;
    grpc::Status status = interactions_->RecordInteractions(&context, request, &response);
    if (recorded != nullptr) *recorded = response.recorded();
    return status;
  }

  grpc::Status List(const std::string& tenant, const std::string& profile_id, int page_size,
                    const std::string& page_token, v1::ListInteractionsResponse* response) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::ListInteractionsRequest request;
    request.set_tenant(tenant);
    request.set_profile_id(profile_id);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    return interactions_->ListInteractions(&context, request, response);
  }

  // Every interaction of `profile_id`, following the pages.
  std::vector<v1::Interaction> ListAll(const std::string& tenant, const std::string& profile_id) {
    std::vector<v1::Interaction> all;
    std::string token;
    do {
      v1::ListInteractionsResponse response;
      grpc::Status status = List(tenant, profile_id, 1000, token, &response);
      EXPECT_THAT(status, GrpcOk());
      if (!status.ok()) break;
      all.insert(all.end(), response.interactions().begin(), response.interactions().end());
      token = response.next_page_token();
    } while (!token.empty());
    return all;
  }

  // A copy of the tenant's in-memory interaction graph (empty when the
  // tenant has no data), as matching sees it.
  InteractionGraph Graph(const std::string& tenant) {
    InteractionGraph graph;
    EXPECT_THAT(server_->catalog().ReadTenant(tenant,
                                              [&](const TenantState* state) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                                                if (state != nullptr) graph = state->interactions;
                                                return absl::OkStatus();
                                              }),
                IsOk());
    return graph;
  }

  // The request fails with `code` and a message containing each of
  // `substrings`, and stores nothing for "a" and "b".
  void ExpectRejected(const v1::Interaction& interaction, grpc::StatusCode code,
                      const std::vector<std::string>& substrings) {
    SCOPED_TRACE(interaction.ShortDebugString());
    grpc::Status status = RecordInteraction(kTenant, interaction);
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    for (const std::string& substring : substrings) EXPECT_THAT(status.error_message(), HasSubstr(substring));
    EXPECT_THAT(ListAll(kTenant, "a"), IsEmpty());
    EXPECT_THAT(ListAll(kTenant, "b"), IsEmpty());
  }
};

// ---------------------------------------------------------------------------
// RecordInteraction and ListInteractions

TEST_F(InteractionServiceTest, EachTypeIsListedForBothProfilesWithIncreasingSequence) {
  ASSERT_NO_FATAL_FAILURE(MustSeed(kTenant, {"a", "b", "c"}));
  const int64_t before_ms = absl::ToUnixMillis(absl::Now());
  std::vector<v1::Interaction> stored;
  for (v1::InteractionType type : kAllTypes) {
    SCOPED_TRACE(v1::InteractionType_Name(type));
    v1::Interaction interaction = MakeInteraction("a", "b", type);
    interaction.set_note("note on " + v1::InteractionType_Name(type));
    // Server-assigned fields are ignored on input.
    interaction.set_sequence(999);
    interaction.set_recorded_at_unix_ms(1);
    v1::Interaction response;
    ASSERT_THAT(RecordInteraction(kTenant, interaction, &response), GrpcOk());
    EXPECT_EQ(response.from_profile_id(), "a");
    EXPECT_EQ(response.to_profile_id(), "b");
    EXPECT_EQ(response.type(), type);
    EXPECT_EQ(response.decline_reason(), interaction.decline_reason());
    EXPECT_EQ(response.note(), interaction.note());
    EXPECT_THAT(response.recorded_at_unix_ms(), AllOf(Ge(before_ms), Le(absl::ToUnixMillis(absl::Now()))));
    stored.push_back(response);
  }
  EXPECT_THAT(Sequences(stored), ElementsAre(1, 2, 3, 4, 5));

  for (const std::string profile : {"a", "b"}) {
    SCOPED_TRACE(profile);
    const std::vector<v1::Interaction> listed = ListAll(kTenant, profile);
    ASSERT_THAT(listed, SizeIs(stored.size()));
    for (size_t i = 0; i < listed.size(); ++i) {
      EXPECT_EQ(listed[i].SerializeAsString(), stored[i].SerializeAsString()) << listed[i].DebugString();
    }
  }
  EXPECT_THAT(ListAll(kTenant, "c"), IsEmpty());
}

TEST_F(InteractionServiceTest, DeclinedAndCollaboratedShapeTheGraph) {
  ASSERT_NO_FATAL_FAILURE(MustSeed(kTenant, {"a", "b", "c", "d"}));
  for (v1::InteractionType type :
       {v1::INTERACTION_TYPE_SHOWN, v1::INTERACTION_TYPE_CONTACTED, v1::INTERACTION_TYPE_ACCEPTED}) {
    ASSERT_THAT(RecordInteraction(kTenant, MakeInteraction("a", "d", type)), GrpcOk());
  }
  InteractionGraph graph = Graph(kTenant);
  EXPECT_THAT(Edges(graph.declined), IsEmpty());
  EXPECT_THAT(Edges(graph.collaborators), IsEmpty());

  ASSERT_THAT(RecordInteraction(kTenant, MakeInteraction("a", "b", v1::INTERACTION_TYPE_DECLINED)), GrpcOk());
  ASSERT_THAT(RecordInteraction(kTenant, MakeInteraction("c", "a", v1::INTERACTION_TYPE_COLLABORATED)), GrpcOk());
  graph = Graph(kTenant);
  // Declining is one-sided; collaborating is entered under both profiles.
  EXPECT_THAT(Edges(graph.declined), ElementsAre("a>b"));
  EXPECT_THAT(Edges(graph.collaborators), ElementsAre("a>c", "c>a"));
}

TEST_F(InteractionServiceTest, NoteOfExactlyOneKibIsAccepted) {
  ASSERT_NO_FATAL_FAILURE(MustSeed(kTenant, {"a", "b"}));
  v1::Interaction interaction = MakeInteraction("a", "b", v1::INTERACTION_TYPE_CONTACTED);
  interaction.set_note(std::string(1024, 'x'));
  v1::Interaction stored;
  ASSERT_THAT(RecordInteraction(kTenant, interaction, &stored), GrpcOk());
  EXPECT_EQ(stored.note().size(), 1024u);
}

TEST_F(InteractionServiceTest, InvalidInteractionIsRejectedNamingTheField) {
  ASSERT_NO_FATAL_FAILURE(MustSeed(kTenant, {"a", "b"}));
  const v1::Interaction valid = MakeInteraction("a", "b", v1::INTERACTION_TYPE_CONTACTED);
  struct Case {
    std::string name;
    std::function<void(v1::Interaction&)> change;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"empty from", [](v1::Interaction& i) { i.clear_from_profile_id(); }, "interaction.from_profile_id: empty"},
      {"long from", [](v1::Interaction& i) { i.set_from_profile_id(std::string(129, 'a')); },
       "interaction.from_profile_id: longer than 128 bytes"},
      {"empty to", [](v1::Interaction& i) { i.clear_to_profile_id(); }, "interaction.to_profile_id: empty"},
      {"control character in to", [](v1::Interaction& i) { i.set_to_profile_id("b\n"); },
       "interaction.to_profile_id: contains control characters"},
      {"self", [](v1::Interaction& i) { i.set_to_profile_id("a"); }, "interaction.to_profile_id: \"a\" is also"},
      {"no type", [](v1::Interaction& i) { i.clear_type(); }, "interaction.type: unspecified"},
      {"unknown type", [](v1::Interaction& i) { i.set_type(static_cast<v1::InteractionType>(42)); },
       "interaction.type: unknown value 42"},
      {"declined without reason", [](v1::Interaction& i) { i.set_type(v1::INTERACTION_TYPE_DECLINED); },
       "interaction.decline_reason: required"},
      {"declined with unknown reason",
       [](v1::Interaction& i) {
         i.set_type(v1::INTERACTION_TYPE_DECLINED);
         i.set_decline_reason(static_cast<v1::DeclineReason>(17));
       },
       "interaction.decline_reason: unknown value 17"},
      {"reason without declining", [](v1::Interaction& i) { i.set_decline_reason(v1::DECLINE_REASON_OTHER); },
       "interaction.decline_reason: set only when type is INTERACTION_TYPE_DECLINED"},
      {"long note", [](v1::Interaction& i) { i.set_note(std::string(1025, 'x')); },
       "interaction.note: 1025 bytes, over the limit of 1 KiB"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    v1::Interaction interaction = valid;
    c.change(interaction);
    ASSERT_NO_FATAL_FAILURE(ExpectRejected(interaction, grpc::StatusCode::INVALID_ARGUMENT, {c.field}));
  }
  EXPECT_THAT(RecordInteraction("", valid), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("tenant: empty")));
  EXPECT_THAT(Edges(Graph(kTenant).declined), IsEmpty());
}

TEST_F(InteractionServiceTest, UnknownProfilesAreNotFound) {
  ASSERT_NO_FATAL_FAILURE(MustSeed(kTenant, {"a", "b", "gone"}));
  ASSERT_THAT(Delete(kTenant, "gone"), GrpcOk());
  ASSERT_NO_FATAL_FAILURE(ExpectRejected(MakeInteraction("ghost", "b", v1::INTERACTION_TYPE_SHOWN),
                                         grpc::StatusCode::NOT_FOUND,
                                         {"interaction.from_profile_id", "\"ghost\"", "tenant \"assoc\""}));
  ASSERT_NO_FATAL_FAILURE(ExpectRejected(MakeInteraction("a", "ghost", v1::INTERACTION_TYPE_SHOWN),
                                         grpc::StatusCode::NOT_FOUND, {"interaction.to_profile_id", "\"ghost\""}));
  ASSERT_NO_FATAL_FAILURE(ExpectRejected(MakeInteraction("a", "gone", v1::INTERACTION_TYPE_DECLINED),
                                         grpc::StatusCode::NOT_FOUND, {"interaction.to_profile_id", "\"gone\""}));
  EXPECT_THAT(RecordInteraction("no-such-tenant", MakeInteraction("a", "b", v1::INTERACTION_TYPE_SHOWN)),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("interaction.from_profile_id")));
  EXPECT_THAT(Edges(Graph(kTenant).declined), IsEmpty());
}

TEST_F(InteractionServiceTest, DeletingAProfileErasesItsHistoryOnBothSides) {
  ASSERT_NO_FATAL_FAILURE(MustSeed(kTenant, {"a", "b", "c"}));
  ASSERT_THAT(RecordBatch(kTenant, {MakeInteraction("a", "b", v1::INTERACTION_TYPE_DECLINED),
                                    MakeInteraction("b", "c", v1::INTERACTION_TYPE_COLLABORATED),
                                    MakeInteraction("a", "c", v1::INTERACTION_TYPE_COLLABORATED),
                                    MakeInteraction("c", "b", v1::INTERACTION_TYPE_SHOWN)}),
              GrpcOk());
  ASSERT_THAT(Delete(kTenant, "b"), GrpcOk());
  for (int run = 0; run < 2; ++run) {
    SCOPED_TRACE(run == 0 ? "after the delete" : "after a restart");
    v1::ListInteractionsResponse response;
    EXPECT_THAT(List(kTenant, "b", 0, "", &response), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("no recorded interactions")));
    // The other sides' copies are gone too; what did not involve "b" stays.
    EXPECT_THAT(Sequences(ListAll(kTenant, "c")), ElementsAre(3));
    EXPECT_THAT(Sequences(ListAll(kTenant, "a")), ElementsAre(3));
    EXPECT_THAT(Edges(Graph(kTenant).declined), IsEmpty());
    EXPECT_THAT(Edges(Graph(kTenant).collaborators), ElementsAre("a>c", "c>a"));
    if (run == 0) {
      StopServer();
      StartServer();
    }
  }
}

TEST_F(InteractionServiceTest, ListPagesThroughHistory) {
  ASSERT_NO_FATAL_FAILURE(MustSeed(kTenant, {"a", "b", "c"}));
  // Five for "a", interleaved with one that does not involve it.
  ASSERT_THAT(RecordBatch(kTenant, {MakeInteraction("a", "b", v1::INTERACTION_TYPE_SHOWN),
                                    MakeInteraction("c", "a", v1::INTERACTION_TYPE_SHOWN),
                                    MakeInteraction("b", "c", v1::INTERACTION_TYPE_SHOWN),
                                    MakeInteraction("a", "c", v1::INTERACTION_TYPE_CONTACTED),
                                    MakeInteraction("b", "a", v1::INTERACTION_TYPE_ACCEPTED),
                                    MakeInteraction("a", "b", v1::INTERACTION_TYPE_COLLABORATED)}),
              GrpcOk());
  std::vector<int64_t> seen;
  std::vector<size_t> page_sizes;
  std::string token;
  do {
    v1::ListInteractionsResponse response;
    ASSERT_THAT(List(kTenant, "a", 2, token, &response), GrpcOk());
    page_sizes.push_back(response.interactions_size());
    for (const v1::Interaction& interaction : response.interactions()) seen.push_back(interaction.sequence());
    token = response.next_page_token();
    ASSERT_LE(page_sizes.size(), 10u) << "paging does not end";
  } while (!token.empty());
  EXPECT_THAT(page_sizes, ElementsAre(2, 2, 1));
  EXPECT_THAT(seen, ElementsAre(1, 2, 4, 5, 6));
}

TEST_F(InteractionServiceTest, ListDefaultsToPagesOfOneHundred) {
  ASSERT_NO_FATAL_FAILURE(MustSeed(kTenant, {"a", "b"}));
  std::vector<v1::Interaction> batch(101, MakeInteraction("a", "b", v1::INTERACTION_TYPE_SHOWN));
  ASSERT_THAT(RecordBatch(kTenant, batch), GrpcOk());
  v1::ListInteractionsResponse first;
  ASSERT_THAT(List(kTenant, "b", 0, "", &first), GrpcOk());
  EXPECT_EQ(first.interactions_size(), 100);
  ASSERT_THAT(first.next_page_token(), Not(IsEmpty()));
  v1::ListInteractionsResponse second;
  ASSERT_THAT(List(kTenant, "b", 0, first.next_page_token(), &second), GrpcOk());
  ASSERT_EQ(second.interactions_size(), 1);
  EXPECT_EQ(second.interactions(0).sequence(), 101);
  EXPECT_THAT(second.next_page_token(), IsEmpty());
}

TEST_F(InteractionServiceTest, ListRejectsBadRequestsNamingTheField) {
  ASSERT_NO_FATAL_FAILURE(MustSeed(kTenant, {"a", "b"}));
  v1::ListInteractionsResponse response;
  EXPECT_THAT(List("", "a", 0, "", &response), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("tenant")));
  EXPECT_THAT(List(kTenant, "", 0, "", &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("profile_id: empty")));
  EXPECT_THAT(List(kTenant, "a", -1, "", &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("page_size")));
  EXPECT_THAT(List(kTenant, "a", 1001, "", &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("page_size")));
  EXPECT_THAT(List(kTenant, "a", 10, "not base64 !", &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("page_token")));
  // Well-formed base64 of something that is not a sequence ("abc").
  EXPECT_THAT(List(kTenant, "a", 10, "YWJj", &response),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("page_token")));
  // An id that never had a profile or an interaction is NOT_FOUND, as in
  // GetProfile; an existing profile without history is an empty page.
  EXPECT_THAT(List(kTenant, "ghost", 0, "", &response),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("profile_id: profile \"ghost\" not found")));
  EXPECT_THAT(List("no-such-tenant", "a", 0, "", &response), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("not found")));
  ASSERT_NO_FATAL_FAILURE(MustSeed(kTenant, {"quiet"}));
  EXPECT_THAT(List(kTenant, "quiet", 0, "", &response), GrpcOk());
  EXPECT_THAT(response.interactions(), IsEmpty());
}

// ---------------------------------------------------------------------------
// RecordInteractions

TEST_F(InteractionServiceTest, BatchRecordsAllInOrder) {
  ASSERT_NO_FATAL_FAILURE(MustSeed(kTenant, {"a", "b", "c"}));
  int64_t recorded = 0;
  ASSERT_THAT(RecordBatch(kTenant,
                          {MakeInteraction("a", "b", v1::INTERACTION_TYPE_SHOWN),
                           MakeInteraction("a", "c", v1::INTERACTION_TYPE_DECLINED),
                           MakeInteraction("b", "c", v1::INTERACTION_TYPE_COLLABORATED)},
                          &recorded),
              GrpcOk());
  EXPECT_EQ(recorded, 3);
  const std::vector<v1::Interaction> of_c = ListAll(kTenant, "c");
  EXPECT_THAT(Sequences(of_c), ElementsAre(2, 3));
  EXPECT_THAT(Types(of_c), ElementsAre(v1::INTERACTION_TYPE_DECLINED, v1::INTERACTION_TYPE_COLLABORATED));
  EXPECT_THAT(Sequences(ListAll(kTenant, "a")), ElementsAre(1, 2));
  const InteractionGraph graph = Graph(kTenant);
  EXPECT_THAT(Edges(graph.declined), ElementsAre("a>c"));
  EXPECT_THAT(Edges(graph.collaborators), ElementsAre("b>c", "c>b"));
  // A single record continues the tenant's sequence.
  v1::Interaction next;
  ASSERT_THAT(RecordInteraction(kTenant, MakeInteraction("c", "a", v1::INTERACTION_TYPE_CONTACTED), &next), GrpcOk());
  EXPECT_EQ(next.sequence(), 4);
}

TEST_F(InteractionServiceTest, BatchIsAllOrNothing) {
  ASSERT_NO_FATAL_FAILURE(MustSeed(kTenant, {"a", "b", "c"}));
  const v1::Interaction declined = MakeInteraction("a", "b", v1::INTERACTION_TYPE_DECLINED);
  const v1::Interaction collaborated = MakeInteraction("b", "c", v1::INTERACTION_TYPE_COLLABORATED);
  v1::Interaction untyped = MakeInteraction("c", "a", v1::INTERACTION_TYPE_SHOWN);
  untyped.clear_type();
  EXPECT_THAT(RecordBatch(kTenant, {declined, collaborated, untyped}),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("interactions[2].type: unspecified")));
  EXPECT_THAT(RecordBatch(kTenant, {declined, MakeInteraction("b", "ghost", v1::INTERACTION_TYPE_SHOWN), collaborated}),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                           AllOf(HasSubstr("interactions[1].to_profile_id"), HasSubstr("\"ghost\""))));
  EXPECT_THAT(RecordBatch(kTenant, {declined, collaborated, MakeInteraction("ghost", "a", v1::INTERACTION_TYPE_SHOWN)}),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("interactions[2].from_profile_id")));
  v1::Interaction self = MakeInteraction("c", "c", v1::INTERACTION_TYPE_SHOWN);
  EXPECT_THAT(RecordBatch(kTenant, {declined, self}),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("interactions[1].to_profile_id")));

  for (const std::string profile : {"a", "b", "c"}) EXPECT_THAT(ListAll(kTenant, profile), IsEmpty()) << profile;
  const InteractionGraph graph = Graph(kTenant);
  EXPECT_THAT(Edges(graph.declined), IsEmpty());
  EXPECT_THAT(Edges(graph.collaborators), IsEmpty());
  // Rejected batches use up no sequences.
  v1::Interaction first;
  ASSERT_THAT(RecordInteraction(kTenant, declined, &first), GrpcOk());
  EXPECT_EQ(first.sequence(), 1);
}

TEST_F(InteractionServiceTest, BatchSizeIsOneToOneThousand) {
  ASSERT_NO_FATAL_FAILURE(MustSeed(kTenant, {"a", "b"}));
  const v1::Interaction shown = MakeInteraction("a", "b", v1::INTERACTION_TYPE_SHOWN);
  EXPECT_THAT(RecordBatch(kTenant, {}),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("interactions: 0 items")));
  EXPECT_THAT(RecordBatch(kTenant, std::vector<v1::Interaction>(1001, shown)),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("interactions: 1001 items")));
  EXPECT_THAT(ListAll(kTenant, "a"), IsEmpty());
  EXPECT_THAT(RecordBatch("", {shown}), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("tenant")));
  int64_t recorded = 0;
  ASSERT_THAT(RecordBatch(kTenant, std::vector<v1::Interaction>(1000, shown), &recorded), GrpcOk());
  EXPECT_EQ(recorded, 1000);
  EXPECT_THAT(ListAll(kTenant, "a"), SizeIs(1000));
}

// ---------------------------------------------------------------------------
// Durability

TEST_F(InteractionServiceTest, InteractionsAndGraphSurviveRestart) {
  ASSERT_NO_FATAL_FAILURE(MustSeed(kTenant, {"a", "b", "c"}));
  ASSERT_THAT(RecordInteraction(kTenant, MakeInteraction("a", "b", v1::INTERACTION_TYPE_DECLINED)), GrpcOk());
  ASSERT_THAT(RecordInteraction(kTenant, MakeInteraction("b", "c", v1::INTERACTION_TYPE_COLLABORATED)), GrpcOk());
  // A profile write after interactions must keep the interaction counter.
  ASSERT_NO_FATAL_FAILURE(MustSeed(kTenant, {"d"}));
  // Saved now, the index must still be current after the next interaction.
  ASSERT_THAT(server_->catalog().SaveIndexes(), IsOk());
  v1::Interaction third;
  ASSERT_THAT(RecordInteraction(kTenant, MakeInteraction("c", "a", v1::INTERACTION_TYPE_SHOWN), &third), GrpcOk());
  EXPECT_EQ(third.sequence(), 3);
  const std::vector<v1::Interaction> before = ListAll(kTenant, "a");
  ASSERT_THAT(before, SizeIs(2));

  ASSERT_NO_FATAL_FAILURE(StopServer());
  ASSERT_NO_FATAL_FAILURE(StartServer());

  const std::vector<v1::Interaction> after = ListAll(kTenant, "a");
  ASSERT_THAT(after, SizeIs(before.size()));
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].SerializeAsString(), before[i].SerializeAsString()) << after[i].DebugString();
  }
  const InteractionGraph graph = Graph(kTenant);
  EXPECT_THAT(Edges(graph.declined), ElementsAre("a>b"));
  EXPECT_THAT(Edges(graph.collaborators), ElementsAre("b>c", "c>b"));
  // Interactions leave the index's write sequence alone, so the index saved
  // before the last one still proves current.
  ASSERT_THAT(server_->catalog().load_reports(), SizeIs(1));
  EXPECT_TRUE(server_->catalog().load_reports()[0].index_loaded) << server_->catalog().load_reports()[0].rebuild_reason;
  EXPECT_EQ(server_->catalog().load_reports()[0].interactions, 3);
  v1::Interaction next;
  ASSERT_THAT(RecordInteraction(kTenant, MakeInteraction("d", "a", v1::INTERACTION_TYPE_CONTACTED), &next), GrpcOk());
  EXPECT_EQ(next.sequence(), 4);
}

// ---------------------------------------------------------------------------
// Tenant isolation

TEST_F(InteractionServiceTest, TenantsNeitherSeeNorReferenceEachOther) {
  ASSERT_NO_FATAL_FAILURE(MustSeed(kTenant, {"a", "b"}));
  ASSERT_NO_FATAL_FAILURE(MustSeed(kOtherTenant, {"x", "y"}));
  ASSERT_THAT(RecordInteraction(kTenant, MakeInteraction("a", "b", v1::INTERACTION_TYPE_DECLINED)), GrpcOk());
  ASSERT_THAT(RecordInteraction(kOtherTenant, MakeInteraction("x", "y", v1::INTERACTION_TYPE_COLLABORATED)), GrpcOk());

  // The other tenant's profiles are unknown here, history included.
  v1::ListInteractionsResponse listed;
  for (const auto& [tenant, id] : {std::pair{kOtherTenant, "a"}, {kOtherTenant, "b"}, {kTenant, "x"}}) {
    EXPECT_THAT(List(tenant, id, 0, "", &listed), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("not found"))) << tenant << "/" << id;
    EXPECT_THAT(listed.interactions(), IsEmpty());
  }
  EXPECT_THAT(RecordInteraction(kOtherTenant, MakeInteraction("a", "b", v1::INTERACTION_TYPE_SHOWN)),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("\"a\"")));
  EXPECT_THAT(RecordInteraction(kOtherTenant, MakeInteraction("x", "a", v1::INTERACTION_TYPE_DECLINED)),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("interaction.to_profile_id")));
  EXPECT_THAT(RecordBatch(kTenant, {MakeInteraction("a", "y", v1::INTERACTION_TYPE_SHOWN)}),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("interactions[0].to_profile_id")));

  // Each tenant counts its own sequences.
  EXPECT_THAT(Sequences(ListAll(kTenant, "a")), ElementsAre(1));
  EXPECT_THAT(Sequences(ListAll(kOtherTenant, "x")), ElementsAre(1));
  const InteractionGraph graph = Graph(kTenant);
  EXPECT_THAT(Edges(graph.declined), ElementsAre("a>b"));
  EXPECT_THAT(Edges(graph.collaborators), IsEmpty());
  const InteractionGraph other = Graph(kOtherTenant);
  EXPECT_THAT(Edges(other.declined), IsEmpty());
  EXPECT_THAT(Edges(other.collaborators), ElementsAre("x>y", "y>x"));
}

// ---------------------------------------------------------------------------
// Health

TEST_F(InteractionServiceTest, HealthReportsServing) {
  grpc::ClientContext context;
  SetDeadline(context);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("pollinator.v1.InteractionService");
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_THAT(health_->Check(&context, request, &response), GrpcOk());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

}  // namespace
}  // namespace pollinator
