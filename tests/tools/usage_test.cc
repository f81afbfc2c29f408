// Tests of tools/cli/usage.h: the help text stays in step with the proto.
#include "tools/cli/usage.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
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

}  // namespace
}  // namespace pollinator
