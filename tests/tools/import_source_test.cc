// Tests of tools/cli/import_source.h: formats, and what each source yields.
#include "tools/cli/import_source.h"

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/cordis_fixture.h"
#include "tests/testing/temp_dir.h"

namespace pollinator {
namespace {

using ::pollinator::testing::TempDir;
using ::pollinator::testing::WriteCordisFixture;
using ::pollinator::testing::WriteFile;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class ImportSourceTest : public ::testing::Test {
 protected:
  std::vector<ImportItem> ReadAll(ImportFormat format, const std::string& path,
                                  int64_t* last_line = nullptr) {
    absl::StatusOr<std::unique_ptr<ImportSource>> source =
        OpenImportSource(format, path, io_);
    EXPECT_TRUE(source.ok()) << source.status();
    std::vector<ImportItem> items;
    if (!source.ok()) return items;
    ImportItem item;
    while ((*source)->Next(&item)) items.push_back(item);
    EXPECT_TRUE((*source)->status().ok());
    if (last_line != nullptr) *last_line = (*source)->line_number();
    return items;
  }

  TempDir dir_;
  std::istringstream stdin_;
  std::ostringstream out_;
  std::ostringstream err_;
  CommandIo io_{stdin_, out_, err_, [] { return absl::UnixEpoch(); }};
};

TEST_F(ImportSourceTest, FormatsByNameAndByPath) {
  EXPECT_EQ(*ParseImportFormat("CSV"), ImportFormat::kCsv);
  EXPECT_EQ(*ParseImportFormat("cordis"), ImportFormat::kCordis);
  EXPECT_EQ(*ParseImportFormat("jsonl"), ImportFormat::kJsonl);
  EXPECT_EQ(ParseImportFormat("xml").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DefaultImportFormat("staff/Profiles.CSV"), ImportFormat::kCsv);
  EXPECT_EQ(DefaultImportFormat(dir_.path()), ImportFormat::kCordis);
  EXPECT_EQ(DefaultImportFormat("export.jsonl"), ImportFormat::kJsonl);
  EXPECT_EQ(DefaultImportFormat("-"), ImportFormat::kJsonl);
}

TEST_F(ImportSourceTest, JsonlYieldsProfilesInteractionsAndLineErrors) {
  stdin_.str(
      "{\"id\":\"a\"}\n\n{\"interaction\":{\"sequence\":\"4\"}}\n"
      "{\"profile\":{\"colour\":1}}\n");
  int64_t last_line = 0;
  const std::vector<ImportItem> items =
      ReadAll(ImportFormat::kJsonl, "-", &last_line);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].record.profile().id(), "a");
  EXPECT_EQ(items[1].line, 3);
  EXPECT_EQ(items[1].record.interaction().sequence(), 4);
  ASSERT_EQ(items[2].errors.size(), 1u);
  EXPECT_EQ(items[2].errors[0].line, 4);
  EXPECT_THAT(items[2].errors[0].message,
              HasSubstr("not a pollinator.v1.TransferRecord"));
  EXPECT_EQ(last_line, 4);
}

TEST_F(ImportSourceTest, CsvGroupsRowsAndReportsCellsByColumn) {
  const std::string path = dir_.Sub("staff.csv");
  WriteFile(path,
            "profile_id,kind,name,side,item_id,text,expires\n"
            "p1,smb,One,need,n1,welding,\n"
            "p2,smb,Two,need,n1,cutting,2024-13-01\n"
            "p1,,,offer,o1,laser lab,\n");
  int64_t last_line = 0;
  const std::vector<ImportItem> items =
      ReadAll(ImportFormat::kCsv, path, &last_line);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_THAT(items[0].errors, IsEmpty());
  EXPECT_EQ(items[0].line, 2);
  EXPECT_EQ(items[0].lines, 2);
  EXPECT_EQ(items[0].record.profile().offers(0).id(), "o1");
  ASSERT_EQ(items[1].errors.size(), 1u);
  const ImportLineError& error = items[1].errors[0];
  EXPECT_EQ(error.line, 3);
  EXPECT_EQ(error.column, "expires");
  EXPECT_EQ(error.profile_id, "p2");
  EXPECT_EQ(error.code, static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(error.message, "\"2024-13-01\" is not a calendar date");
  EXPECT_EQ(last_line, 4);
}

TEST_F(ImportSourceTest, CsvFromStdinAndHeaderErrors) {
  stdin_.str("profile_id,kind,name\np,smb,P\n");
  EXPECT_EQ(ReadAll(ImportFormat::kCsv, "-").size(), 1u);
  const std::string path = dir_.Sub("bad.csv");
  WriteFile(path, "profile_id,colour\n");
  absl::StatusOr<std::unique_ptr<ImportSource>> source =
      OpenImportSource(ImportFormat::kCsv, path, io_);
  EXPECT_EQ(source.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(source.status().message(), HasSubstr("line 1, column 2"));
  EXPECT_EQ(OpenImportSource(ImportFormat::kCsv, dir_.Sub("none.csv"), io_)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ImportSourceTest, CordisYieldsOneProfilePerOrganisationRow) {
  WriteCordisFixture(dir_.path());
  int64_t last_line = 0;
  const std::vector<ImportItem> items =
      ReadAll(ImportFormat::kCordis, dir_.path(), &last_line);
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].line, 2);
  EXPECT_EQ(items[0].record.profile().id(), "org-100");
  EXPECT_EQ(items[4].line, 6);
  EXPECT_EQ(last_line, 6);
  EXPECT_THAT(err_.str(), HasSubstr("cordis: 5 organisations, 4 projects, "
                                    "8 participations in "));
}

TEST_F(ImportSourceTest, CordisNamesTheMissingFile) {
  WriteCordisFixture(dir_.path());
  std::remove(dir_.Sub("participations.csv").c_str());
  absl::StatusOr<std::unique_ptr<ImportSource>> source =
      OpenImportSource(ImportFormat::kCordis, dir_.path(), io_);
  EXPECT_EQ(source.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(source.status().message(), HasSubstr("no participations.csv"));
  EXPECT_EQ(OpenImportSource(ImportFormat::kCordis, "-", io_).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ImportSourceTest, AMissingJsonlFileIsNotFound) {
  EXPECT_EQ(OpenImportSource(ImportFormat::kJsonl, dir_.Sub("none.jsonl"), io_)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace pollinator
