#include "data/profile_csv.h"

#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "tests/testing/status_matchers.h"

namespace pollinator {
namespace {

using ::pollinator::testing::IsOk;
using ::pollinator::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Reads `text` as a profile CSV.
absl::StatusOr<std::vector<CsvProfile>> Read(const std::string& text) {
  std::istringstream input(text);
  absl::StatusOr<std::unique_ptr<CsvReader>> reader = CsvReader::FromStream(&input, "test.csv");
  if (!reader.ok()) return reader.status();
  return ReadProfileCsv(**reader);
}

// The errors of all profiles, as "line N, column C: message".
std::vector<std::string> Errors(const std::vector<CsvProfile>& profiles) {
  std::vector<std::string> errors;
  for (const CsvProfile& profile : profiles) {
    for (const CsvCellError& error : profile.errors) errors.push_back(error.ToString());
  }
  return errors;
}

constexpr char kEveryColumn[] =
    "profile_id,kind,name,description,country,region,city,lat,lon,sectors,languages,size,stage,"
    "completed_projects,side,item_id,text,component,modes,scope,expires,challenge_deadline,solver_kinds,"
    "solver_countries\n"
    "corp-1,Large_Enterprise,Acme AG,\"Makes things, well\",DE,Bayern,München,48.137,11.575,C28; 62.01,"
    "de;en,large,mature,12,need,n1,Detect corrosion,technology_infrastructure,open_innovation_challenge;"
    "JOINT_RD,international,2027-01-31,2026-12-31,smb;Startup,DE;AT\n"
    "corp-1,,,,,,,,,,,,,,offer,o1,Test fleet,expertise,COLLABORATION_MODE_SHARED_FACILITIES,local,"
    "2028-02-29,,,\n"
    "agency-1,public_agency,Agency,,FR,,,,,,,,,,,,,,,,,,,\n";

TEST(ProfileCsvTest, ReadsEveryColumn) {
  absl::StatusOr<std::vector<CsvProfile>> profiles = Read(kEveryColumn);
  ASSERT_THAT(profiles, IsOk());
  ASSERT_EQ(profiles->size(), 2u);
  const CsvProfile& corp = (*profiles)[0];
  EXPECT_THAT(corp.errors, IsEmpty());
  EXPECT_EQ(corp.line, 2);
  EXPECT_EQ(corp.lines, 2);
  const v1::Profile& p = corp.profile;
  EXPECT_EQ(p.id(), "corp-1");
  EXPECT_EQ(p.kind(), v1::PROFILE_KIND_LARGE_ENTERPRISE);
  EXPECT_EQ(p.name(), "Acme AG");
  EXPECT_EQ(p.description(), "Makes things, well");
  EXPECT_EQ(p.location().country(), "DE");
  EXPECT_EQ(p.location().region(), "Bayern");
  EXPECT_EQ(p.location().city(), "München");
  EXPECT_DOUBLE_EQ(p.location().lat(), 48.137);
  EXPECT_DOUBLE_EQ(p.location().lon(), 11.575);
  EXPECT_THAT(p.sectors(), ElementsAre("C28", "62.01"));
  EXPECT_THAT(p.languages(), ElementsAre("de", "en"));
  EXPECT_EQ(p.size(), v1::COMPANY_SIZE_LARGE);
  EXPECT_EQ(p.stage(), v1::STAGE_MATURE);
  EXPECT_EQ(p.completed_projects(), 12);

  ASSERT_EQ(p.needs_size(), 1);
  const v1::Need& need = p.needs(0);
  EXPECT_EQ(need.id(), "n1");
  EXPECT_EQ(need.text(), "Detect corrosion");
  EXPECT_EQ(need.component(), v1::COMPONENT_TECHNOLOGY_INFRASTRUCTURE);
  EXPECT_THAT(need.modes(), ElementsAre(v1::COLLABORATION_MODE_OPEN_INNOVATION_CHALLENGE,
                                        v1::COLLABORATION_MODE_JOINT_RD));
  EXPECT_EQ(need.scope(), v1::GEOGRAPHIC_SCOPE_INTERNATIONAL);
  EXPECT_EQ(need.expires().ShortDebugString(), "year: 2027 month: 1 day: 31");
  EXPECT_EQ(need.challenge().deadline().ShortDebugString(), "year: 2026 month: 12 day: 31");
  EXPECT_THAT(need.challenge().solver_kinds(), ElementsAre(v1::PROFILE_KIND_SMB, v1::PROFILE_KIND_STARTUP));
  EXPECT_THAT(need.challenge().solver_countries(), ElementsAre("DE", "AT"));

  ASSERT_EQ(p.offers_size(), 1);
  const v1::Offer& offer = p.offers(0);
  EXPECT_EQ(offer.id(), "o1");
  EXPECT_EQ(offer.text(), "Test fleet");
  EXPECT_EQ(offer.component(), v1::COMPONENT_EXPERTISE);
  EXPECT_THAT(offer.modes(), ElementsAre(v1::COLLABORATION_MODE_SHARED_FACILITIES));
  EXPECT_EQ(offer.scope(), v1::GEOGRAPHIC_SCOPE_LOCAL);
  EXPECT_EQ(offer.expires().ShortDebugString(), "year: 2028 month: 2 day: 29");

  // A profile without needs and offers is a row with an empty side.
  const CsvProfile& agency = (*profiles)[1];
  EXPECT_THAT(agency.errors, IsEmpty());
  EXPECT_EQ(agency.line, 4);
  EXPECT_EQ(agency.profile.kind(), v1::PROFILE_KIND_PUBLIC_AGENCY);
  EXPECT_EQ(agency.profile.needs_size() + agency.profile.offers_size(), 0);
  EXPECT_FALSE(agency.profile.location().has_lat());
}

TEST(ProfileCsvTest, TheDocumentedColumnsInOrder) {
  EXPECT_THAT(ProfileCsvColumns(),
              ElementsAre("profile_id", "kind", "name", "description", "country", "region", "city", "lat", "lon",
                          "sectors", "languages", "size", "stage", "completed_projects", "side", "item_id", "text",
                          "component", "modes", "scope", "expires", "challenge_deadline", "solver_kinds",
                          "solver_countries"));
}

TEST(ProfileCsvTest, ColumnsInAnyOrderAndCaseAfterAByteOrderMark) {
  absl::StatusOr<std::vector<CsvProfile>> profiles =
      Read("\xEF\xBB\xBF Text ,SIDE,Item_ID,name,kind,Profile_ID\r\nlaser lab,Offer,o1,Lab,university,u1\r\n");
  ASSERT_THAT(profiles, IsOk());
  ASSERT_EQ(profiles->size(), 1u);
  EXPECT_THAT((*profiles)[0].errors, IsEmpty());
  EXPECT_EQ((*profiles)[0].profile.offers(0).text(), "laser lab");
}

TEST(ProfileCsvTest, RowsOfAProfileMayBeApartAndRepeatItsFields) {
  absl::StatusOr<std::vector<CsvProfile>> profiles = Read(
      "profile_id,kind,name,lat,side,item_id,text\n"
      "b,smb,B,,need,n1,one\n"
      "a,startup,A,,,,\n"
      "b,SMB, B ,,need,n2,two\n"
      "\n"
      ",,,,,,\n"
      "b,PROFILE_KIND_SMB,B,,offer,n1,three\n");
  ASSERT_THAT(profiles, IsOk());
  ASSERT_EQ(profiles->size(), 2u);
  EXPECT_THAT(Errors(*profiles), IsEmpty());
  const CsvProfile& b = (*profiles)[0];
  EXPECT_EQ(b.profile.id(), "b");
  EXPECT_EQ(b.lines, 3);
  ASSERT_EQ(b.profile.needs_size(), 2);
  EXPECT_EQ(b.profile.needs(1).text(), "two");
  // A need and an offer may share an id: they are on different sides.
  EXPECT_EQ(b.profile.offers(0).id(), "n1");
  EXPECT_EQ((*profiles)[1].profile.id(), "a");
}

TEST(ProfileCsvTest, AConflictingValueIsAnErrorNamingTheFirstLine) {
  absl::StatusOr<std::vector<CsvProfile>> profiles = Read(
      "profile_id,kind,name,lat,lon,side,item_id,text\n"
      "p,smb,P,48.1,11.5,need,n1,one\n"
      "p,university,P,48.10,11.6,need,n2,two\n"
      "q,smb,Q,,,,,\n");
  ASSERT_THAT(profiles, IsOk());
  EXPECT_THAT(Errors(*profiles),
              ElementsAre("line 3, column kind: \"university\" differs from \"smb\" on line 2; give a profile's field "
                          "on one row, or repeat it unchanged",
                          "line 3, column lon: \"11.6\" differs from \"11.5\" on line 2; give a profile's field on "
                          "one row, or repeat it unchanged"));
  // The other profile is unaffected.
  EXPECT_THAT((*profiles)[1].errors, IsEmpty());
}

TEST(ProfileCsvTest, ACellThatIsNotUtf8IsAnErrorNamingItsLineAndColumn) {
  // A Windows-1252 export: "é" is one byte, E9.
  absl::StatusOr<std::vector<CsvProfile>> profiles = Read(
      "profile_id,kind,name,side,item_id,text\n"
      "p,smb,Caf\xE9 Lindenau,need,n1,laser welding\n"
      "q,smb,Q,need,n1,r\xE9sum\xE9 parsing\n"
      "r,smb,R,need,n1,fine\n");
  ASSERT_THAT(profiles, IsOk());
  EXPECT_THAT(Errors(*profiles),
              ElementsAre("line 2, column name: not UTF-8 (byte 4 of the cell); save the file as UTF-8",
                          "line 3, column text: not UTF-8 (byte 2 of the cell); save the file as UTF-8"));
  EXPECT_THAT((*profiles)[2].errors, IsEmpty());
}

TEST(ProfileCsvTest, ListsAreTrimmedAndSkipEmptyItems) {
  absl::StatusOr<std::vector<CsvProfile>> profiles =
      Read("profile_id,kind,name,sectors,languages\np,smb,P, 62.01 ;; C26 ;,en; ;de\n");
  ASSERT_THAT(profiles, IsOk());
  EXPECT_THAT((*profiles)[0].profile.sectors(), ElementsAre("62.01", "C26"));
  EXPECT_THAT((*profiles)[0].profile.languages(), ElementsAre("en", "de"));
}

struct BadCell {
  std::string columns;  // after profile_id,kind,name
  std::string cells;    // after p,smb,P
  std::string error;    // "line 2, column ...: ..."
};

class ProfileCsvErrorTest : public ::testing::TestWithParam<BadCell> {};

TEST_P(ProfileCsvErrorTest, IsReportedByLineAndColumn) {
  const BadCell& bad = GetParam();
  absl::StatusOr<std::vector<CsvProfile>> profiles =
      Read(absl::StrCat("profile_id,kind,name", bad.columns, "\np,smb,P", bad.cells, "\n"));
  ASSERT_THAT(profiles, IsOk());
  EXPECT_THAT(Errors(*profiles), ElementsAre(bad.error));
}

// "line_2_column_expires" for the error "line 2, column expires: ...", with
// the case's position to keep names apart.
std::string CaseName(const ::testing::TestParamInfo<BadCell>& info) {
  std::string name = absl::StrCat(info.param.error.substr(0, info.param.error.find(':')), "_", info.index);
  for (char& c : name) {
    if (!absl::ascii_isalnum(c)) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(
    EveryColumn, ProfileCsvErrorTest,
    ::testing::Values(
        BadCell{",lat,lon", ",north,1",
                "line 2, column lat: \"north\" is not a number (decimal degrees, with a point)"},
        BadCell{",lat,lon", ",1,nan", "line 2, column lon: \"nan\" is not a number (decimal degrees, with a point)"},
        BadCell{",size", ",huge",
                "line 2, column size: unknown company size \"huge\"; expected one of micro, small, medium, large"},
        BadCell{",stage", ",teen",
                "line 2, column stage: unknown stage \"teen\"; expected one of idea, prototype, early_revenue, "
                "growth, mature"},
        BadCell{",completed_projects", ",2.5", "line 2, column completed_projects: \"2.5\" is not a whole number"},
        BadCell{",side,item_id,text", ",both,n1,x", "line 2, column side: \"both\" is neither need nor offer"},
        BadCell{",side,item_id,text", ",need,,x",
                "line 2, column item_id: empty; each need needs an id, unique in its profile"},
        BadCell{",side,item_id,text", ",offer,o1,", "line 2, column text: empty; say what the offer is"},
        BadCell{",side,item_id,text,component", ",need,n1,x,money",
                "line 2, column component: unknown component \"money\"; expected one of talent, funding, "
                "technology_infrastructure, collaboration_networking, support_services, regulatory_ip, "
                "market_access, expertise"},
        BadCell{",side,item_id,text,modes", ",need,n1,x,joint_rd;chat",
                "line 2, column modes: unknown collaboration mode \"chat\"; expected one of joint_rd, "
                "open_innovation_challenge, co_creation, licensing_tech_transfer, supply_distribution, mentoring, "
                "investment, shared_facilities"},
        BadCell{",side,item_id,text,scope", ",need,n1,x,galactic",
                "line 2, column scope: unknown geographic scope \"galactic\"; expected one of local, national, "
                "international"},
        BadCell{",side,item_id,text,expires", ",need,n1,x,2024-13-01",
                "line 2, column expires: \"2024-13-01\" is not a calendar date"},
        BadCell{",side,item_id,text,expires", ",need,n1,x,1.5.2024",
                "line 2, column expires: \"1.5.2024\" is not a date (YYYY-MM-DD)"},
        BadCell{",side,item_id,text,challenge_deadline", ",need,n1,x,2025-02-29",
                "line 2, column challenge_deadline: \"2025-02-29\" is not a calendar date"},
        BadCell{",side,item_id,text,challenge_deadline,solver_kinds", ",need,n1,x,2026-01-01,smb;unicorn",
                "line 2, column solver_kinds: unknown kind \"unicorn\"; expected one of smb, startup, "
                "large_enterprise, university, research_institute, public_agency, investor, "
                "incubator_accelerator, association_cluster, service_provider"},
        BadCell{",side,item_id,text,challenge_deadline", ",offer,o1,x,2026-01-01",
                "line 2, column challenge_deadline: only a need can be a challenge; this row is an offer"},
        BadCell{",side,item_id,text,solver_countries", ",need,n1,x,DE",
                "line 2, column challenge_deadline: empty; a challenge needs a deadline"},
        BadCell{",side,item_id,text", ",,n1,x",
                "line 2, column item_id: given on a row without side; set side to need or offer"},
        BadCell{",region", ",Bayern,extra", "line 2: cell 5 is beyond the header's 4 columns"}),
    CaseName);

TEST(ProfileCsvTest, ADeadlineMakesTheNeedAChallengeWithItsMode) {
  absl::StatusOr<std::vector<CsvProfile>> profiles =
      Read("profile_id,kind,name,side,item_id,text,modes,challenge_deadline\n"
           "corp,large_enterprise,Corp,need,n1,Detect corrosion,joint_rd,2027-06-30\n"
           "corp,,,need,n2,Hire welders,,\n");
  ASSERT_THAT(profiles, IsOk());
  ASSERT_EQ(profiles->size(), 1u);
  ASSERT_THAT((*profiles)[0].errors, IsEmpty());
  const v1::Profile& corp = (*profiles)[0].profile;
  ASSERT_EQ(corp.needs_size(), 2);
  EXPECT_THAT(corp.needs(0).modes(), ElementsAre(v1::COLLABORATION_MODE_JOINT_RD,
                                                 v1::COLLABORATION_MODE_OPEN_INNOVATION_CHALLENGE));
  EXPECT_EQ(corp.needs(0).challenge().deadline().month(), 6);
  // Without a deadline a need stays an ordinary one.
  EXPECT_FALSE(corp.needs(1).has_challenge());
  EXPECT_THAT(corp.needs(1).modes(), IsEmpty());
}

TEST(ProfileCsvTest, UnknownKindIsReported) {
  absl::StatusOr<std::vector<CsvProfile>> profiles = Read("profile_id,kind,name\np,unicorn,P\n");
  ASSERT_THAT(profiles, IsOk());
  ASSERT_EQ(Errors(*profiles).size(), 1u);
  EXPECT_THAT(Errors(*profiles)[0], HasSubstr("line 2, column kind: unknown kind \"unicorn\""));
}

TEST(ProfileCsvTest, KindAndNameMustBeGivenOnSomeRow) {
  absl::StatusOr<std::vector<CsvProfile>> profiles = Read("profile_id,kind,name,city\np,,,Lyon\np,,,\n");
  ASSERT_THAT(profiles, IsOk());
  EXPECT_THAT(Errors(*profiles), ElementsAre("line 2, column kind: not given on any row of the profile",
                                             "line 2, column name: not given on any row of the profile"));
}

TEST(ProfileCsvTest, ARepeatedItemIdNamesTheFirstLine) {
  absl::StatusOr<std::vector<CsvProfile>> profiles =
      Read("profile_id,kind,name,side,item_id,text\np,smb,P,need,n1,a\np,,,need,n1,b\n");
  ASSERT_THAT(profiles, IsOk());
  EXPECT_THAT(Errors(*profiles),
              ElementsAre("line 3, column item_id: \"n1\" is already a need of this profile, on line 2"));
}

TEST(ProfileCsvTest, ARowWithoutProfileIdStandsAlone) {
  absl::StatusOr<std::vector<CsvProfile>> profiles = Read("profile_id,kind,name\n,smb,Nobody\np,smb,P\n");
  ASSERT_THAT(profiles, IsOk());
  ASSERT_EQ(profiles->size(), 2u);
  EXPECT_THAT(Errors(*profiles),
              ElementsAre("line 2, column profile_id: empty; every row names the profile it belongs to"));
  EXPECT_THAT((*profiles)[1].errors, IsEmpty());
}

TEST(ProfileCsvTest, HeaderErrorsStopTheRead) {
  EXPECT_THAT(Read("profile_id,colour\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 1, column 2 \"colour\": unknown column; the columns are profile_id, kind")));
  EXPECT_THAT(Read("profile_id,name,Name\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 1, column name: given twice (columns 2 "
                                                                     "and 3)")));
  EXPECT_THAT(Read("kind,name\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 1: no profile_id column")));
  EXPECT_THAT(Read(""), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no header row")));
}

TEST(ProfileCsvTest, MalformedCsvIsDataLoss) {
  EXPECT_THAT(Read("profile_id,kind,name\np,smb,\"unclosed\n"), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(ProfileCsvTest, TheSampleFileHasNoErrors) {
  absl::StatusOr<std::unique_ptr<CsvReader>> reader =
      CsvReader::Open(std::string(POLLINATOR_SOURCE_DIR) + "/data/samples/profiles.csv");
  ASSERT_THAT(reader, IsOk());
  absl::StatusOr<std::vector<CsvProfile>> profiles = ReadProfileCsv(**reader);
  ASSERT_THAT(profiles, IsOk());
  EXPECT_THAT(Errors(*profiles), IsEmpty());
  EXPECT_EQ(profiles->size(), 4u);
}

}  // namespace
}  // namespace pollinator
