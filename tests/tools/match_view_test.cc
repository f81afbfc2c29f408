// Tests of tools/cli/match_view.h.
#include "tools/cli/match_view.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pollinator {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

v1::Suggestion* AddSuggestion(v1::FindPartnersResponse* response) {
  v1::Suggestion* suggestion = response->add_suggestions();
  v1::ProfileSummary* partner = suggestion->mutable_partner();
  partner->set_id("ipa");
  partner->set_name("Fraunhofer IPA");
  partner->set_kind(v1::PROFILE_KIND_RESEARCH_INSTITUTE);
  partner->mutable_location()->set_city("Stuttgart");
  partner->mutable_location()->set_country("DE");
  suggestion->mutable_need()->set_text("Pilot line for cells");
  suggestion->mutable_offer()->set_text("Battery pilot line");
  suggestion->set_score(0.87349);
  v1::ScoreBreakdown* score = suggestion->mutable_components();
  score->set_semantic(0.9121);
  score->set_relevance(0.6123);
  score->set_pair_relevance(0.5);
  score->set_prior(0.45);
  score->set_geography(0.8);
  score->set_sector(1);
  score->set_kind_fit(0.5);
  suggestion->add_reasons("Offers technology & infrastructure");
  suggestion->add_reasons("Same region");
  return suggestion;
}

TEST(MatchViewTest, FormatsOneBlockPerSuggestion) {
  v1::FindPartnersResponse response;
  AddSuggestion(&response)->set_distance_km(12.44);
  v1::Suggestion* second = AddSuggestion(&response);
  second->mutable_partner()->clear_location();
  second->clear_reasons();
  EXPECT_EQ(FormatSuggestions(response, v1::DIRECTION_NEEDS_TO_OFFERS),
            "#1  0.873  Fraunhofer IPA (ipa)\n"
            "    research institute · Stuttgart, DE · 12.4 km\n"
            "    need:  Pilot line for cells\n"
            "    offer: Battery pilot line\n"
            "    relevance 0.612 (pair 0.500: semantic 0.912, lexical 0.000), prior "
            "0.450\n"
            "    prior: geography 0.800, sector 1.000, kind fit 0.500,\n"
            "           experience 0.000, network 0.000\n"
            "    - Offers technology & infrastructure\n"
            "    - Same region\n"
            "\n"
            "#2  0.873  Fraunhofer IPA (ipa)\n"
            "    research institute\n"
            "    need:  Pilot line for cells\n"
            "    offer: Battery pilot line\n"
            "    relevance 0.612 (pair 0.500: semantic 0.912, lexical 0.000), prior "
            "0.450\n"
            "    prior: geography 0.800, sector 1.000, kind fit 0.500,\n"
            "           experience 0.000, network 0.000\n");
}

TEST(MatchViewTest, NamesWhatRankedTheSuggestions) {
  v1::FindPartnersResponse response;
  AddSuggestion(&response);
  EXPECT_THAT(FormatSuggestions(response, v1::DIRECTION_NEEDS_TO_OFFERS), Not(HasSubstr("ranked by")));
  response.set_ranked_by("learned-ranker-v2");
  EXPECT_THAT(FormatSuggestions(response, v1::DIRECTION_NEEDS_TO_OFFERS), EndsWith("\nranked by: learned-ranker-v2\n"));
}

TEST(MatchViewTest, TruncatesLongTexts) {
  v1::FindPartnersResponse response;
  AddSuggestion(&response)->mutable_offer()->set_text(std::string(150, 'o'));
  EXPECT_THAT(FormatSuggestions(response, v1::DIRECTION_NEEDS_TO_OFFERS),
              HasSubstr("    offer: " + std::string(99, 'o') + "…\n"));
}

TEST(MatchViewTest, SkipsEmptyNeedText) {
  v1::FindPartnersResponse response;
  AddSuggestion(&response)->mutable_need()->clear_text();
  EXPECT_THAT(FormatSuggestions(response, v1::DIRECTION_NEEDS_TO_OFFERS),
              ::testing::Not(HasSubstr("need:")));
}

TEST(MatchViewTest, ShowsEveryScoreComponent) {
  v1::FindPartnersResponse response;
  v1::ScoreBreakdown* score = AddSuggestion(&response)->mutable_components();
  score->set_lexical(0.4321);
  score->set_experience(0.25);
  score->set_network(0.125);
  score->set_reciprocal(0.7);
  EXPECT_THAT(
      FormatSuggestions(response, v1::DIRECTION_NEEDS_TO_OFFERS),
      HasSubstr("    relevance 0.612 (pair 0.500: semantic 0.912, lexical 0.432, "
                "reciprocal 0.700), prior 0.450\n"
                "    prior: geography 0.800, sector 1.000, kind fit 0.500,\n"
                "           experience 0.250, network 0.125\n"));
}

TEST(MatchViewTest, ShowsReciprocalOnlyWhenPresent) {
  v1::FindPartnersResponse response;
  v1::Suggestion* suggestion = AddSuggestion(&response);
  EXPECT_THAT(FormatSuggestions(response, v1::DIRECTION_NEEDS_TO_OFFERS),
              ::testing::Not(HasSubstr("reciprocal")));
  // Zero is a value, not absence.
  suggestion->mutable_components()->set_reciprocal(0);
  EXPECT_THAT(FormatSuggestions(response, v1::DIRECTION_NEEDS_TO_OFFERS),
              HasSubstr("lexical 0.000, reciprocal 0.000), prior"));
}

TEST(MatchViewTest, ShowsTheMutualPairAskingByNeeds) {
  v1::FindPartnersResponse response;
  v1::Suggestion* suggestion = AddSuggestion(&response);
  suggestion->mutable_mutual_offer()->set_text("Cell testing");
  suggestion->mutable_mutual_need()->set_text("Electrolyte\nR&D");
  EXPECT_THAT(FormatSuggestions(response, v1::DIRECTION_NEEDS_TO_OFFERS),
              HasSubstr("    offer: Battery pilot line\n"
                        "    mutual: your offer \"Cell testing\" meets their "
                        "need \"Electrolyte R&D\"\n"
                        "    relevance "));
  // DIRECTION_UNSPECIFIED means needs to offers.
  EXPECT_THAT(FormatSuggestions(response, v1::DIRECTION_UNSPECIFIED),
              HasSubstr("mutual: your offer \"Cell testing\" meets their "
                        "need \"Electrolyte R&D\"\n"));
}

TEST(MatchViewTest, ShowsTheMutualPairAskingByOffers) {
  v1::FindPartnersResponse response;
  v1::Suggestion* suggestion = AddSuggestion(&response);
  suggestion->mutable_mutual_offer()->set_text("Clean room hours");
  suggestion->mutable_mutual_need()->set_text("Wafer dicing");
  EXPECT_THAT(FormatSuggestions(response, v1::DIRECTION_OFFERS_TO_NEEDS),
              HasSubstr("    mutual: their offer \"Clean room hours\" meets "
                        "your need \"Wafer dicing\"\n"));
}

TEST(MatchViewTest, ShortensMutualTexts) {
  v1::FindPartnersResponse response;
  v1::Suggestion* suggestion = AddSuggestion(&response);
  suggestion->mutable_mutual_offer()->set_text(std::string(60, 'o'));
  suggestion->mutable_mutual_need()->set_text(std::string(45, 'n'));
  EXPECT_THAT(
      FormatSuggestions(response, v1::DIRECTION_NEEDS_TO_OFFERS),
      HasSubstr("mutual: your offer \"" + std::string(44, 'o') +
                "…\" meets their need \"" + std::string(45, 'n') + "\"\n"));
}

TEST(MatchViewTest, NoMutualLineWithoutBothTexts) {
  v1::FindPartnersResponse response;
  v1::Suggestion* suggestion = AddSuggestion(&response);
  suggestion->mutable_mutual_offer()->set_text("Cell testing");
  suggestion->mutable_mutual_need()->set_id("n7");
  EXPECT_THAT(FormatSuggestions(response, v1::DIRECTION_NEEDS_TO_OFFERS),
              ::testing::Not(HasSubstr("mutual:")));
}

TEST(MatchViewTest, NoRelevantPartnerListsTheNearMissesAsSuch) {
  v1::FindPartnersResponse response;
  response.set_no_relevant_partner(true);
  EXPECT_EQ(FormatSuggestions(response, v1::DIRECTION_NEEDS_TO_OFFERS),
            "no relevant partner: no candidate fits well enough\n");
  v1::Suggestion* miss = response.add_near_misses();
  miss->mutable_partner()->set_id("cell-therapy");
  miss->mutable_partner()->set_name("Cell Therapy Institute");
  miss->add_reasons("Shares only: cell");
  const std::string text = FormatSuggestions(response, v1::DIRECTION_NEEDS_TO_OFFERS);
  EXPECT_THAT(text, HasSubstr("no relevant partner: no candidate fits well enough\n"
                              "closest candidates, for a broker to judge:\n\n"
                              "#1  0.000  Cell Therapy Institute (cell-therapy)\n"));
  EXPECT_THAT(text, HasSubstr("    - Shares only: cell\n"));
}

TEST(MatchViewTest, NoSuggestions) {
  EXPECT_EQ(FormatSuggestions(v1::FindPartnersResponse(),
                              v1::DIRECTION_NEEDS_TO_OFFERS),
            "no suggestions\n");
}

}  // namespace
}  // namespace pollinator
