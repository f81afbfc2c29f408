// Tests of tools/cli/table.h.
#include "tools/cli/table.h"

#include "gtest/gtest.h"

namespace pollinator {
namespace {

TEST(TableTest, CountsCodePoints) {
  EXPECT_EQ(DisplayWidth("Miller"), 6u);
  EXPECT_EQ(DisplayWidth("Müller"), 6u);
  EXPECT_EQ(DisplayWidth("…"), 1u);
  EXPECT_EQ(DisplayWidth(""), 0u);
}

TEST(TableTest, OneLineReplacesControlCharacters) {
  EXPECT_EQ(OneLine("a\nb\r\tc"), "a b  c");
  EXPECT_EQ(OneLine("Müller"), "Müller");
}

TEST(TableTest, TruncatesWithEllipsisOnCharacterBoundaries) {
  EXPECT_EQ(Truncate("short", 10), "short");
  EXPECT_EQ(Truncate("exactly10!", 10), "exactly10!");
  EXPECT_EQ(Truncate("abcdefghijk", 10), "abcdefghi…");
  EXPECT_EQ(Truncate("ääääää", 4), "äää…");
  EXPECT_EQ(DisplayWidth(Truncate(std::string(300, 'x'), 100)), 100u);
}

TEST(TableTest, AlignsColumnsByDisplayWidth) {
  EXPECT_EQ(FormatTable({"ID", "NAME", "N"},
                        {{"smb-1", "Müller GmbH", "2"}, {"u", "TU", "10"}}),
            "ID     NAME         N\n"
            "smb-1  Müller GmbH  2\n"
            "u      TU           10\n");
}

TEST(TableTest, NoTrailingSpaces) {
  EXPECT_EQ(FormatTable({"A", "B"}, {{"long value", ""}}),
            "A           B\n"
            "long value\n");
}

TEST(TableTest, HeaderOnly) {
  EXPECT_EQ(FormatTable({"A", "B"}, {}), "A  B\n");
}

}  // namespace
}  // namespace pollinator
