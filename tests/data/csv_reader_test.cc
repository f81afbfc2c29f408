#include "data/csv_reader.h"

#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace pollinator {
namespace {

using ::pollinator::testing::IsOk;
using ::pollinator::testing::StatusIs;
using ::pollinator::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Write(const TempDir& dir, const std::string& text) {
  const std::string path = dir.Sub("x.csv");
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(CsvReaderTest, ReadsQuotedFieldsWithCommasQuotesAndNewlines) {
  TempDir dir;
  auto reader = CsvReader::Open(Write(dir, "id,title,objective\n1,\"A, B\",\"say \"\"hi\"\"\nnext line\"\n2,,x\n"));
  ASSERT_THAT(reader, IsOk());
  EXPECT_THAT((*reader)->header(), ElementsAre("id", "title", "objective"));
  EXPECT_EQ(*(*reader)->Column("objective"), 2);
  std::vector<std::string> row;
  ASSERT_TRUE(*(*reader)->Next(row));
  EXPECT_THAT(row, ElementsAre("1", "A, B", "say \"hi\"\nnext line"));
  ASSERT_TRUE(*(*reader)->Next(row));
  EXPECT_THAT(row, ElementsAre("2", "", "x"));
  EXPECT_EQ((*reader)->row_number(), 3);
  EXPECT_FALSE(*(*reader)->Next(row));
}

TEST(CsvReaderTest, PadsShortRowsToTheHeader) {
  TempDir dir;
  auto reader = CsvReader::Open(Write(dir, "a,b,c\r\n1\r\n"));
  ASSERT_THAT(reader, IsOk());
  std::vector<std::string> row;
  ASSERT_TRUE(*(*reader)->Next(row));
  EXPECT_THAT(row, ElementsAre("1", "", ""));
}

// Reads every row; the first error, whether from Open() or Next().
absl::Status ReadAllRows(const std::string& path) {
  auto reader = CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  std::vector<std::string> row;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(row);
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
  }
}

TEST(CsvReaderTest, ReportsMissingFilesColumnsAndMalformedQuotes) {
  TempDir dir;
  EXPECT_THAT(CsvReader::Open(dir.Sub("absent.csv")), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(CsvReader::Open(Write(dir, "")), StatusIs(absl::StatusCode::kInvalidArgument));
  auto reader = CsvReader::Open(Write(dir, "a,b\n1,2\n"));
  ASSERT_THAT(reader, IsOk());
  EXPECT_THAT((*reader)->Column("zz"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("zz")));
  // The parser reads ahead, so a bad quote may surface at Open() or at a row.
  EXPECT_THAT(ReadAllRows(Write(dir, "a,b\n\"unterminated,1\n")),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("x.csv")));
  EXPECT_THAT(ReadAllRows(Write(dir, "a,b\n1,2\n")), IsOk());
}

}  // namespace
}  // namespace pollinator
