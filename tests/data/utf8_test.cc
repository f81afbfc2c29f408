// data/utf8.h: what counts as UTF-8 (as protobuf's string fields want it)
// and how bad bytes are replaced.
#include "data/utf8.h"

#include <gtest/gtest.h>

namespace pollinator {
namespace {

TEST(Utf8Test, AcceptsWellFormedTextOfEveryLength) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII"));
  EXPECT_TRUE(IsValidUtf8("Müller – 20Ah € 𝄞"));
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(Utf8Test, RefusesLatin1OverlongsSurrogatesAndTruncations) {
  EXPECT_EQ(FirstInvalidUtf8("caf\xE9"), 3u);          // Latin-1 é
  EXPECT_EQ(FirstInvalidUtf8("a\xE0\x9C\x9A"), 1u);    // overlong
  EXPECT_EQ(FirstInvalidUtf8("\xC0\xAF"), 0u);         // overlong '/'
  EXPECT_EQ(FirstInvalidUtf8("\xED\xA0\x80"), 0u);     // a surrogate
  EXPECT_EQ(FirstInvalidUtf8("\xF4\x90\x80\x80"), 0u); // past U+10FFFF
  EXPECT_EQ(FirstInvalidUtf8("ok\xE2\x82"), 2u);       // cut short
  EXPECT_EQ(FirstInvalidUtf8("\x80"), 0u);             // a lone continuation
}

TEST(Utf8Test, ReplacementKeepsTheGoodAndMarksEachBadByte) {
  EXPECT_EQ(ToValidUtf8("caf\xE9!"), "caf\xEF\xBF\xBD!");
  EXPECT_EQ(ToValidUtf8("\xE0\x9C\x9A"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(ToValidUtf8("Müller"), "Müller");
  EXPECT_TRUE(IsValidUtf8(ToValidUtf8("\xFF\xFE\xC3")));
}

}  // namespace
}  // namespace pollinator
