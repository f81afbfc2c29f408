// Hostile input through the real gRPC server: bytes that do not parse,
// fields this version does not know, items and pages too large for a
// client's default 4 MiB receive limit. Each test is named after the defect
// it guards against; before the fixes each of them failed.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pollinator/v1/service.grpc.pb.h"
#include "services/guards/response_bounds.h"
#include "services/validation.h"
#include "tests/testing/grpc_matchers.h"
#include "tests/testing/grpc_server_fixture.h"
#include "tests/testing/profiles.h"

namespace pollinator {
namespace {

using ::pollinator::testing::GrpcOk;
using ::pollinator::testing::GrpcStatusIs;
using ::pollinator::testing::MakeProfile;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Le;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr char kTenant[] = "assoc-1";
constexpr char kBatteryNeed[] = "pilot line for lithium battery cathode coating";
constexpr char kBatteryOffer[] = "battery cell pilot line with cathode coating and calendering";
// Same length as the bytes it stands for, so that the encoding stays valid.
constexpr char kPlaceholder[] = "@@@@";
constexpr char kNotUtf8[] = "\xff\xfe\xc0\xaf";

class HostileInputTest : public testing::GrpcServerTest {
 protected:
  // `message` serialised, with kPlaceholder replaced by bytes that are not
  // UTF-8 (protobuf would refuse to serialise them itself in debug builds).
  static std::string WithInvalidUtf8(const google::protobuf::Message& message) {
    std::string bytes = message.SerializeAsString();
    const size_t at = bytes.find(kPlaceholder);
    EXPECT_NE(at, std::string::npos);
    if (at != std::string::npos) bytes.replace(at, 4, kNotUtf8);
    return bytes;
  }

  static v1::UpsertProfileRequest UpsertRequest(const v1::Profile& profile) {
    v1::UpsertProfileRequest request;
    request.set_tenant(kTenant);
    *request.mutable_profile() = profile;
    return request;
  }

  // Streams `items` (serialised UpsertProfileRequests) to BulkUpsert.
  grpc::Status RawBulkUpsert(const std::vector<std::string>& items, v1::BulkUpsertResponse* report) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::CompletionQueue queue;
    void* tag = nullptr;
    bool ok = false;
    std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
        stub.PrepareCall(&context, "/pollinator.v1.ProfileService/BulkUpsert", &queue);
    call->StartCall(reinterpret_cast<void*>(1));
    queue.Next(&tag, &ok);
    for (const std::string& item : items) {
      if (!ok) break;
      grpc::Slice slice(item);
      grpc::ByteBuffer buffer(&slice, 1);
      call->Write(buffer, reinterpret_cast<void*>(2));
      queue.Next(&tag, &ok);
    }
    call->WritesDone(reinterpret_cast<void*>(3));
    queue.Next(&tag, &ok);
    grpc::ByteBuffer response;
    call->Read(&response, reinterpret_cast<void*>(4));
    queue.Next(&tag, &ok);
    const bool got_response = ok;
    grpc::Status status;
    call->Finish(&status, reinterpret_cast<void*>(5));
    queue.Next(&tag, &ok);
    queue.Shutdown();
    while (queue.Next(&tag, &ok)) {
    }
    if (status.ok() && got_response) {
      std::vector<grpc::Slice> slices;
      EXPECT_TRUE(response.Dump(&slices).ok());
      std::string bytes;
      for (const grpc::Slice& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
      EXPECT_TRUE(report->ParseFromString(bytes));
    }
    return status;
  }

  // A legal profile of about `bytes` encoded: 16 KiB needs, then offers.
  static v1::Profile Heavy(const std::string& id, size_t bytes) {
    v1::Profile profile = MakeProfile(id, v1::PROFILE_KIND_SMB, {}, {});
    const std::string text = absl::StrCat(std::string(kMaxTextBytes - 64, 'a'), " battery");
    for (size_t i = 0; profile.ByteSizeLong() < bytes && i < 2 * kMaxItemsPerList; ++i) {
      if (i < kMaxItemsPerList) {
        v1::Need* need = profile.add_needs();
        need->set_id(absl::StrCat("n", i));
        need->set_text(text);
      } else {
        v1::Offer* offer = profile.add_offers();
        offer->set_id(absl::StrCat("o", i));
        offer->set_text(text);
      }
    }
    return profile;
  }
};

TEST_F(HostileInputTest, MalformedUtf8IsInvalidArgumentNamingTheFieldAndWritesNothing) {
  v1::Profile profile = MakeProfile("acme", v1::PROFILE_KIND_SMB, {kBatteryNeed}, {});
  profile.set_name(absl::StrCat("Acme ", kPlaceholder));
  EXPECT_THAT(RawUnary("/pollinator.v1.ProfileService/UpsertProfile", WithInvalidUtf8(UpsertRequest(profile))),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           AllOf(HasSubstr("pollinator.v1.Profile.name"), HasSubstr("not valid UTF-8"))));
  EXPECT_THAT(Get(kTenant, "acme"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("acme")));

  // Nested, and in another service.
  v1::FindPartnersRequest find;
  find.set_tenant(kTenant);
  find.set_text(absl::StrCat("battery ", kPlaceholder));
  EXPECT_THAT(RawUnary("/pollinator.v1.MatchService/FindPartners", WithInvalidUtf8(find)),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("pollinator.v1.FindPartnersRequest.text")));
  profile.set_name("Acme");
  profile.mutable_needs(0)->set_text(absl::StrCat(kBatteryNeed, kPlaceholder));
  EXPECT_THAT(RawUnary("/pollinator.v1.ProfileService/UpsertProfile", WithInvalidUtf8(UpsertRequest(profile))),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("pollinator.v1.Need.text")));
}

TEST_F(HostileInputTest, MalformedUtf8LeavesNoLogLine) {
  v1::Profile profile = MakeProfile("acme", v1::PROFILE_KIND_SMB, {kBatteryNeed}, {});
  profile.set_name(kPlaceholder);
  ::testing::internal::CaptureStderr();
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(RawUnary("/pollinator.v1.ProfileService/UpsertProfile", WithInvalidUtf8(UpsertRequest(profile))),
                GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("UTF-8")));
  }
  const std::string logged = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(logged, Not(HasSubstr("UTF-8"))) << logged;
}

TEST_F(HostileInputTest, DeeplyNestedUnknownGroupsAreInvalidArgument) {
  // Field 99 as a group, opened 100,000 times and closed as often, after a
  // valid request.
  std::string bytes = UpsertRequest(MakeProfile("acme", v1::PROFILE_KIND_SMB, {kBatteryNeed}, {})).SerializeAsString();
  constexpr int kDepth = 100000;
  const char start_group[] = {static_cast<char>(0x9b), 0x06};  // (99 << 3) | 3, varint
  const char end_group[] = {static_cast<char>(0x9c), 0x06};    // (99 << 3) | 4
  for (int i = 0; i < kDepth; ++i) bytes.append(start_group, 2);
  for (int i = 0; i < kDepth; ++i) bytes.append(end_group, 2);
  EXPECT_THAT(RawUnary("/pollinator.v1.ProfileService/UpsertProfile", bytes),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                           AllOf(HasSubstr("pollinator.v1.UpsertProfileRequest"), HasSubstr("nested"))));
  EXPECT_THAT(Get(kTenant, "acme"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("acme")));
}

TEST_F(HostileInputTest, UnknownFieldsAreNeitherStoredNorEchoed) {
  v1::Profile profile = MakeProfile("acme", v1::PROFILE_KIND_SMB, {kBatteryNeed}, {kBatteryOffer});
  const std::string padding(16 * 1024, 'x');
  profile.GetReflection()->MutableUnknownFields(&profile)->AddLengthDelimited(999, padding);
  v1::Need* need = profile.mutable_needs(0);
  need->GetReflection()->MutableUnknownFields(need)->AddLengthDelimited(998, padding);
  ASSERT_THAT(Upsert(kTenant, profile), GrpcOk());
  ASSERT_THAT(Upsert(kTenant, MakeProfile("beta", v1::PROFILE_KIND_UNIVERSITY, {}, {kBatteryOffer})), GrpcOk());

  v1::Profile stored;
  ASSERT_THAT(Get(kTenant, "acme", &stored), GrpcOk());
  EXPECT_TRUE(stored.GetReflection()->GetUnknownFields(stored).empty());
  EXPECT_TRUE(stored.needs(0).GetReflection()->GetUnknownFields(stored.needs(0)).empty());
  EXPECT_THAT(stored.ByteSizeLong(), Le(2048u));

  v1::Interaction interaction;
  interaction.set_from_profile_id("acme");
  interaction.set_to_profile_id("beta");
  interaction.set_type(v1::INTERACTION_TYPE_CONTACTED);
  interaction.GetReflection()->MutableUnknownFields(&interaction)->AddLengthDelimited(997, padding);
  v1::Interaction recorded;
  ASSERT_THAT(RecordInteraction(kTenant, interaction, &recorded), GrpcOk());
  EXPECT_TRUE(recorded.GetReflection()->GetUnknownFields(recorded).empty());
  grpc::ClientContext context;
  SetDeadline(context);
  v1::ListInteractionsRequest list;
  list.set_tenant(kTenant);
  list.set_profile_id("acme");
  v1::ListInteractionsResponse listed;
  ASSERT_THAT(interactions_->ListInteractions(&context, list, &listed), GrpcOk());
  ASSERT_THAT(listed.interactions(), SizeIs(1));
  EXPECT_TRUE(listed.interactions(0).GetReflection()->GetUnknownFields(listed.interactions(0)).empty());
}

TEST_F(HostileInputTest, ProfilesTooLargeForOneResponseAreRejected) {
  // 100 needs and 100 offers of 16 KiB each: every part legal, 3.2 MB in all.
  const v1::Profile heavy = Heavy("heavy", 3'200'000);
  ASSERT_GT(heavy.ByteSizeLong(), kMaxProfileBytes);
  EXPECT_THAT(Upsert(kTenant, heavy),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, AllOf(HasSubstr("profile: "),
                                                                     HasSubstr("over the limit of 2 MiB"))));
  EXPECT_THAT(Get(kTenant, "heavy"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("heavy")));
}

TEST_F(HostileInputTest, BulkUpsertReportsUnparsableAndOversizedItemsAndGoesOn) {
  const auto item = [](const v1::Profile& profile) { return UpsertRequest(profile).SerializeAsString(); };
  v1::Profile bad_name = MakeProfile("bad", v1::PROFILE_KIND_SMB, {kBatteryNeed}, {});
  bad_name.set_name(kPlaceholder);
  // Over the profile limit, and over gRPC's default 4 MiB message limit.
  // Unknown fields bring it past 4 MiB without breaking a per-field limit.
  v1::UpsertProfileRequest padded = UpsertRequest(Heavy("huge", 3'200'000));
  padded.GetReflection()->MutableUnknownFields(&padded)->AddLengthDelimited(999, std::string(1 << 20, 'x'));
  const std::string huge_item = padded.SerializeAsString();
  ASSERT_GT(huge_item.size(), 4u << 20);

  v1::BulkUpsertResponse report;
  ASSERT_THAT(RawBulkUpsert({item(MakeProfile("first", v1::PROFILE_KIND_SMB, {kBatteryNeed}, {})),
                             WithInvalidUtf8(UpsertRequest(bad_name)), std::string("\xff\xff\xff", 3), huge_item,
                             item(MakeProfile("last", v1::PROFILE_KIND_SMB, {kBatteryNeed}, {}))},
                            &report),
              GrpcOk());
  EXPECT_EQ(report.received(), 5);
  EXPECT_EQ(report.upserted(), 2);
  ASSERT_THAT(report.errors(), SizeIs(3));
  EXPECT_EQ(report.errors(0).index(), 1);
  EXPECT_EQ(report.errors(0).code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(report.errors(0).message(), AllOf(HasSubstr("item 1"), HasSubstr("pollinator.v1.Profile.name")));
  EXPECT_EQ(report.errors(1).index(), 2);
  EXPECT_THAT(report.errors(1).message(), HasSubstr("not a valid pollinator.v1.UpsertProfileRequest"));
  EXPECT_EQ(report.errors(2).index(), 3);
  EXPECT_EQ(report.errors(2).profile_id(), "huge");
  EXPECT_THAT(report.errors(2).message(), HasSubstr("over the limit of 2 MiB"));
  EXPECT_THAT(Get(kTenant, "first"), GrpcOk());
  EXPECT_THAT(Get(kTenant, "last"), GrpcOk());
  EXPECT_THAT(Get(kTenant, "huge"), GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("huge")));
}

TEST_F(HostileInputTest, ListProfilesPagesAreBoundedByBytes) {
  // Three legal profiles of about 0.9 MiB: a page of all three would be 2.7 MB.
  for (const char* id : {"p1", "p2", "p3"}) ASSERT_THAT(Upsert(kTenant, Heavy(id, 950'000)), GrpcOk());
  std::vector<std::string> listed;
  std::string token;
  int pages = 0;
  do {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::ListProfilesRequest request;
    request.set_tenant(kTenant);
    request.set_page_token(token);
    v1::ListProfilesResponse page;
    ASSERT_THAT(profiles_->ListProfiles(&context, request, &page), GrpcOk());
    ASSERT_GE(page.profiles_size(), 1);
    EXPECT_LE(page.ByteSizeLong(), (1u << 20) + 64);
    for (const v1::Profile& profile : page.profiles()) listed.push_back(profile.id());
    token = page.next_page_token();
    ASSERT_LT(++pages, 10);
  } while (!token.empty());
  EXPECT_EQ(listed, (std::vector<std::string>{"p1", "p2", "p3"}));
  EXPECT_EQ(pages, 3);
}

TEST_F(HostileInputTest, SuggestionsCarryExcerptsOfLongItems) {
  std::string long_offer;
  while (long_offer.size() + sizeof(kBatteryOffer) < kMaxTextBytes) absl::StrAppend(&long_offer, kBatteryOffer, ". ");
  ASSERT_THAT(Upsert(kTenant, MakeProfile("asker", v1::PROFILE_KIND_SMB, {kBatteryNeed}, {})), GrpcOk());
  ASSERT_THAT(Upsert(kTenant, MakeProfile("long", v1::PROFILE_KIND_RESEARCH_INSTITUTE, {}, {long_offer})), GrpcOk());
  ASSERT_THAT(Upsert(kTenant, MakeProfile("short", v1::PROFILE_KIND_UNIVERSITY, {}, {kBatteryOffer})), GrpcOk());

  v1::FindPartnersRequest request;
  request.set_tenant(kTenant);
  request.set_profile_id("asker");
  request.set_min_relevance(0.0);
  v1::FindPartnersResponse response;
  ASSERT_THAT(Find(request, &response), GrpcOk());
  ASSERT_THAT(response.suggestions(), SizeIs(2));
  for (const v1::Suggestion& suggestion : response.suggestions()) {
    if (suggestion.partner().id() == "long") {
      EXPECT_TRUE(suggestion.offer().text_truncated());
      EXPECT_THAT(suggestion.offer().text().size(), Le(kMaxItemRefTextBytes + 3));
      EXPECT_THAT(suggestion.offer().text(), StartsWith(kBatteryOffer));
    } else {
      EXPECT_FALSE(suggestion.offer().text_truncated());
      EXPECT_EQ(suggestion.offer().text(), kBatteryOffer);
    }
    EXPECT_EQ(suggestion.need().text(), kBatteryNeed);
  }
  // The whole item is one GetProfile away.
  v1::Profile partner;
  ASSERT_THAT(Get(kTenant, "long", &partner), GrpcOk());
  EXPECT_EQ(partner.offers(0).text(), long_offer);
}

}  // namespace
}  // namespace pollinator
