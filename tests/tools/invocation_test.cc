// Tests of tools/cli/invocation.h: commands, arguments and usage errors.
#include "tools/cli/invocation.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pollinator {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

FlagValues WithTenant() {
  FlagValues flags;
  flags.tenant = "acme";
  return flags;
}

absl::StatusOr<Invocation> Parse(const std::vector<std::string>& positional,
                                 const FlagValues& flags) {
  return ParseInvocation(positional, flags);
}

TEST(InvocationTest, ParsesGetWithDefaults) {
  absl::StatusOr<Invocation> invocation = Parse({"get", "smb-1"}, WithTenant());
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->command, Command::kGet);
  EXPECT_EQ(invocation->argument, "smb-1");
  EXPECT_EQ(invocation->tenant, "acme");
  EXPECT_EQ(invocation->server, "localhost:50051");
  EXPECT_EQ(invocation->timeout, absl::Seconds(30));
  EXPECT_FALSE(invocation->json);
}

TEST(InvocationTest, MissingCommand) {
  absl::StatusOr<Invocation> invocation = Parse({}, WithTenant());
  EXPECT_EQ(invocation.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(invocation.status().message(), "missing command");
}

TEST(InvocationTest, UnknownCommand) {
  EXPECT_EQ(Parse({"serve"}, WithTenant()).status().message(),
            "unknown command \"serve\"; commands are import, export, get, delete, "
            "list, match, interact, history, train-ranker, cohort, solvers, challenges, gaps, keys create, keys list, "
            "keys revoke, tenants create, "
            "tenants list, tenants delete, tenants suspend, tenants resume, backup and health");
}

TEST(InvocationTest, TenantIsRequiredExceptForHealth) {
  absl::StatusOr<Invocation> list = Parse({"list"}, FlagValues());
  EXPECT_EQ(list.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(list.status().message(), "--tenant is required for list (or --key / POLLINATOR_KEY, whose tenant is used)");
  absl::StatusOr<Invocation> health = Parse({"health"}, FlagValues());
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(health->command, Command::kHealth);
  EXPECT_EQ(health->tenant, "");
}

TEST(InvocationTest, ChecksArgumentCounts) {
  EXPECT_THAT(Parse({"get"}, WithTenant()).status().message(),
              HasSubstr("get takes exactly one argument, ID; got 0"));
  EXPECT_THAT(Parse({"delete", "a", "b"}, WithTenant()).status().message(),
              HasSubstr("delete takes exactly one argument, ID; got 2"));
  EXPECT_THAT(Parse({"import"}, WithTenant()).status().message(),
              HasSubstr("import takes exactly one argument, FILE"));
  EXPECT_THAT(Parse({"list", "x"}, WithTenant()).status().message(),
              HasSubstr("list takes no arguments, got \"x\""));
  EXPECT_THAT(Parse({"get", ""}, WithTenant()).status().message(),
              HasSubstr("ID is empty"));
}

TEST(InvocationTest, ImportTakesBatchSize) {
  FlagValues flags = WithTenant();
  flags.batch_size = 50;
  absl::StatusOr<Invocation> invocation = Parse({"import", "-"}, flags);
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->argument, "-");
  EXPECT_EQ(invocation->batch_size, 50);
  flags.batch_size = 0;
  EXPECT_THAT(Parse({"import", "-"}, flags).status().message(),
              HasSubstr("--batch_size must be at least 1"));
}

TEST(InvocationTest, ImportTakesAFormatAndExportAnOutput) {
  FlagValues flags = WithTenant();
  flags.format = "cordis";
  absl::StatusOr<Invocation> invocation = Parse({"import", "data"}, flags);
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->import_format, "cordis");
  flags.format = "xlsx";
  EXPECT_EQ(Parse({"import", "data"}, flags).status().message(),
            "--format must be jsonl, csv or cordis, got \"xlsx\"");
  flags.output = "acme.jsonl";
  invocation = Parse({"export"}, flags);
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->command, Command::kExport);
  EXPECT_EQ(invocation->export_output, "acme.jsonl");
  EXPECT_THAT(Parse({"export", "x"}, flags).status().message(),
              HasSubstr("export takes no arguments"));
  EXPECT_THAT(Parse({"export"}, FlagValues()).status().message(),
              HasSubstr("--tenant is required for export"));
}

TEST(InvocationTest, BuildsListRequest) {
  FlagValues flags = WithTenant();
  flags.page_size = 20;
  flags.page_token = "tok";
  flags.all = true;
  absl::StatusOr<Invocation> invocation = Parse({"list"}, flags);
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->list_request.tenant(), "acme");
  EXPECT_EQ(invocation->list_request.page_size(), 20);
  EXPECT_EQ(invocation->list_request.page_token(), "tok");
  EXPECT_TRUE(invocation->list_all);
  flags.page_size = 1001;
  EXPECT_THAT(Parse({"list"}, flags).status().message(),
              HasSubstr("--page_size must be 1 to 1000, got 1001"));
}

TEST(InvocationTest, BuildsMatchRequest) {
  FlagValues flags = WithTenant();
  flags.match.profile = "smb-1";
  flags.match.kinds = "university";
  absl::StatusOr<Invocation> invocation = Parse({"match"}, flags);
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->match_request.tenant(), "acme");
  EXPECT_EQ(invocation->match_request.profile_id(), "smb-1");
  EXPECT_EQ(invocation->match_request.filters().kinds_size(), 1);
  flags.match.kinds = "universe";
  EXPECT_THAT(Parse({"match"}, flags).status().message(),
              HasSubstr("--kinds: unknown kind \"universe\""));
}

TEST(InvocationTest, BuildsMatchRankingOptions) {
  FlagValues flags = WithTenant();
  flags.match.profile = "smb-1";
  flags.match.reciprocity = "off";
  flags.match.diversity = 0.5;
  flags.match.max_per_kind = 3;
  absl::StatusOr<Invocation> invocation = Parse({"match"}, flags);
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->match_request.reciprocity(), v1::RECIPROCITY_OFF);
  EXPECT_EQ(invocation->match_request.diversity(), 0.5);
  EXPECT_EQ(invocation->match_request.max_per_kind(), 3);
  flags.match.diversity = 2;
  EXPECT_EQ(Parse({"match"}, flags).status().message(),
            "--diversity: must be 0 to 1, got 2");
}

TEST(InvocationTest, BuildsInteractRequest) {
  FlagValues flags = WithTenant();
  flags.interact.from = "smb-1";
  flags.interact.to = "ipa";
  flags.interact.type = "declined";
  flags.interact.reason = "too-far";
  flags.interact.note = "met at the fair";
  absl::StatusOr<Invocation> invocation = Parse({"interact"}, flags);
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->command, Command::kInteract);
  EXPECT_EQ(invocation->interact_request.tenant(), "acme");
  const v1::Interaction& interaction =
      invocation->interact_request.interaction();
  EXPECT_EQ(interaction.from_profile_id(), "smb-1");
  EXPECT_EQ(interaction.to_profile_id(), "ipa");
  EXPECT_EQ(interaction.type(), v1::INTERACTION_TYPE_DECLINED);
  EXPECT_EQ(interaction.decline_reason(), v1::DECLINE_REASON_TOO_FAR);
  EXPECT_EQ(interaction.note(), "met at the fair");
}

TEST(InvocationTest, InteractUsageErrors) {
  FlagValues flags = WithTenant();
  flags.interact.from = "smb-1";
  flags.interact.to = "ipa";
  flags.interact.type = "declined";
  const absl::Status missing = Parse({"interact"}, flags).status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.message(),
              HasSubstr("--reason is required with --type=declined"));
  EXPECT_THAT(Parse({"interact", "x"}, flags).status().message(),
              HasSubstr("interact takes no arguments"));
  EXPECT_EQ(Parse({"interact"}, FlagValues()).status().message(),
            "--tenant is required for interact (or --key / POLLINATOR_KEY, whose tenant is used)");
}

TEST(InvocationTest, BuildsHistoryRequest) {
  FlagValues flags = WithTenant();
  flags.history.profile = "smb-1";
  flags.history.limit = 25;
  absl::StatusOr<Invocation> invocation = Parse({"history"}, flags);
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->command, Command::kHistory);
  EXPECT_EQ(invocation->history_request.tenant(), "acme");
  EXPECT_EQ(invocation->history_request.profile_id(), "smb-1");
  EXPECT_EQ(invocation->history_request.page_size(), 25);
  EXPECT_EQ(invocation->history_limit, 25);
  flags.history.profile = "";
  EXPECT_EQ(Parse({"history"}, flags).status().message(),
            "--profile is required for history");
  EXPECT_EQ(Parse({"history"}, FlagValues()).status().message(),
            "--tenant is required for history (or --key / POLLINATOR_KEY, whose tenant is used)");
}

TEST(InvocationTest, BuildsTrainRankerRequest) {
  FlagValues flags;
  flags.tenant = "acme";
  flags.validation_share = 0.25;
  flags.max_queries = 400;
  flags.match.min_relevance = 0.1;
  absl::StatusOr<Invocation> invocation = ParseInvocation({"train-ranker"}, flags);
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->command, Command::kTrainRanker);
  EXPECT_EQ(invocation->train_request.tenant(), "acme");
  EXPECT_DOUBLE_EQ(invocation->train_request.validation_share(), 0.25);
  EXPECT_EQ(invocation->train_request.max_queries(), 400);
  EXPECT_DOUBLE_EQ(invocation->train_request.min_relevance(), 0.1);

  flags.match.min_relevance = -1;  // The server's default.
  invocation = ParseInvocation({"train-ranker"}, flags);
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_FALSE(invocation->train_request.has_min_relevance());
}

TEST(InvocationTest, TrainRankerUsageErrors) {
  FlagValues flags;
  flags.tenant = "acme";
  flags.validation_share = 0.9;
  EXPECT_EQ(ParseInvocation({"train-ranker"}, flags).status().message(),
            "--validation_share must be 0.05 to 0.5, got 0.9");
  flags.validation_share = 0;
  flags.max_queries = -2;
  EXPECT_EQ(ParseInvocation({"train-ranker"}, flags).status().message(),
            "--max_queries must be 0 to 10000, got -2");
  flags.max_queries = 0;
  flags.match.min_relevance = 2;
  EXPECT_EQ(ParseInvocation({"train-ranker"}, flags).status().message(),
            "--min_relevance must be 0 to 1, got 2");
  flags.tenant = "";
  flags.match.min_relevance = -1;
  EXPECT_EQ(ParseInvocation({"train-ranker"}, flags).status().message(), "--tenant is required for train-ranker (or --key / POLLINATOR_KEY, whose tenant is used)");
}

TEST(InvocationTest, RejectsNonPositiveTimeoutAndEmptyServer) {
  FlagValues flags = WithTenant();
  flags.timeout = absl::ZeroDuration();
  EXPECT_THAT(Parse({"health"}, flags).status().message(),
              HasSubstr("--timeout must be positive"));
  flags = WithTenant();
  flags.server = "";
  EXPECT_EQ(Parse({"health"}, flags).status().message(), "--server is empty");
}

TEST(InvocationTest, AKeyStandsInForTheTenantAndComesFromFlagOrEnvironment) {
  FlagValues flags;
  flags.env_key = "pk_env";
  absl::StatusOr<Invocation> list = Parse({"list"}, flags);
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->key, "pk_env");
  EXPECT_EQ(list->tenant, "");  // the key's own tenant
  flags.key = "pk_flag";
  EXPECT_EQ(Parse({"list"}, flags)->key, "pk_flag");

  // tenants commands prefer the operator key from the environment.
  FlagValues operator_flags;
  operator_flags.env_key = "pk_env";
  operator_flags.env_admin_key = "operator";
  EXPECT_EQ(Parse({"tenants", "list"}, operator_flags)->key, "operator");
  EXPECT_EQ(Parse({"list"}, operator_flags)->key, "pk_env");
}

TEST(InvocationTest, ChallengeAndGapFlagsBuildTheirRequests) {
  FlagValues flags = WithTenant();
  flags.match.profile = "corp";
  flags.match.item = "n1";
  flags.match.top_k = 5;
  flags.match.min_relevance = 0.3;
  absl::StatusOr<Invocation> solvers = Parse({"solvers"}, flags);
  ASSERT_TRUE(solvers.ok()) << solvers.status();
  EXPECT_EQ(solvers->solvers_request.tenant(), "acme");
  EXPECT_EQ(solvers->solvers_request.profile_id(), "corp");
  EXPECT_EQ(solvers->solvers_request.need_id(), "n1");
  EXPECT_EQ(solvers->solvers_request.top_k(), 5);
  EXPECT_DOUBLE_EQ(solvers->solvers_request.min_relevance(), 0.3);
  // challenges matches the whole profile.
  EXPECT_EQ(Parse({"challenges"}, flags).status().message(),
            "--item: challenges matches the whole profile; leave it out");
  flags.match.item = "";
  absl::StatusOr<Invocation> challenges = Parse({"challenges"}, flags);
  ASSERT_TRUE(challenges.ok()) << challenges.status();
  EXPECT_EQ(challenges->challenges_request.profile_id(), "corp");
  EXPECT_EQ(Parse({"solvers"}, flags).status().message(),
            "--item: required by solvers: the id of the need posted as a challenge");
  flags.match.profile = "";
  EXPECT_EQ(Parse({"challenges"}, flags).status().message(), "--profile: required by challenges");

  absl::StatusOr<Invocation> gaps = Parse({"gaps"}, flags);
  ASSERT_TRUE(gaps.ok()) << gaps.status();
  EXPECT_EQ(gaps->gaps_request.tenant(), "acme");
  EXPECT_DOUBLE_EQ(gaps->gaps_request.min_relevance(), 0.3);
  flags.match.min_relevance = -1;  // the server's floor
  gaps = Parse({"gaps"}, flags);
  ASSERT_TRUE(gaps.ok()) << gaps.status();
  EXPECT_FALSE(gaps->gaps_request.has_min_relevance());
  flags.match.min_relevance = 2;
  EXPECT_EQ(Parse({"gaps"}, flags).status().message(), "--min_relevance: must be 0 to 1");
}

TEST(InvocationTest, CohortFlagsBuildTheScreeningRequest) {
  FlagValues flags = WithTenant();
  flags.cohort.cohort = "cohort.csv";
  flags.cohort.pool_kinds = "university,research_institute";
  flags.cohort.per_member = 2;
  flags.cohort.capacity = 4;
  flags.cohort.capacity_overrides = "lab-a:1";
  flags.cohort.conflicts = "s1:lab-a";
  flags.cohort.must_include = "s2:lab-b";
  absl::StatusOr<Invocation> cohort = Parse({"cohort"}, flags);
  ASSERT_TRUE(cohort.ok()) << cohort.status();
  EXPECT_EQ(cohort->cohort_file, "cohort.csv");
  const v1::ScreenCohortRequest& request = cohort->cohort_request;
  EXPECT_EQ(request.tenant(), "acme");
  EXPECT_EQ(request.per_member(), 2);
  EXPECT_EQ(request.default_capacity(), 4);
  EXPECT_THAT(request.pool().kinds(), ElementsAre(v1::PROFILE_KIND_UNIVERSITY, v1::PROFILE_KIND_RESEARCH_INSTITUTE));
  EXPECT_EQ(request.capacity_overrides().at("lab-a"), 1);
  EXPECT_EQ(request.conflicts(0).partner_id(), "lab-a");
  EXPECT_EQ(request.must_include(0).member_id(), "s2");

  flags.cohort.pool_kinds = "univ";
  EXPECT_THAT(std::string(Parse({"cohort"}, flags).status().message()), ::testing::StartsWith("--pool_kinds: "));
  flags.cohort.pool_kinds = "";
  flags.cohort.conflicts = "s1";
  EXPECT_EQ(Parse({"cohort"}, flags).status().message(), "--conflicts: \"s1\" is not A:B");
  flags.cohort.conflicts = "";
  flags.cohort.per_member = 0;
  EXPECT_EQ(Parse({"cohort"}, flags).status().message(), "--per_member: must be 1 to 20, got 0");
  flags.cohort.per_member = 3;
  flags.cohort.cohort = "";
  EXPECT_THAT(std::string(Parse({"cohort"}, flags).status().message()), ::testing::StartsWith("--cohort: required"));
}

TEST(InvocationTest, KeysAndTenantsSubcommands) {
  FlagValues flags = WithTenant();
  flags.role = "writer";
  flags.label = "portal";
  absl::StatusOr<Invocation> create = Parse({"keys", "create"}, flags);
  ASSERT_TRUE(create.ok()) << create.status();
  EXPECT_EQ(create->command, Command::kKeysCreate);
  EXPECT_EQ(create->key_role, v1::KEY_ROLE_WRITER);
  EXPECT_EQ(create->label, "portal");
  flags.role = "owner";
  EXPECT_EQ(Parse({"keys", "create"}, flags).status().message(),
            "keys create needs --role=reader, writer or admin, got \"owner\"");
  EXPECT_EQ(Parse({"keys", "revoke", "0123456789ab"}, WithTenant())->argument, "0123456789ab");
  EXPECT_EQ(Parse({"keys"}, WithTenant()).status().message(), "keys needs a subcommand: create, list or revoke");
  EXPECT_EQ(Parse({"keys", "revoke"}, WithTenant()).status().message(),
            "keys revoke takes exactly one argument, KEY_ID; got 0");

  absl::StatusOr<Invocation> remove = Parse({"tenants", "delete", "assoc"}, FlagValues());
  ASSERT_TRUE(remove.ok()) << remove.status();
  EXPECT_EQ(remove->command, Command::kTenantsDelete);
  EXPECT_EQ(remove->argument, "assoc");
  EXPECT_EQ(Parse({"tenants", "suspend", "assoc"}, FlagValues())->command, Command::kTenantsSuspend);
  EXPECT_EQ(Parse({"tenants", "resume", "assoc"}, FlagValues())->command, Command::kTenantsResume);
  EXPECT_EQ(Parse({"tenants", "list"}, FlagValues())->command, Command::kTenantsList);
  EXPECT_FALSE(Parse({"tenants", "rename", "a"}, FlagValues()).ok());
}

}  // namespace
}  // namespace pollinator
