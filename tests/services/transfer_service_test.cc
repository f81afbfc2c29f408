// TransferService end to end through the real gRPC server: ExportTenant's
// records and their order, ImportInteractions keeping sequences and times,
// its all-or-nothing checks with their codes, restarts and tenant isolation.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "pollinator/v1/transfer.grpc.pb.h"
#include "tests/testing/grpc_matchers.h"
#include "tests/testing/grpc_server_fixture.h"
#include "tests/testing/profiles.h"

namespace pollinator::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class TransferServiceTest : public GrpcServerTest {
 protected:
  void SetUp() override {
    GrpcServerTest::SetUp();
    transfers_ = v1::TransferService::NewStub(channel_);
  }

  void Restart() {
    StopServer();
    StartServer();
    transfers_ = v1::TransferService::NewStub(channel_);
  }

  grpc::Status Export(const std::string& tenant, std::vector<v1::TransferRecord>* records) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::ExportTenantRequest request;
    request.set_tenant(tenant);
    auto reader = transfers_->ExportTenant(&context, request);
    v1::TransferRecord record;
    while (reader->Read(&record)) records->push_back(record);
    return reader->Finish();
  }

  grpc::Status ExportProfile(const std::string& tenant, const std::string& id,
                             std::vector<v1::TransferRecord>* records) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::ExportProfileRequest request;
    request.set_tenant(tenant);
    request.set_id(id);
    auto reader = transfers_->ExportProfile(&context, request);
    v1::TransferRecord record;
    while (reader->Read(&record)) records->push_back(record);
    return reader->Finish();
  }

  grpc::Status Import(const std::string& tenant, const std::vector<v1::Interaction>& interactions,
                      v1::ImportInteractionsResponse* response = nullptr) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::ImportInteractionsRequest request;
    request.set_tenant(tenant);
    for (const v1::Interaction& interaction : interactions) *request.add_interactions() = interaction;
    v1::ImportInteractionsResponse ignored;
    return transfers_->ImportInteractions(&context, request, response != nullptr ? response : &ignored);
  }

  std::vector<v1::Interaction> History(const std::string& tenant, const std::string& profile_id) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::ListInteractionsRequest request;
    request.set_tenant(tenant);
    request.set_profile_id(profile_id);
    v1::ListInteractionsResponse response;
    EXPECT_THAT(interactions_->ListInteractions(&context, request, &response), GrpcOk());
    return {response.interactions().begin(), response.interactions().end()};
  }

  static v1::Interaction Recorded(const std::string& from, const std::string& to, v1::InteractionType type,
                                  int64_t sequence, int64_t recorded_at_unix_ms) {
    v1::Interaction interaction;
    interaction.set_from_profile_id(from);
    interaction.set_to_profile_id(to);
    interaction.set_type(type);
    if (type == v1::INTERACTION_TYPE_DECLINED) interaction.set_decline_reason(v1::DECLINE_REASON_TOO_FAR);
    interaction.set_sequence(sequence);
    interaction.set_recorded_at_unix_ms(recorded_at_unix_ms);
    return interaction;
  }

  std::unique_ptr<v1::TransferService::Stub> transfers_;
};

TEST_F(TransferServiceTest, ExportStreamsProfilesInIdOrderThenInteractionsInSequenceOrder) {
  // More profiles than one batch, written out of order.
  for (int i = 600; i >= 0; --i) {
    ASSERT_THAT(Upsert("t", MakeProfile(absl::StrCat("p", 10000 + i), v1::PROFILE_KIND_SMB, {"laser welding"}, {})),
                GrpcOk());
  }
  v1::Interaction stored;
  ASSERT_THAT(RecordInteraction("t", Recorded("p10001", "p10000", v1::INTERACTION_TYPE_SHOWN, 0, 0), &stored),
              GrpcOk());
  ASSERT_THAT(RecordInteraction("t", Recorded("p10000", "p10001", v1::INTERACTION_TYPE_DECLINED, 0, 0)), GrpcOk());
  ASSERT_THAT(Delete("t", "p10600"), GrpcOk());  // a deleted profile is not exported

  std::vector<v1::TransferRecord> records;
  ASSERT_THAT(Export("t", &records), GrpcOk());
  ASSERT_EQ(records.size(), 600u + 2u);
  for (size_t i = 0; i + 2 < records.size(); ++i) {
    ASSERT_TRUE(records[i].has_profile()) << i;
    if (i > 0) EXPECT_LT(records[i - 1].profile().id(), records[i].profile().id());
  }
  v1::Profile got;
  ASSERT_THAT(Get("t", "p10000", &got), GrpcOk());
  EXPECT_EQ(records[0].profile().SerializeAsString(), got.SerializeAsString());
  ASSERT_TRUE(records[600].has_interaction());
  EXPECT_EQ(records[600].interaction().SerializeAsString(), stored.SerializeAsString());
  EXPECT_EQ(records[601].interaction().sequence(), 2);
  EXPECT_EQ(records[601].interaction().decline_reason(), v1::DECLINE_REASON_TOO_FAR);
}

TEST_F(TransferServiceTest, ExportProfileGivesEverythingStoredAboutOneProfileAndNothingElse) {
  v1::Profile subject = MakeProfile("subject", v1::PROFILE_KIND_SMB, {"laser welding of copper busbars"},
                                    {"battery pack assembly"});
  subject.set_description("A small battery integrator");
  ASSERT_THAT(Upsert("t", subject), GrpcOk());
  for (const char* id : {"lab", "bystander"}) {
    ASSERT_THAT(Upsert("t", MakeProfile(id, v1::PROFILE_KIND_UNIVERSITY, {}, {"welding lab"})), GrpcOk());
  }
  ASSERT_THAT(RecordInteraction("t", Recorded("subject", "lab", v1::INTERACTION_TYPE_CONTACTED, 0, 0)), GrpcOk());
  ASSERT_THAT(RecordInteraction("t", Recorded("lab", "bystander", v1::INTERACTION_TYPE_SHOWN, 0, 0)), GrpcOk());
  ASSERT_THAT(RecordInteraction("t", Recorded("lab", "subject", v1::INTERACTION_TYPE_ACCEPTED, 0, 0)), GrpcOk());

  std::vector<v1::TransferRecord> records;
  ASSERT_THAT(ExportProfile("t", "subject", &records), GrpcOk());
  ASSERT_EQ(records.size(), 3u);
  ASSERT_TRUE(records[0].has_profile());
  const v1::Profile& exported = records[0].profile();
  // The profile as stored, with the vectors the server embedded for it.
  v1::Profile without_vectors = exported;
  without_vectors.clear_description_vector();
  for (v1::Need& need : *without_vectors.mutable_needs()) need.clear_vector();
  for (v1::Offer& offer : *without_vectors.mutable_offers()) offer.clear_vector();
  v1::Profile got;
  ASSERT_THAT(Get("t", "subject", &got), GrpcOk());
  EXPECT_EQ(without_vectors.SerializeAsString(), got.SerializeAsString());
  EXPECT_GT(exported.needs(0).vector_size(), 0);
  EXPECT_EQ(exported.offers(0).vector_size(), exported.needs(0).vector_size());
  EXPECT_EQ(exported.description_vector_size(), exported.needs(0).vector_size());
  // Both directions of its history, and not the bystander's.
  EXPECT_EQ(records[1].interaction().sequence(), 1);
  EXPECT_EQ(records[2].interaction().sequence(), 3);
  EXPECT_EQ(records[2].interaction().from_profile_id(), "lab");

  // After erasure there is nothing left to give.
  ASSERT_THAT(Delete("t", "subject"), GrpcOk());
  records.clear();
  EXPECT_THAT(ExportProfile("t", "subject", &records),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("\"subject\" not found")));
  EXPECT_THAT(records, IsEmpty());
  EXPECT_THAT(ExportProfile("t", "", &records), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("id")));
}

TEST_F(TransferServiceTest, AnEmptyTenantExportsNothingAndABadNameIsRefused) {
  std::vector<v1::TransferRecord> records;
  EXPECT_THAT(Export("nobody-here", &records), GrpcOk());
  EXPECT_THAT(records, IsEmpty());
  EXPECT_THAT(Export("", &records), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("tenant: empty")));
}

TEST_F(TransferServiceTest, ImportKeepsSequencesAndTimesAndLaterRecordsFollowThem) {
  ASSERT_THAT(Upsert("t", MakeProfile("a", v1::PROFILE_KIND_SMB, {"laser welding"}, {})), GrpcOk());
  ASSERT_THAT(Upsert("t", MakeProfile("b", v1::PROFILE_KIND_UNIVERSITY, {}, {"welding lab"})), GrpcOk());
  v1::ImportInteractionsResponse response;
  ASSERT_THAT(Import("t",
                     {Recorded("a", "b", v1::INTERACTION_TYPE_CONTACTED, 3, 1600000000000),
                      Recorded("b", "a", v1::INTERACTION_TYPE_ACCEPTED, 7, 1600000001000),
                      // Imported history may name a profile this server does not have.
                      Recorded("gone", "a", v1::INTERACTION_TYPE_COLLABORATED, 8, 1600000002000)},
                     &response),
              GrpcOk());
  EXPECT_EQ(response.imported(), 3);
  std::vector<v1::Interaction> history = History("t", "a");
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].sequence(), 3);
  EXPECT_EQ(history[0].recorded_at_unix_ms(), 1600000000000);
  EXPECT_EQ(history[2].from_profile_id(), "gone");

  v1::Interaction next;
  ASSERT_THAT(RecordInteraction("t", Recorded("a", "b", v1::INTERACTION_TYPE_SHOWN, 0, 0), &next), GrpcOk());
  EXPECT_EQ(next.sequence(), 9);

  Restart();
  history = History("t", "a");
  ASSERT_EQ(history.size(), 4u);
  EXPECT_EQ(history[1].sequence(), 7);
  EXPECT_EQ(history[1].recorded_at_unix_ms(), 1600000001000);
}

TEST_F(TransferServiceTest, ImportedDeclinesShapeMatchingLikeRecordedOnes) {
  ASSERT_THAT(Upsert("t", MakeProfile("asker", v1::PROFILE_KIND_SMB, {"laser welding of battery tabs"}, {})),
              GrpcOk());
  ASSERT_THAT(Upsert("t", MakeProfile("lab", v1::PROFILE_KIND_UNIVERSITY, {}, {"laser welding of battery tabs"})),
              GrpcOk());
  ASSERT_THAT(Import("t", {Recorded("asker", "lab", v1::INTERACTION_TYPE_DECLINED, 1, 1600000000000)}), GrpcOk());
  v1::FindPartnersRequest request;
  request.set_tenant("t");
  request.set_profile_id("asker");
  v1::FindPartnersResponse found;
  ASSERT_THAT(Find(request, &found), GrpcOk());
  EXPECT_THAT(found.suggestions(), IsEmpty());
}

TEST_F(TransferServiceTest, ImportChecksEveryItemAndWritesNothingOnError) {
  ASSERT_THAT(Upsert("t", MakeProfile("a", v1::PROFILE_KIND_SMB, {"laser welding"}, {})), GrpcOk());
  ASSERT_THAT(Import("t", {Recorded("a", "b", v1::INTERACTION_TYPE_SHOWN, 5, 1600000000000)}), GrpcOk());
  const auto import = [&](const std::vector<v1::Interaction>& interactions) { return Import("t", interactions); };
  const auto shown = [](int64_t sequence, int64_t recorded_at_unix_ms) {
    return Recorded("a", "b", v1::INTERACTION_TYPE_SHOWN, sequence, recorded_at_unix_ms);
  };
  const auto invalid = [](const std::string& message) {
    return GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr(message));
  };
  EXPECT_THAT(import({}), invalid("interactions: 0 items"));
  EXPECT_THAT(import({shown(9, 1), Recorded("a", "a", v1::INTERACTION_TYPE_SHOWN, 10, 1)}),
              invalid("interactions[1].to_profile_id"));
  EXPECT_THAT(import({shown(0, 1)}), invalid("interactions[0].sequence: 0 is not positive"));
  EXPECT_THAT(import({shown(9, 1), shown(9, 1)}), invalid("interactions[1].sequence: 9 does not follow 9"));
  EXPECT_THAT(import({shown(9, 0)}), invalid("interactions[0].recorded_at_unix_ms: required"));
  EXPECT_THAT(import({Recorded("a", "b", v1::INTERACTION_TYPE_UNSPECIFIED, 9, 1)}), invalid("interactions[0].type"));
  // Sequence 5 is stored, but not as this: a different history.
  EXPECT_THAT(import({shown(5, 1)}),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION,
                           HasSubstr("interactions[0].sequence: 5 is not after the tenant's last interaction (5) "
                                     "and is not that interaction as stored")));
  EXPECT_THAT(import({shown(int64_t{1} << 60, 1)}), invalid("is over the limit of 9007199254740992"));
  EXPECT_THAT(import({shown(9, int64_t{1} << 60)}), invalid("up to year 9999"));
  std::vector<v1::Interaction> too_many;
  for (int i = 0; i < 1001; ++i) too_many.push_back(shown(100 + i, 1));
  EXPECT_THAT(import(too_many), invalid("1001 items"));
  EXPECT_THAT(Import("", {shown(9, 1)}), invalid("tenant: empty"));
  EXPECT_THAT(History("t", "a"), ElementsAre(::testing::Property(&v1::Interaction::sequence, 5)));
}

TEST_F(TransferServiceTest, ARetriedImportSkipsWhatIsStoredAndAddsTheRest) {
  const v1::Interaction first = Recorded("a", "b", v1::INTERACTION_TYPE_SHOWN, 5, 1600000000000);
  const v1::Interaction second = Recorded("b", "a", v1::INTERACTION_TYPE_CONTACTED, 8, 1600000001000);
  ASSERT_THAT(Import("t", {first}), GrpcOk());
  // The first batch's reply was lost: the client sends it again with more.
  ASSERT_THAT(Import("t", {first, second}), GrpcOk());
  ASSERT_THAT(Import("t", {first, second}), GrpcOk());
  EXPECT_THAT(History("t", "a"), ElementsAre(::testing::Property(&v1::Interaction::sequence, 5),
                                             ::testing::Property(&v1::Interaction::sequence, 8)));
  // A later interaction recorded here makes an old batch stale, not wrong.
  v1::Interaction changed = second;
  changed.set_note("edited");
  EXPECT_THAT(Import("t", {first, changed}),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION, HasSubstr("interactions[1].sequence: 8")));
}

TEST_F(TransferServiceTest, ATenantMayStartWithImportedHistoryAndKeepsItToItself) {
  ASSERT_THAT(Import("fresh", {Recorded("x", "y", v1::INTERACTION_TYPE_COLLABORATED, 1, 1600000000000)}), GrpcOk());
  Restart();
  std::vector<v1::TransferRecord> records;
  ASSERT_THAT(Export("fresh", &records), GrpcOk());
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].interaction().from_profile_id(), "x");
  records.clear();
  ASSERT_THAT(Export("other", &records), GrpcOk());
  EXPECT_THAT(records, IsEmpty());
  // Profiles written later start the vector space as for any new tenant.
  EXPECT_THAT(Upsert("fresh", MakeProfile("x", v1::PROFILE_KIND_SMB, {"laser welding"}, {})), GrpcOk());
}

}  // namespace
}  // namespace pollinator::testing
