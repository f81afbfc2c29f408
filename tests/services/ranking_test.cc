// Matching quality features end to end, through the gRPC API of a real
// in-process server (RocksDB in a temporary folder, real FAISS): lexical
// match, reciprocity, experience, network signals from recorded
// collaborations, declined pairs, diversity, the per-kind cap, full pages at
// any filter selectivity, and the explanation every suggestion carries.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pollinator/v1/service.grpc.pb.h"
#include "tests/testing/grpc_matchers.h"
#include "tests/testing/grpc_server_fixture.h"
#include "tests/testing/profiles.h"
#include "tests/testing/suggestions.h"

namespace pollinator {
namespace {

using ::pollinator::testing::GrpcOk;
using ::pollinator::testing::GrpcStatusIs;
using ::pollinator::testing::MakeProfile;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::Le;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kTenant[] = "assoc";

class RankingTest : public testing::GrpcServerTest {
 protected:
  void Put(const v1::Profile& profile) { ASSERT_THAT(Upsert(kTenant, profile), GrpcOk()); }

  // Unrelated profiles, so that document frequencies look like a real
  // tenant's and the test's rare words stay rare.
  void PutBackground() {
    const std::vector<std::string> topics = {
        "Accounting and payroll services for small firms",  "Legal advice on employment contracts",
        "Organic vegetable wholesale for restaurants",       "Translation of technical manuals into French",
        "Event catering for business conferences",          "Office cleaning and facility management",
        "Recruitment of software developers",               "Marketing campaigns on social media",
        "Freight forwarding by rail and road",              "Training courses in project management",
        "Interior design for retail shops",                 "Print shop for brochures and posters"};
    for (size_t i = 0; i < topics.size(); ++i) {
      Put(MakeProfile(absl::StrCat("background-", i), v1::PROFILE_KIND_SERVICE_PROVIDER, {}, {topics[i]}));
    }
  }

  v1::FindPartnersResponse FindFor(const std::string& asker, int top_k = 10,
                                   v1::Reciprocity reciprocity = v1::RECIPROCITY_UNSPECIFIED,
                                   double diversity = 0.0, int max_per_kind = 0) {
    v1::FindPartnersRequest request;
    request.set_tenant(kTenant);
    request.set_profile_id(asker);
    request.set_top_k(top_k);
    request.set_reciprocity(reciprocity);
    request.set_diversity(diversity);
    request.set_max_per_kind(max_per_kind);
    v1::FindPartnersResponse response;
    EXPECT_THAT(Find(request, &response), GrpcOk());
    return response;
  }

  grpc::Status Record(const std::string& from, const std::string& to, v1::InteractionType type,
                      v1::DeclineReason reason = v1::DECLINE_REASON_UNSPECIFIED) {
    v1::Interaction interaction;
    interaction.set_from_profile_id(from);
    interaction.set_to_profile_id(to);
    interaction.set_type(type);
    interaction.set_decline_reason(reason);
    return RecordInteraction(kTenant, interaction);
  }

  static std::vector<std::string> Ids(const v1::FindPartnersResponse& response) {
    return testing::PartnerIds(response);
  }

  static const v1::Suggestion* Suggestion(const v1::FindPartnersResponse& response, const std::string& id) {
    return testing::SuggestionFor(response, id);
  }

  static int Rank(const v1::FindPartnersResponse& response, const std::string& id) {
    const std::vector<std::string> ids = Ids(response);
    auto it = std::find(ids.begin(), ids.end(), id);
    return it == ids.end() ? -1 : static_cast<int>(it - ids.begin());
  }
};

TEST_F(RankingTest, ExactRareTermRaisesLexicalFeatureAndIsNamed) {
  PutBackground();
  // "solar modules" is common in this tenant, "perovskite" is not.
  for (const char* use : {"Installation", "Cleaning", "Recycling", "Financing", "Insurance"}) {
    Put(MakeProfile(absl::StrCat("solar-", use), v1::PROFILE_KIND_SMB, {},
                    {absl::StrCat(use, " of solar modules for homes")}));
  }
  Put(MakeProfile("asker", v1::PROFILE_KIND_SMB, {"Durability testing of perovskite solar modules"}, {}));
  Put(MakeProfile("generic-lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE, {},
                  {"Durability testing of solar modules in climate chambers"}));
  Put(MakeProfile("perovskite-lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE, {},
                  {"Durability testing of perovskite modules in climate chambers"}));

  const v1::FindPartnersResponse response = FindFor("asker");
  const v1::Suggestion* exact = Suggestion(response, "perovskite-lab");
  const v1::Suggestion* generic = Suggestion(response, "generic-lab");
  ASSERT_NE(exact, nullptr);
  ASSERT_NE(generic, nullptr);
  // Coverage is absolute: the exact lab lacks only the query's common word
  // "solar", the generic one lacks its rarest, "perovskite".
  EXPECT_GT(exact->components().lexical(), 0.6);
  EXPECT_LT(exact->components().lexical(), 1.0);
  EXPECT_LT(generic->components().lexical(), exact->components().lexical());
  EXPECT_LT(Rank(response, "perovskite-lab"), Rank(response, "generic-lab"));
  EXPECT_THAT(exact->reasons(), Contains(AllOf(HasSubstr("Shares specific terms"), HasSubstr("perovskite"))));
}

TEST_F(RankingTest, MutualFitRanksFirstWithHarmonicReciprocityOnly) {
  PutBackground();
  Put(MakeProfile("asker", v1::PROFILE_KIND_SMB, {"Pilot line access for coating battery electrodes"},
                  {"Machine learning for predictive maintenance of packaging machines"}));
  // All three meet the asker's need equally. "mutual" also needs what the
  // asker offers, "one-sided" needs something the asker cannot give, and
  // "supplier" states no needs, so reciprocity cannot be judged for it.
  Put(MakeProfile("supplier", v1::PROFILE_KIND_RESEARCH_INSTITUTE, {},
                  {"Pilot line access for coating battery electrodes"}));
  Put(MakeProfile("mutual", v1::PROFILE_KIND_RESEARCH_INSTITUTE,
                  {"Machine learning for predictive maintenance of packaging machines"},
                  {"Pilot line access for coating battery electrodes"}));
  Put(MakeProfile("one-sided", v1::PROFILE_KIND_RESEARCH_INSTITUTE, {"Organic vegetable wholesale for our canteen"},
                  {"Pilot line access for coating battery electrodes"}));

  const v1::FindPartnersResponse harmonic = FindFor("asker", 10, v1::RECIPROCITY_HARMONIC);
  const v1::FindPartnersResponse off = FindFor("asker", 10, v1::RECIPROCITY_OFF);
  for (const char* id : {"supplier", "mutual", "one-sided"}) {
    ASSERT_NE(Suggestion(harmonic, id), nullptr) << id;
    ASSERT_NE(Suggestion(off, id), nullptr) << id;
  }
  EXPECT_LT(Rank(harmonic, "mutual"), Rank(harmonic, "one-sided"));
  EXPECT_LT(Rank(harmonic, "supplier"), Rank(harmonic, "one-sided"));
  const v1::Suggestion* mutual = Suggestion(harmonic, "mutual");
  const v1::Suggestion* one_sided = Suggestion(harmonic, "one-sided");
  ASSERT_TRUE(mutual->components().has_reciprocal());
  ASSERT_TRUE(one_sided->components().has_reciprocal());
  EXPECT_GT(mutual->components().reciprocal(), 0.5);
  EXPECT_LT(one_sided->components().reciprocal(), 0.3);
  EXPECT_FALSE(Suggestion(harmonic, "supplier")->components().has_reciprocal());
  EXPECT_EQ(mutual->mutual_need().text(), "Machine learning for predictive maintenance of packaging machines");
  EXPECT_EQ(mutual->mutual_offer().text(), "Machine learning for predictive maintenance of packaging machines");
  EXPECT_THAT(mutual->reasons(), Contains(HasSubstr("Also needs what you offer")));

  // Without reciprocity the asker's offers no longer matter: no reverse
  // pair is reported and the one-sided partner is not held back.
  for (const char* id : {"supplier", "mutual", "one-sided"}) {
    EXPECT_FALSE(Suggestion(off, id)->components().has_reciprocal()) << id;
    EXPECT_FALSE(Suggestion(off, id)->has_mutual_need()) << id;
  }
  EXPECT_LT(one_sided->score(), Suggestion(off, "one-sided")->score());
  // Held back, not erased: its reverse fit counts as half its forward fit,
  // so the harmonic mean keeps two thirds of its relevance and its score.
  EXPECT_NEAR(one_sided->score(), Suggestion(off, "one-sided")->score() * 2 / 3, 1e-9);
  EXPECT_NEAR(Suggestion(harmonic, "supplier")->score(), Suggestion(off, "supplier")->score(), 1e-9);
}

TEST_F(RankingTest, ArithmeticReciprocityPenalisesOneSidedFitsLess) {
  PutBackground();
  Put(MakeProfile("asker", v1::PROFILE_KIND_SMB, {"Pilot line access for coating battery electrodes"},
                  {"Machine learning for predictive maintenance of packaging machines"}));
  Put(MakeProfile("one-sided", v1::PROFILE_KIND_RESEARCH_INSTITUTE, {"Organic vegetable wholesale for our canteen"},
                  {"Pilot line access for coating battery electrodes"}));
  const v1::Suggestion harmonic = FindFor("asker", 10, v1::RECIPROCITY_HARMONIC).suggestions(0);
  const v1::Suggestion arithmetic = FindFor("asker", 10, v1::RECIPROCITY_ARITHMETIC).suggestions(0);
  ASSERT_EQ(harmonic.partner().id(), "one-sided");
  ASSERT_EQ(arithmetic.partner().id(), "one-sided");
  EXPECT_GT(arithmetic.score(), harmonic.score());
}

TEST_F(RankingTest, ExperienceRanksTheMoreExperiencedTwinFirst) {
  PutBackground();
  Put(MakeProfile("asker", v1::PROFILE_KIND_SMB, {"Clinical validation of a wearable ECG patch"}, {}));
  v1::Profile novice = MakeProfile("novice", v1::PROFILE_KIND_UNIVERSITY, {}, {"Clinical validation of wearable ECG devices"});
  v1::Profile veteran = novice;
  veteran.set_id("veteran");
  veteran.set_completed_projects(25);
  Put(novice);
  Put(veteran);

  const v1::FindPartnersResponse response = FindFor("asker");
  ASSERT_THAT(Ids(response), SizeIs(Ge(2)));
  EXPECT_EQ(Ids(response)[0], "veteran");
  EXPECT_GT(response.suggestions(0).components().experience(), 0.9);
  EXPECT_EQ(Suggestion(response, "novice")->components().experience(), 0.0);
  EXPECT_THAT(response.suggestions(0).reasons(), Contains("Experienced: 25 completed projects"));
}

TEST_F(RankingTest, CollaborationsFeedNetworkSignalsAndSurviveRestart) {
  PutBackground();
  Put(MakeProfile("asker", v1::PROFILE_KIND_SMB, {"Recycling of lithium battery black mass"}, {}));
  for (const char* id : {"past-partner", "partner-of-partner", "stranger"}) {
    Put(MakeProfile(id, v1::PROFILE_KIND_RESEARCH_INSTITUTE, {}, {"Hydrometallurgical recycling of battery black mass"}));
  }
  ASSERT_THAT(Record("asker", "past-partner", v1::INTERACTION_TYPE_COLLABORATED), GrpcOk());
  ASSERT_THAT(Record("partner-of-partner", "past-partner", v1::INTERACTION_TYPE_COLLABORATED), GrpcOk());
  // Interactions short of a collaboration are not network evidence.
  ASSERT_THAT(Record("asker", "stranger", v1::INTERACTION_TYPE_CONTACTED), GrpcOk());

  for (int run = 0; run < 2; ++run) {
    SCOPED_TRACE(run == 0 ? "before restart" : "after restart");
    const v1::FindPartnersResponse response = FindFor("asker");
    std::vector<std::string> ids = Ids(response);
    ASSERT_THAT(ids, SizeIs(Ge(3)));
    ids.resize(3);
    EXPECT_THAT(ids, ElementsAre("past-partner", "partner-of-partner", "stranger"));
    EXPECT_DOUBLE_EQ(response.suggestions(0).components().network(), 1.0);
    EXPECT_GT(response.suggestions(1).components().network(), 0.0);
    EXPECT_EQ(response.suggestions(2).components().network(), 0.0);
    EXPECT_THAT(response.suggestions(0).reasons(), Contains("You have worked together before"));
    EXPECT_THAT(response.suggestions(1).reasons(), Contains("Worked with one of your past partners"));
    if (run == 0) {
      StopServer();
      StartServer();
    }
  }
}

TEST_F(RankingTest, ADeletedProfilesCollaborationsNoLongerShapeOthersRankings) {
  PutBackground();
  Put(MakeProfile("asker", v1::PROFILE_KIND_SMB, {"Recycling of lithium battery black mass"}, {}));
  for (const char* id : {"erased", "partner-of-erased"}) {
    Put(MakeProfile(id, v1::PROFILE_KIND_RESEARCH_INSTITUTE, {}, {"Hydrometallurgical recycling of battery black mass"}));
  }
  ASSERT_THAT(Record("asker", "erased", v1::INTERACTION_TYPE_COLLABORATED), GrpcOk());
  ASSERT_THAT(Record("partner-of-erased", "erased", v1::INTERACTION_TYPE_COLLABORATED), GrpcOk());
  // The shared partner lifts partner-of-erased while "erased" exists.
  const v1::FindPartnersResponse lifted = FindFor("asker");
  const v1::Suggestion* before = Suggestion(lifted, "partner-of-erased");
  ASSERT_NE(before, nullptr);
  ASSERT_GT(before->components().network(), 0.0);

  ASSERT_THAT(Delete(kTenant, "erased"), GrpcOk());
  for (int run = 0; run < 2; ++run) {
    SCOPED_TRACE(run == 0 ? "after the delete" : "after a restart");
    const v1::FindPartnersResponse response = FindFor("asker");
    EXPECT_THAT(Ids(response), Not(Contains("erased")));
    const v1::Suggestion* after = Suggestion(response, "partner-of-erased");
    ASSERT_NE(after, nullptr);
    EXPECT_EQ(after->components().network(), 0.0);
    EXPECT_THAT(after->reasons(), Not(Contains("Worked with one of your past partners")));
    if (run == 0) {
      StopServer();
      StartServer();
    }
  }
}

TEST_F(RankingTest, DeclinedPartnerIsNeverSuggestedAgainToThatProfile) {
  PutBackground();
  Put(MakeProfile("asker", v1::PROFILE_KIND_SMB, {"Cold chain logistics for vaccines"}, {}));
  Put(MakeProfile("other-asker", v1::PROFILE_KIND_SMB, {"Cold chain logistics for vaccines"}, {}));
  Put(MakeProfile("declined", v1::PROFILE_KIND_SERVICE_PROVIDER, {}, {"Cold chain logistics for vaccines"}));
  Put(MakeProfile("kept", v1::PROFILE_KIND_SERVICE_PROVIDER, {}, {"Cold chain logistics for pharmaceuticals"}));
  ASSERT_THAT(Ids(FindFor("asker")), Contains("declined"));

  ASSERT_THAT(Record("asker", "declined", v1::INTERACTION_TYPE_DECLINED, v1::DECLINE_REASON_TOO_FAR), GrpcOk());
  // Later, friendlier interactions do not bring it back.
  ASSERT_THAT(Record("asker", "declined", v1::INTERACTION_TYPE_SHOWN), GrpcOk());
  for (int run = 0; run < 2; ++run) {
    SCOPED_TRACE(run == 0 ? "before restart" : "after restart");
    const v1::FindPartnersResponse response = FindFor("asker", 100);
    EXPECT_THAT(Ids(response), AllOf(Not(Contains("declined")), Contains("kept")));
    EXPECT_THAT(Ids(FindFor("other-asker", 100)), Contains("declined"));
    v1::FindPartnersRequest reverse;
    reverse.set_tenant(kTenant);
    reverse.set_profile_id("asker");
    reverse.set_reciprocity(v1::RECIPROCITY_OFF);
    reverse.set_top_k(100);
    v1::FindPartnersResponse reverse_response;
    ASSERT_THAT(Find(reverse, &reverse_response), GrpcOk());
    EXPECT_THAT(Ids(reverse_response), Not(Contains("declined")));
    if (run == 0) {
      StopServer();
      StartServer();
    }
  }
}

TEST_F(RankingTest, DiversityReplacesNearDuplicatesWithVariedPartners) {
  PutBackground();
  Put(MakeProfile("asker", v1::PROFILE_KIND_SMB, {"Battery recycling partners: hydrometallurgy, collection, design"}, {}));
  for (int i = 0; i < 4; ++i) {
    Put(MakeProfile(absl::StrCat("clone-", i), v1::PROFILE_KIND_SMB, {},
                    {"Battery recycling by hydrometallurgy, collection and design"}));
  }
  Put(MakeProfile("collector", v1::PROFILE_KIND_SERVICE_PROVIDER, {}, {"Collection logistics for used batteries"}));
  Put(MakeProfile("designer", v1::PROFILE_KIND_UNIVERSITY, {}, {"Design for recycling of battery packs"}));

  const std::vector<std::string> plain = Ids(FindFor("asker", 3));
  ASSERT_THAT(plain, SizeIs(3));
  for (const std::string& id : plain) EXPECT_THAT(id, HasSubstr("clone-"));

  const std::vector<std::string> diverse = Ids(FindFor("asker", 3, v1::RECIPROCITY_UNSPECIFIED, 0.7));
  ASSERT_THAT(diverse, SizeIs(3));
  EXPECT_NE(diverse, plain);
  EXPECT_EQ(diverse[0], plain[0]);
  const int clones = static_cast<int>(
      std::count_if(diverse.begin(), diverse.end(), [](const std::string& id) { return id.rfind("clone-", 0) == 0; }));
  EXPECT_EQ(clones, 1);
}

TEST_F(RankingTest, MaxPerKindCapsEachKind) {
  PutBackground();
  Put(MakeProfile("asker", v1::PROFILE_KIND_SMB, {"Wind tunnel testing for drone propellers"}, {}));
  for (int i = 0; i < 3; ++i) {
    Put(MakeProfile(absl::StrCat("uni-", i), v1::PROFILE_KIND_UNIVERSITY, {}, {"Wind tunnel testing for drones"}));
  }
  Put(MakeProfile("institute", v1::PROFILE_KIND_RESEARCH_INSTITUTE, {}, {"Wind tunnel tests of propellers"}));

  const v1::FindPartnersResponse uncapped = FindFor("asker", 4);
  ASSERT_THAT(Ids(uncapped), SizeIs(4));
  const v1::FindPartnersResponse capped = FindFor("asker", 4, v1::RECIPROCITY_UNSPECIFIED, 0.0, 1);
  std::vector<v1::ProfileKind> kinds;
  for (const v1::Suggestion& s : capped.suggestions()) kinds.push_back(s.partner().kind());
  std::sort(kinds.begin(), kinds.end());
  EXPECT_EQ(std::adjacent_find(kinds.begin(), kinds.end()), kinds.end()) << "a kind appears twice";
  EXPECT_THAT(kinds, Contains(v1::PROFILE_KIND_RESEARCH_INSTITUTE));
  EXPECT_THAT(kinds, Contains(v1::PROFILE_KIND_UNIVERSITY));
}

TEST_F(RankingTest, EverySuggestionIsExplained) {
  PutBackground();
  v1::Profile asker = MakeProfile("asker", v1::PROFILE_KIND_SMB, {"Funding for a seed round in medical devices"},
                                  {"Regulatory consulting for medical device software"});
  testing::SetLocation(asker, "DE", "Bayern", "München", std::make_pair(48.14, 11.58));
  Put(asker);
  v1::Profile investor = MakeProfile("investor", v1::PROFILE_KIND_INVESTOR, {"Regulatory advice for our portfolio"},
                                     {"Seed funding for medical device startups"});
  testing::SetLocation(investor, "DE", "Bayern", "Augsburg", std::make_pair(48.37, 10.90));
  Put(investor);
  const v1::FindPartnersResponse response = FindFor("asker");
  ASSERT_THAT(response.suggestions(), SizeIs(Ge(1)));
  for (const v1::Suggestion& s : response.suggestions()) {
    SCOPED_TRACE(s.partner().id());
    EXPECT_FALSE(s.need().text().empty());
    EXPECT_FALSE(s.offer().text().empty());
    EXPECT_THAT(s.reasons(), SizeIs(AllOf(Ge(1), Le(3))));
    const v1::ScoreBreakdown& c = s.components();
    for (double value : {c.semantic(), c.lexical(), c.geography(), c.sector(), c.kind_fit(), c.experience(),
                         c.network()}) {
      EXPECT_THAT(value, AllOf(Ge(0.0), Le(1.0)));
    }
    EXPECT_THAT(s.score(), AllOf(Ge(0.0), Le(1.0)));
  }
  const v1::Suggestion* top = Suggestion(response, "investor");
  ASSERT_NE(top, nullptr);
  EXPECT_THAT(top->reasons()[0], HasSubstr("Seed funding for medical device startups"));
  EXPECT_TRUE(top->has_distance_km());
}

// Whenever at least top_k profiles pass the filter, the page is full, however
// selective the filter: the filter is applied inside an exact FAISS scan and
// the search widens until it has enough distinct partners.
TEST_F(RankingTest, FiltersFillThePageAtAnySelectivity) {
  constexpr int kProfiles = 5000;
  grpc::ClientContext context;
  // 5,000 synced writes: longer than the usual deadline under sanitizers.
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(5));
  v1::BulkUpsertResponse bulk;
  auto writer = profiles_->BulkUpsert(&context, &bulk);
  for (int i = 0; i < kProfiles; ++i) {
    // 50% DE, 5% FR, 0.1% PT, the rest IT; the best-matching texts are
    // spread over all countries so that filtered-out profiles compete.
    const std::string country = i % 2 == 0 ? "DE" : i % 20 == 1 ? "FR" : i % 1000 == 3 ? "PT" : "IT";
    v1::UpsertProfileRequest request;
    request.set_tenant(kTenant);
    *request.mutable_profile() = MakeProfile(absl::StrCat("p", i), v1::PROFILE_KIND_SMB, {},
                                             {absl::StrCat("industrial robot vision inspection line ", i % 37)});
    testing::SetLocation(*request.mutable_profile(), country, "", "");
    ASSERT_TRUE(writer->Write(request));
  }
  ASSERT_TRUE(writer->WritesDone());
  ASSERT_THAT(writer->Finish(), GrpcOk());
  ASSERT_EQ(bulk.upserted(), kProfiles);

  struct Case {
    std::string country;
    int admitted;
  };
  for (const Case& c : {Case{"DE", 2500}, Case{"FR", 250}, Case{"PT", 5}}) {
    v1::FindPartnersRequest request;
    request.set_tenant(kTenant);
    request.set_text("robot vision inspection");
    request.mutable_filters()->add_countries(c.country);
    request.set_top_k(std::min(10, c.admitted));
    v1::FindPartnersResponse response;
    ASSERT_THAT(Find(request, &response), GrpcOk());
    EXPECT_EQ(response.suggestions_size(), request.top_k()) << c.country;
    for (const v1::Suggestion& s : response.suggestions()) EXPECT_EQ(s.partner().location().country(), c.country);
  }
}

TEST_F(RankingTest, RankingOptionsAreValidated) {
  Put(MakeProfile("asker", v1::PROFILE_KIND_SMB, {"Anything"}, {}));
  auto find = [&](auto mutate) {
    v1::FindPartnersRequest request;
    request.set_tenant(kTenant);
    request.set_profile_id("asker");
    mutate(request);
    v1::FindPartnersResponse response;
    return Find(request, &response);
  };
  EXPECT_THAT(find([](auto& r) { r.set_diversity(1.5); }),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("diversity")));
  EXPECT_THAT(find([](auto& r) { r.set_diversity(-0.1); }),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("diversity")));
  EXPECT_THAT(find([](auto& r) { r.set_diversity(std::numeric_limits<double>::quiet_NaN()); }),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("diversity")));
  EXPECT_THAT(find([](auto& r) { r.set_max_per_kind(-1); }),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("max_per_kind")));
  EXPECT_THAT(find([](auto& r) { r.set_max_per_kind(101); }),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("max_per_kind")));
  EXPECT_THAT(find([](auto& r) { r.set_reciprocity(static_cast<v1::Reciprocity>(42)); }),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("reciprocity")));
}

TEST_F(RankingTest, CompletedProjectsOutOfRangeIsRejected) {
  v1::Profile profile = MakeProfile("p", v1::PROFILE_KIND_SMB, {"Anything"}, {});
  profile.set_completed_projects(-1);
  EXPECT_THAT(Upsert(kTenant, profile),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("completed_projects")));
  profile.set_completed_projects(100001);
  EXPECT_THAT(Upsert(kTenant, profile),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("completed_projects")));
}

}  // namespace
}  // namespace pollinator
