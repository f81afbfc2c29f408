// Tests of tools/cli/match_view.h.
#include "tools/cli/match_view.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pollinator {
namespace {

using ::testing::HasSubstr;

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
  EXPECT_EQ(FormatSuggestions(response),
            "#1  0.873  Fraunhofer IPA (ipa)\n"
            "    research institute · Stuttgart, DE · 12.4 km\n"
            "    need:  Pilot line for cells\n"
            "    offer: Battery pilot line\n"
            "    score: semantic 0.912, geography 0.800, sector 1.000, kind "
            "fit 0.500\n"
            "    - Offers technology & infrastructure\n"
            "    - Same region\n"
            "\n"
            "#2  0.873  Fraunhofer IPA (ipa)\n"
            "    research institute\n"
            "    need:  Pilot line for cells\n"
            "    offer: Battery pilot line\n"
            "    score: semantic 0.912, geography 0.800, sector 1.000, kind "
            "fit 0.500\n");
}

TEST(MatchViewTest, TruncatesLongTexts) {
  v1::FindPartnersResponse response;
  AddSuggestion(&response)->mutable_offer()->set_text(std::string(150, 'o'));
  EXPECT_THAT(FormatSuggestions(response),
              HasSubstr("    offer: " + std::string(99, 'o') + "…\n"));
}

TEST(MatchViewTest, SkipsEmptyNeedText) {
  v1::FindPartnersResponse response;
  AddSuggestion(&response)->mutable_need()->clear_text();
  EXPECT_THAT(FormatSuggestions(response), ::testing::Not(HasSubstr("need:")));
}

TEST(MatchViewTest, NoSuggestions) {
  EXPECT_EQ(FormatSuggestions(v1::FindPartnersResponse()), "no suggestions\n");
}

}  // namespace
}  // namespace pollinator
