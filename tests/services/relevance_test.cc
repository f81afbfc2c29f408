// The relevance rules end to end, through the gRPC API of a real in-process
// server (RocksDB in a temporary folder, real FAISS, WordNet): text fit gates
// every suggestion, priors only reorder relevant partners, relevance is
// absolute, "no relevant partner" is an answer, and reasons claim no more
// than the evidence shows (match_scoring.h and match_explanation.h state the
// rules).
#include <algorithm>
#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/match_scoring.h"
#include "index/text_features.h"
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
using ::pollinator::testing::SetLocation;
using ::pollinator::testing::SuggestionFor;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr char kTenant[] = "assoc";
constexpr char kBatteryNeed[] = "Pilot line for coating lithium battery cathodes with a dry room";

class RelevanceTest : public testing::GrpcServerTest {
 protected:
  void Put(const v1::Profile& profile) { ASSERT_THAT(Upsert(kTenant, profile), GrpcOk()); }

  // A small ecosystem around one battery need: the fitting lab far away, a
  // cell-therapy institute that shares only "cell", and actors near the
  // asker with every prior in their favour and nothing relevant to offer.
  void PutEcosystem() {
    v1::Profile asker = MakeProfile("asker", v1::PROFILE_KIND_SMB, {kBatteryNeed},
                                    {"Battery management software for stationary storage"});
    SetLocation(asker, "DE", "Sachsen", "Dresden", std::make_pair(51.05, 13.74));
    asker.mutable_needs(0)->set_component(v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE);
    asker.add_sectors("C27.2");
    Put(asker);

    v1::Profile lab = MakeProfile("battery-lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE, {},
                                  {"Open pilot line for lithium battery cathode coating and calendering in a dry room"});
    SetLocation(lab, "ES", "Gipuzkoa", "Donostia", std::make_pair(43.32, -1.98));
    Put(lab);

    v1::Profile therapy = MakeProfile("cell-therapy", v1::PROFILE_KIND_RESEARCH_INSTITUTE, {},
                                      {"GMP manufacturing of cell therapies and stem cell lines"});
    SetLocation(therapy, "DE", "Sachsen", "Dresden", std::make_pair(51.06, 13.75));
    therapy.set_completed_projects(60);
    Put(therapy);

    v1::Profile fund = MakeProfile("growth-fund", v1::PROFILE_KIND_INVESTOR, {},
                                   {"Growth equity for profitable family-owned manufacturers"});
    SetLocation(fund, "DE", "Sachsen", "Dresden", std::make_pair(51.05, 13.74));
    fund.set_completed_projects(40);
    fund.add_sectors("C27.1");
    Put(fund);

    for (const char* topic : {"Payroll and accounting for small firms", "Catering for business events",
                              "Translation of technical manuals", "Office cleaning services",
                              "Freight forwarding by rail", "Trade fair stand construction"}) {
      v1::Profile other = MakeProfile(absl::StrCat("svc-", Tokenize(topic)[0]), v1::PROFILE_KIND_SERVICE_PROVIDER, {},
                                      {topic});
      SetLocation(other, "DE", "Sachsen", "Dresden", std::make_pair(51.05, 13.74));
      Put(other);
    }
  }

  grpc::Status Collaborate(const std::string& from, const std::string& to) {
    v1::Interaction interaction;
    interaction.set_from_profile_id(from);
    interaction.set_to_profile_id(to);
    interaction.set_type(v1::INTERACTION_TYPE_COLLABORATED);
    return RecordInteraction(kTenant, interaction);
  }

  static v1::FindPartnersRequest ForProfile(const std::string& id) {
    v1::FindPartnersRequest request;
    request.set_tenant(kTenant);
    request.set_profile_id(id);
    request.set_top_k(20);
    return request;
  }

  static v1::FindPartnersRequest ForText(const std::string& text) {
    v1::FindPartnersRequest request;
    request.set_tenant(kTenant);
    request.set_text(text);
    request.set_top_k(20);
    return request;
  }

  v1::FindPartnersResponse FindOk(const v1::FindPartnersRequest& request) {
    v1::FindPartnersResponse response;
    EXPECT_THAT(Find(request, &response), GrpcOk());
    return response;
  }

  static std::vector<std::string> Ids(const v1::FindPartnersResponse& response) {
    return testing::PartnerIds(response);
  }
};

TEST_F(RelevanceTest, IrrelevantPartnersAreNeverSuggestedHoweverNearExperiencedOrConnected) {
  PutEcosystem();
  // A recorded collaboration makes the growth fund a past partner.
  ASSERT_THAT(Collaborate("asker", "growth-fund"), GrpcOk());
  const v1::FindPartnersResponse response = FindOk(ForProfile("asker"));
  EXPECT_FALSE(response.no_relevant_partner());
  EXPECT_THAT(Ids(response), ElementsAre("battery-lab"));
  for (const v1::Suggestion& s : response.suggestions()) {
    EXPECT_GE(s.components().pair_relevance(), kDefaultMinRelevance) << s.partner().id();
  }
}

TEST_F(RelevanceTest, WithTheFloorOffPriorsStillCannotLiftAnIrrelevantPartnerAboveARelevantOne) {
  PutEcosystem();
  ASSERT_THAT(Collaborate("asker", "growth-fund"), GrpcOk());
  v1::FindPartnersRequest request = ForProfile("asker");
  request.set_min_relevance(0);
  const v1::FindPartnersResponse response = FindOk(request);
  ASSERT_THAT(Ids(response), Contains("growth-fund"));
  EXPECT_EQ(Ids(response)[0], "battery-lab");
  const v1::Suggestion* fund = SuggestionFor(response, "growth-fund");
  const v1::Suggestion* lab = SuggestionFor(response, "battery-lab");
  // Every prior favours the fund (same city, experienced, a past partner).
  EXPECT_GT(fund->components().prior(), lab->components().prior());
  EXPECT_EQ(fund->components().network(), 1.0);
  EXPECT_LT(fund->score(), lab->score());
  // The score is relevance scaled by the priors, nothing added.
  for (const v1::Suggestion& s : response.suggestions()) {
    const ScoringWeights weights;
    EXPECT_NEAR(s.score(), GatedScore(s.components().relevance(), s.components().prior(), weights), 1e-9)
        << s.partner().id();
  }
}

TEST_F(RelevanceTest, PriorsReorderRelevantPartners) {
  PutEcosystem();
  // A twin of the distant lab next door to the asker, with projects behind it.
  v1::Profile near = MakeProfile("near-lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE, {},
                                 {"Open pilot line for lithium battery cathode coating and calendering in a dry room"});
  SetLocation(near, "DE", "Sachsen", "Dresden", std::make_pair(51.03, 13.72));
  near.set_completed_projects(20);
  Put(near);
  const v1::FindPartnersResponse response = FindOk(ForProfile("asker"));
  ASSERT_THAT(Ids(response), ElementsAre("near-lab", "battery-lab"));
  EXPECT_DOUBLE_EQ(response.suggestions(0).components().relevance(),
                   response.suggestions(1).components().relevance());
  EXPECT_GT(response.suggestions(0).components().prior(), response.suggestions(1).components().prior());
}

TEST_F(RelevanceTest, RelevanceIsAbsoluteWhateverElseIsInThePoolOrTheFilter) {
  PutEcosystem();
  const v1::Suggestion* before = nullptr;
  v1::FindPartnersResponse first = FindOk(ForProfile("asker"));
  before = SuggestionFor(first, "battery-lab");
  ASSERT_NE(before, nullptr);

  // A better candidate joins the pool, and a filter narrows it.
  Put(MakeProfile("better-lab", v1::PROFILE_KIND_UNIVERSITY, {},
                  {"Pilot line for coating lithium battery cathodes with a dry room, bookable by SMEs"}));
  v1::FindPartnersRequest filtered = ForProfile("asker");
  filtered.mutable_filters()->add_kinds(v1::PROFILE_KIND_RESEARCH_INSTITUTE);
  for (const v1::FindPartnersRequest& request : {ForProfile("asker"), filtered}) {
    const v1::FindPartnersResponse response = FindOk(request);
    const v1::Suggestion* after = SuggestionFor(response, "battery-lab");
    ASSERT_NE(after, nullptr);
    // New documents shift the tenant's IDF a little; nothing is relative to
    // the best candidate any more.
    EXPECT_NEAR(after->components().lexical(), before->components().lexical(), 0.05);
    EXPECT_NEAR(after->components().relevance(), before->components().relevance(), 0.05);
    EXPECT_LT(after->components().lexical(), 1.0);
  }
}

TEST_F(RelevanceTest, NothingRelevantIsAnAnswerWithNearMissesThatSaySoHonestly) {
  PutEcosystem();
  const v1::FindPartnersResponse response = FindOk(ForText("LiDAR point cloud analytics for forestry"));
  EXPECT_THAT(response.suggestions(), IsEmpty());
  EXPECT_TRUE(response.no_relevant_partner());
  ASSERT_THAT(response.near_misses(), Not(IsEmpty()));
  EXPECT_LE(response.near_misses_size(), 3);
  for (int i = 1; i < response.near_misses_size(); ++i) {
    // Closest first, by substance.
    EXPECT_GE(response.near_misses(i - 1).components().pair_relevance(),
              response.near_misses(i).components().pair_relevance());
  }
  for (const v1::Suggestion& miss : response.near_misses()) {
    EXPECT_LT(miss.components().pair_relevance(), kDefaultMinRelevance);
    ASSERT_GE(miss.reasons_size(), 1);
    EXPECT_THAT(miss.reasons(0), StartsWith("Closest candidate, but not a clear fit"));
    EXPECT_THAT(miss.reasons(), Not(Contains(HasSubstr("matches"))));
  }

  // The cell-therapy institute shares only "cell" with a battery-cell need:
  // a candidate (it is listed with the floor off), but below the floor.
  v1::FindPartnersRequest cells = ForText("pouch cell assembly for lithium batteries");
  cells.set_min_relevance(0);
  const v1::FindPartnersResponse every = FindOk(cells);
  const v1::Suggestion* therapy = SuggestionFor(every, "cell-therapy");
  ASSERT_NE(therapy, nullptr);
  EXPECT_LT(therapy->components().pair_relevance(), kDefaultMinRelevance);
  cells.clear_min_relevance();
  const v1::FindPartnersResponse floored = FindOk(cells);
  EXPECT_THAT(Ids(floored), Contains("battery-lab"));
  EXPECT_THAT(Ids(floored), Not(Contains("cell-therapy")));
}

TEST_F(RelevanceTest, MinRelevanceIsValidatedAndAppliedAsAThreshold) {
  PutEcosystem();
  for (double bad : {-0.1, 1.5}) {
    v1::FindPartnersRequest request = ForProfile("asker");
    request.set_min_relevance(bad);
    v1::FindPartnersResponse response;
    EXPECT_THAT(Find(request, &response), GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("min_relevance")))
        << bad;
  }
  v1::FindPartnersRequest all = ForProfile("asker");
  all.set_min_relevance(0);
  const v1::FindPartnersResponse every = FindOk(all);
  EXPECT_THAT(every.suggestions(), SizeIs(9));
  for (double floor : {0.05, 0.1, 0.3}) {
    v1::FindPartnersRequest request = ForProfile("asker");
    request.set_min_relevance(floor);
    const v1::FindPartnersResponse response = FindOk(request);
    size_t expected = 0;
    for (const v1::Suggestion& s : every.suggestions()) expected += s.components().pair_relevance() >= floor;
    EXPECT_EQ(static_cast<size_t>(response.suggestions_size()), expected) << floor;
    for (const v1::Suggestion& s : response.suggestions()) EXPECT_GE(s.components().pair_relevance(), floor);
  }
}

TEST_F(RelevanceTest, MatchesIsClaimedOnlyFromStrongRelevance) {
  PutEcosystem();
  v1::FindPartnersRequest request = ForProfile("asker");
  request.set_min_relevance(0);
  const v1::FindPartnersResponse response = FindOk(request);
  bool seen_strong = false, seen_weak = false;
  for (const v1::Suggestion& s : response.suggestions()) {
    const bool strong = s.components().pair_relevance() >= kStrongRelevance;
    (strong ? seen_strong : seen_weak) = true;
    EXPECT_EQ(absl::StrContains(s.reasons(0), "which matches your need"), strong) << s.reasons(0);
    // What the partner brings, never the asker's own need repeated.
    EXPECT_THAT(s.reasons(0), StartsWith("Offers \""));
    EXPECT_THAT(s.reasons(0), Not(HasSubstr(kBatteryNeed)));
  }
  EXPECT_TRUE(seen_strong);
  EXPECT_TRUE(seen_weak);
}

TEST_F(RelevanceTest, MutualPairOnlyWhenTheReversePairPassesTheFloor) {
  PutEcosystem();
  // One lab needs what the asker offers, the other something it cannot give.
  Put(MakeProfile("mutual-lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE,
                  {"Battery management software for our stationary storage demonstrator"},
                  {"Pilot line for lithium battery cathode coating in a dry room"}));
  Put(MakeProfile("one-sided-lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE, {"Acid whey from a dairy for fermentation trials"},
                  {"Pilot line for lithium battery cathode coating in a dry room"}));
  const v1::FindPartnersResponse response = FindOk(ForProfile("asker"));
  const v1::Suggestion* mutual = SuggestionFor(response, "mutual-lab");
  const v1::Suggestion* one_sided = SuggestionFor(response, "one-sided-lab");
  ASSERT_NE(mutual, nullptr);
  ASSERT_NE(one_sided, nullptr);
  EXPECT_GE(mutual->components().reciprocal(), kDefaultMinRelevance);
  EXPECT_THAT(mutual->mutual_need().text(), HasSubstr("Battery management software"));
  EXPECT_THAT(mutual->reasons(), Contains(HasSubstr("what you offer: \"Battery management software")));
  EXPECT_LT(one_sided->components().reciprocal(), kDefaultMinRelevance);
  EXPECT_FALSE(one_sided->has_mutual_need());
  EXPECT_FALSE(one_sided->has_mutual_offer());
  EXPECT_THAT(one_sided->reasons(), Not(Contains(HasSubstr("what you offer"))));
}

TEST_F(RelevanceTest, SharedTermsAreContentWords) {
  PutEcosystem();
  // Both texts share numbers, fragments and framing words besides content.
  Put(MakeProfile("asker-2", v1::PROFILE_KIND_SMB, {"We need cathode coating trials for 38 Ah cells, un ah, based in the EU"},
                  {}));
  Put(MakeProfile("trial-lab", v1::PROFILE_KIND_RESEARCH_INSTITUTE, {},
                  {"Cathode coating trials for 38 Ah cells, un ah, based in the EU, for partners who need them"}));
  v1::FindPartnersRequest request = ForProfile("asker-2");
  request.set_min_relevance(0);
  const v1::FindPartnersResponse response = FindOk(request);
  ASSERT_THAT(response.suggestions(), Not(IsEmpty()));
  bool named_terms = false;
  for (const v1::Suggestion& s : response.suggestions()) {
    for (const std::string& reason : s.reasons()) {
      if (!absl::StartsWith(reason, "Shares specific terms with you: ")) continue;
      named_terms = true;
      for (absl::string_view term : absl::StrSplit(reason.substr(reason.find(": ") + 2), ", ")) {
        EXPECT_GE(term.size(), 3u) << reason;
        EXPECT_FALSE(IsStopWord(term)) << reason;
        EXPECT_FALSE(std::all_of(term.begin(), term.end(), absl::ascii_isdigit)) << reason;
      }
    }
  }
  EXPECT_TRUE(named_terms);
}

TEST_F(RelevanceTest, GeographyReasonsAreTrue) {
  PutEcosystem();
  // The Spanish lab is 1600 km from Dresden: an international need makes
  // geography count, but it is no "nearby" partner.
  v1::Profile asker = MakeProfile("asker-intl", v1::PROFILE_KIND_SMB, {kBatteryNeed}, {});
  SetLocation(asker, "DE", "Sachsen", "Dresden", std::make_pair(51.05, 13.74));
  asker.mutable_needs(0)->set_scope(v1::GEOGRAPHIC_SCOPE_INTERNATIONAL);
  Put(asker);
  const v1::FindPartnersResponse response = FindOk(ForProfile("asker-intl"));
  const v1::Suggestion* lab = SuggestionFor(response, "battery-lab");
  ASSERT_NE(lab, nullptr);
  EXPECT_GT(lab->distance_km(), 1000);
  EXPECT_THAT(lab->reasons(), Not(Contains(HasSubstr("Nearby"))));
}

TEST_F(RelevanceTest, SynonymsCountTowardsRelevance) {
  Put(MakeProfile("asker", v1::PROFILE_KIND_SMB, {"Recycled fibre from old denim"}, {}));
  Put(MakeProfile("recycler", v1::PROFILE_KIND_SMB, {}, {"We shred old jeans into recycled fibre"}));
  Put(MakeProfile("printer", v1::PROFILE_KIND_SERVICE_PROVIDER, {}, {"Printing of posters and brochures"}));
  const v1::FindPartnersResponse response = FindOk(ForProfile("asker"));
  ASSERT_THAT(Ids(response), ElementsAre("recycler"));
  // "denim" is found as its WordNet synonym "jeans"; a word in its place
  // that the offer does not use, nor any synonym of it, adds nothing.
  v1::FindPartnersRequest synonym = ForText("Recycled fibre from old denim");
  v1::FindPartnersRequest unrelated = ForText("Recycled fibre from old linoleum");
  synonym.set_min_relevance(0);
  unrelated.set_min_relevance(0);
  const v1::FindPartnersResponse with_synonym = FindOk(synonym);
  const v1::FindPartnersResponse with_unrelated = FindOk(unrelated);
  const v1::Suggestion* with = SuggestionFor(with_synonym, "recycler");
  const v1::Suggestion* without = SuggestionFor(with_unrelated, "recycler");
  ASSERT_NE(with, nullptr);
  ASSERT_NE(without, nullptr);
  EXPECT_GT(with->components().lexical(), without->components().lexical() + 0.1);
  EXPECT_GT(with->components().relevance(), without->components().relevance());
}

TEST_F(RelevanceTest, DiversityMovesAreDisclosed) {
  PutEcosystem();
  for (int i = 0; i < 4; ++i) {
    Put(MakeProfile(absl::StrCat("lab-", i), v1::PROFILE_KIND_RESEARCH_INSTITUTE, {},
                    {i % 2 == 0 ? "Pilot line for lithium battery cathode coating in a dry room"
                                : "Dry room hire for lithium battery cell assembly and cathode handling"}));
  }
  v1::FindPartnersRequest request = ForProfile("asker");
  request.set_diversity(0.9);
  const v1::FindPartnersResponse response = FindOk(request);
  ASSERT_THAT(response.suggestions(), SizeIs(::testing::Ge(3)));
  bool moved = false;
  for (int i = 0; i < response.suggestions_size(); ++i) {
    bool above_higher = false;
    for (int j = i + 1; j < response.suggestions_size(); ++j) {
      above_higher |= response.suggestions(j).score() > response.suggestions(i).score();
    }
    moved |= above_higher;
    EXPECT_EQ(absl::c_linear_search(response.suggestions(i).reasons(),
                                    "Listed above higher-scored suggestions for variety"),
              above_higher)
        << i;
  }
  EXPECT_TRUE(moved);
}

}  // namespace
}  // namespace pollinator
