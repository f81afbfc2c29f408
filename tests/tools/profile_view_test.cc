// Tests of tools/cli/profile_view.h.
#include "tools/cli/profile_view.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pollinator {
namespace {

v1::Profile SampleProfile() {
  v1::Profile profile;
  profile.set_id("smb-1");
  profile.set_kind(v1::PROFILE_KIND_RESEARCH_INSTITUTE);
  profile.set_name("Institut für Batterien");
  profile.add_sectors("72");
  profile.add_sectors("C27");
  v1::Location* location = profile.mutable_location();
  location->set_country("DE");
  location->set_region("Baden-Württemberg");
  location->set_city("Ulm");
  location->set_lat(48.4);
  location->set_lon(9.99);
  v1::Need* need = profile.add_needs();
  need->set_id("n1");
  need->set_text("Funding for a\npilot line");
  need->set_component(v1::COMPONENT_FUNDING);
  v1::Offer* offer = profile.add_offers();
  offer->set_id("o1");
  offer->set_text("Cell testing");
  offer->set_component(v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE);
  return profile;
}

TEST(ProfileViewTest, FormatsLocation) {
  v1::Location location;
  EXPECT_EQ(FormatLocation(location), "");
  location.set_country("FR");
  EXPECT_EQ(FormatLocation(location), "FR");
  EXPECT_EQ(FormatLocation(SampleProfile().location()),
            "Ulm, Baden-Württemberg, DE (48.4000, 9.9900)");
}

TEST(ProfileViewTest, FormatsDetails) {
  EXPECT_EQ(FormatProfileDetails(SampleProfile()),
            "id:          smb-1\n"
            "kind:        research institute\n"
            "name:        Institut für Batterien\n"
            "location:    Ulm, Baden-Württemberg, DE (48.4000, 9.9900)\n"
            "sectors:     72, C27\n"
            "needs (1):\n"
            "  n1  [funding & investment] Funding for a pilot line\n"
            "offers (1):\n"
            "  o1  [technology & infrastructure] Cell testing\n");
}

TEST(ProfileViewTest, DetailsOfABareProfile) {
  v1::Profile profile;
  profile.set_id("x");
  profile.set_description("About us");
  EXPECT_EQ(FormatProfileDetails(profile),
            "id:          x\n"
            "kind:        unspecified\n"
            "name:        \n"
            "location:    \n"
            "sectors:     \n"
            "description: About us\n"
            "needs:       none\n"
            "offers:      none\n");
}

TEST(ProfileViewTest, FormatsTable) {
  v1::Profile second;
  second.set_id("u-2");
  second.set_kind(v1::PROFILE_KIND_SMB);
  second.set_name(std::string(50, 'n'));
  const std::vector<v1::Profile> profiles = {SampleProfile(), second};
  EXPECT_EQ(
      FormatProfileTable(profiles),
      "ID     KIND                NAME                                      "
      "COUNTRY  CITY  NEEDS  OFFERS\n"
      "smb-1  research institute  Institut für Batterien                    "
      "DE       Ulm   1      1\n"
      "u-2    SMB                 " +
          std::string(39, 'n') +
          "…  "
          "               0      0\n");
}

TEST(ProfileViewTest, EmptyTable) {
  EXPECT_EQ(FormatProfileTable({}), "no profiles\n");
}

}  // namespace
}  // namespace pollinator
