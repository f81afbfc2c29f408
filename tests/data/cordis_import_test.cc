// The CORDIS importer on a tiny folder in CORDIS's layout, written to a
// temporary folder so that a test always runs, and on the real
// cordis_he_hopon folder when it is there.
#include "data/cordis_import.h"

#include <filesystem>
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/validation.h"
#include "tests/testing/cordis_fixture.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace pollinator {
namespace {

using ::pollinator::testing::IsOk;
using ::pollinator::testing::StatusIs;
using ::pollinator::testing::TempDir;
using ::pollinator::testing::WriteCordisFixture;
using ::pollinator::testing::WriteFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(CordisImportTest, KindsFollowTheActivityTypeAndSmeFlag) {
  EXPECT_EQ(CordisProfileKind("PRC", true), v1::PROFILE_KIND_SMB);
  EXPECT_EQ(CordisProfileKind("PRC", false), v1::PROFILE_KIND_LARGE_ENTERPRISE);
  EXPECT_EQ(CordisProfileKind("HES", false), v1::PROFILE_KIND_UNIVERSITY);
  EXPECT_EQ(CordisProfileKind("REC", true), v1::PROFILE_KIND_RESEARCH_INSTITUTE);
  EXPECT_EQ(CordisProfileKind("PUB", false), v1::PROFILE_KIND_PUBLIC_AGENCY);
  EXPECT_EQ(CordisProfileKind("OTH", false), v1::PROFILE_KIND_ASSOCIATION_CLUSTER);
}

TEST(CordisImportTest, TheDefaultLimitsAreTheApis) {
  EXPECT_EQ(CordisImportOptions().max_offers, kMaxItemsPerList);
  EXPECT_EQ(CordisImportOptions().max_text_bytes, kMaxTextBytes);
  EXPECT_THAT(CordisImportOptions().Validate(), IsOk());
}

TEST(CordisImportTest, EachOrganisationBecomesAProfileWithItsProjectsAsOffers) {
  TempDir dir;
  WriteCordisFixture(dir.path());
  absl::StatusOr<CordisFolder> folder = ReadCordisFolder(dir.path());
  ASSERT_THAT(folder, IsOk());
  EXPECT_EQ(folder->projects.size(), 4u);
  EXPECT_THAT(folder->organisation_order, ElementsAre("100", "200", "300", "400", "500"));
  const std::vector<CordisProfile> profiles = CordisOrganisationProfiles(*folder, CordisImportOptions());
  ASSERT_EQ(profiles.size(), 5u);

  const CordisProfile& sme = profiles[0];
  EXPECT_EQ(sme.row, 2);
  EXPECT_EQ(sme.profile.id(), "org-100");
  EXPECT_EQ(sme.profile.kind(), v1::PROFILE_KIND_SMB);
  EXPECT_EQ(sme.profile.name(), "Optics SME");
  EXPECT_EQ(sme.profile.location().country(), "DE");
  EXPECT_EQ(sme.profile.location().city(), "Dresden");
  EXPECT_DOUBLE_EQ(sme.profile.location().lat(), 51.05);
  EXPECT_DOUBLE_EQ(sme.profile.location().lon(), 13.74);
  // Two roles in project 101 count once.
  EXPECT_EQ(sme.profile.completed_projects(), 3);
  // Newest first; the two of 2025-01-01 by id.
  ASSERT_EQ(sme.profile.offers_size(), 3);
  EXPECT_EQ(sme.profile.offers(0).id(), "102");
  EXPECT_EQ(sme.profile.offers(1).id(), "104");
  EXPECT_EQ(sme.profile.offers(2).id(), "101");
  EXPECT_EQ(sme.profile.offers(2).text(), "Laser optics. Coatings, and lenses.");
  EXPECT_EQ(sme.profile.offers(2).component(), v1::COMPONENT_COLLABORATION_NETWORKING);
  EXPECT_THAT(sme.profile.offers(2).modes(), ElementsAre(v1::COLLABORATION_MODE_JOINT_RD));
  EXPECT_EQ(sme.profile.offers(2).scope(), v1::GEOGRAPHIC_SCOPE_INTERNATIONAL);
  EXPECT_THAT(sme.profile.needs(), IsEmpty());

  // Not an SME now, whatever it once was; CORDIS's EL is Greece. Project
  // 999 is not in projects.csv: nothing to describe or count.
  const v1::Profile& corp = profiles[1].profile;
  EXPECT_EQ(corp.kind(), v1::PROFILE_KIND_LARGE_ENTERPRISE);
  EXPECT_EQ(corp.location().country(), "GR");
  EXPECT_FALSE(corp.location().has_lat());
  EXPECT_EQ(corp.completed_projects(), 1);

  const v1::Profile& university = profiles[2].profile;
  EXPECT_EQ(university.kind(), v1::PROFILE_KIND_UNIVERSITY);
  EXPECT_EQ(university.name(), "UniX");  // no name: the short name
  EXPECT_EQ(university.location().country(), "GB");

  const v1::Profile& cluster = profiles[3].profile;
  EXPECT_EQ(cluster.kind(), v1::PROFILE_KIND_ASSOCIATION_CLUSTER);
  EXPECT_EQ(cluster.completed_projects(), 0);
  EXPECT_THAT(cluster.offers(), IsEmpty());

  // A latitude without a longitude is no position.
  EXPECT_FALSE(profiles[4].profile.location().has_lat());
  for (const CordisProfile& profile : profiles) {
    EXPECT_THAT(ValidateProfile(profile.profile), IsOk()) << profile.profile.id();
  }
}

TEST(CordisImportTest, OffersAreCappedAndTextsClippedAtACharacterBoundary) {
  TempDir dir;
  WriteCordisFixture(dir.path());
  absl::StatusOr<CordisFolder> folder = ReadCordisFolder(dir.path());
  ASSERT_THAT(folder, IsOk());
  CordisImportOptions options;
  options.max_offers = 2;
  options.max_text_bytes = 14;
  const std::vector<CordisProfile> profiles = CordisOrganisationProfiles(*folder, options);
  ASSERT_EQ(profiles[0].profile.offers_size(), 2);
  EXPECT_EQ(profiles[0].profile.offers(0).text(), "Battery cells.");
  EXPECT_EQ(profiles[0].profile.completed_projects(), 3);
  EXPECT_EQ(ClipUtf8("Größe", 3), "Gr");  // "ö" is two bytes
  EXPECT_EQ(ClipUtf8("Größe", 4), "Grö");
}

TEST(CordisImportTest, AMissingFolderOrFileIsNamed) {
  TempDir dir;
  EXPECT_THAT(ReadCordisFolder(dir.Sub("nowhere")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nowhere: no such folder")));
  WriteCordisFixture(dir.path());
  std::filesystem::remove(dir.Sub("projects.csv"));
  EXPECT_THAT(ReadCordisFolder(dir.path()),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no projects.csv")));
  WriteFile(dir.Sub("projects.csv"), "project_id,title\n1,x\n");
  EXPECT_THAT(ReadCordisFolder(dir.path()),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no column \"objective\"")));
}

TEST(CordisImportTest, TheRealFolderGivesOneValidProfilePerOrganisation) {
  const std::string dir = std::string(POLLINATOR_DATASETS_DIR) + "/cordis_he_hopon";
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << dir << " is not here";
  absl::StatusOr<CordisFolder> folder = ReadCordisFolder(dir);
  ASSERT_THAT(folder, IsOk());
  const std::vector<CordisProfile> profiles = CordisOrganisationProfiles(*folder, CordisImportOptions());
  EXPECT_EQ(profiles.size(), 6497u);
  std::set<std::string> ids;
  int64_t offers = 0;
  for (const CordisProfile& profile : profiles) {
    ids.insert(profile.profile.id());
    offers += profile.profile.offers_size();
    EXPECT_THAT(ValidateProfile(profile.profile), IsOk()) << profile.profile.id();
  }
  EXPECT_EQ(ids.size(), profiles.size());
  // Every (project, organisation) pair once; no organisation is near the cap.
  EXPECT_GT(offers, 10000);
}

}  // namespace
}  // namespace pollinator
