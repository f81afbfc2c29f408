#include "index/atomic_file.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace pollinator {
namespace {

using ::pollinator::testing::IsOk;
using ::pollinator::testing::StatusIs;
using ::pollinator::testing::TempDir;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

TEST(AtomicFileTest, CommitReplacesTheFileWithEverythingAppendedInOrder) {
  TempDir dir;
  const std::string path = dir.Sub("f");
  WriteAll(path, "old");
  auto file = AtomicFile::Create(path);
  ASSERT_THAT(file, IsOk());
  // Small pieces are buffered, pieces larger than the buffer are written
  // straight through; the order must survive both.
  const std::string large(3 << 20, 'L');
  ASSERT_THAT((*file)->Append("head"), IsOk());
  ASSERT_THAT((*file)->Append(large), IsOk());
  ASSERT_THAT((*file)->Append("tail"), IsOk());
  EXPECT_EQ((*file)->size(), large.size() + 8);
  // Not visible before the commit.
  EXPECT_EQ(ReadAll(path), "old");
  ASSERT_THAT((*file)->Commit(), IsOk());
  EXPECT_EQ(ReadAll(path), "head" + large + "tail");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(AtomicFileTest, OverwriteReplacesBytesAlreadyAppended) {
  TempDir dir;
  const std::string path = dir.Sub("f");
  auto file = AtomicFile::Create(path);
  ASSERT_THAT(file, IsOk());
  ASSERT_THAT((*file)->Append("0000body"), IsOk());
  ASSERT_THAT((*file)->Overwrite(0, "HEAD"), IsOk());
  ASSERT_THAT((*file)->Append("!"), IsOk());
  EXPECT_THAT((*file)->Overwrite(7, "xyz"), StatusIs(absl::StatusCode::kOutOfRange));
  ASSERT_THAT((*file)->Commit(), IsOk());
  EXPECT_EQ(ReadAll(path), "HEADbody!");
}

TEST(AtomicFileTest, DroppedUncommittedLeavesTheOldFileAndNoTemporary) {
  TempDir dir;
  const std::string path = dir.Sub("f");
  WriteAll(path, "old");
  {
    auto file = AtomicFile::Create(path);
    ASSERT_THAT(file, IsOk());
    ASSERT_THAT((*file)->Append(std::string(2 << 20, 'x')), IsOk());
    EXPECT_TRUE(std::filesystem::exists(path + ".tmp"));
  }
  EXPECT_EQ(ReadAll(path), "old");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(AtomicFileTest, TakesNoWritesAfterCommit) {
  TempDir dir;
  auto file = AtomicFile::Create(dir.Sub("f"));
  ASSERT_THAT(file, IsOk());
  ASSERT_THAT((*file)->Commit(), IsOk());
  EXPECT_THAT((*file)->Append("late"), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT((*file)->Commit(), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReadAll(dir.Sub("f")), "");
}

TEST(AtomicFileTest, CreateInAMissingFolderFails) {
  TempDir dir;
  EXPECT_THAT(AtomicFile::Create(dir.Sub("missing/f")), StatusIs(absl::StatusCode::kInternal));
}

}  // namespace
}  // namespace pollinator
