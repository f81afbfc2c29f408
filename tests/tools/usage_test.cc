// Tests of tools/cli/usage.h: the help text stays in step with the proto.
#include "tools/cli/usage.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "data/profile_csv.h"
#include "tools/cli/names.h"

namespace pollinator {
namespace {

using ::testing::HasSubstr;

TEST(UsageTest, ListsEveryKindAndComponent) {
  for (const std::string& name : ProfileKindNames()) {
    EXPECT_THAT(UsageText(), HasSubstr(name));
  }
  for (const std::string& name : ComponentNames()) {
    EXPECT_THAT(UsageText(), HasSubstr(name));
  }
}

TEST(UsageTest, ListsEveryCommandAndFlag) {
  for (const char* word :
       {"import FILE",  "get ID",      "delete ID",    "list",
        "match",        "health",      "--server",     "--tenant",
        "--json",       "--timeout",   "--batch_size", "--page_size",
        "--page_token", "--all",       "--profile",    "--text",
        "--vector",     "--item",      "--direction",  "--top_k",
        "--kinds",      "--countries", "--components", "--sectors",
        "--max_km",     "--exclude",   "Exit status"}) {
    EXPECT_THAT(UsageText(), HasSubstr(word));
  }
}

TEST(UsageTest, ListsTheInteractionCommandsAndRankingFlags) {
  for (const char* word :
       {"\n  interact\n", "\n  history\n",
        "--reciprocity=", "--diversity=", "--max_per_kind=", "--max-per-kind",
        "--from=", "--to=", "--type=", "--reason=", "--note=", "--limit="}) {
    EXPECT_THAT(UsageText(), HasSubstr(word));
  }
}

TEST(UsageTest, DocumentsTheImportFormatsAndExport) {
  for (const char* word :
       {"--format=F ", "jsonl ", "csv ", "cordis ", "\n  export\n", "--output=FILE ",
        "column expires (id smb-x)", "data/samples/profiles.csv"}) {
    EXPECT_THAT(UsageText(), HasSubstr(word));
  }
  // Every column of the CSV layout is named.
  for (const std::string& column : ProfileCsvColumns()) {
    EXPECT_THAT(UsageText(), HasSubstr(column));
  }
}

TEST(UsageTest, ListsEveryReciprocityTypeAndReason) {
  for (const std::vector<std::string>& names :
       {ReciprocityNames(), InteractionTypeNames(), DeclineReasonNames()}) {
    for (const std::string& name : names) {
      EXPECT_THAT(UsageText(), HasSubstr(name));
    }
  }
}

TEST(UsageTest, DocumentsEachNewFlagOnOneLine) {
  // One line per flag: the description follows on the flag's own line.
  for (const char* flag :
       {"--reciprocity=R ", "--diversity=X ", "--max_per_kind=N ", "--from=ID ",
        "--to=ID ", "--type=T ", "--reason=R ", "--note=TEXT ", "--limit=N "}) {
    const std::string text(UsageText());
    const size_t start = text.find(flag);
    ASSERT_NE(start, std::string::npos) << flag;
    const size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    EXPECT_GT(line.size(), std::string(flag).size() + 10) << line;
    EXPECT_NE(text.substr(end + 1, 30).find_first_not_of(' '), 28u) << flag;
  }
}

}  // namespace
}  // namespace pollinator
