// Tests of tools/cli/interaction_flags.h: the requests of `interact` and
// `history`, and their usage errors.
#include "tools/cli/interaction_flags.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pollinator {
namespace {

using ::testing::HasSubstr;

InteractFlags Contacted() {
  InteractFlags flags;
  flags.from = "smb-1";
  flags.to = "ipa";
  flags.type = "contacted";
  return flags;
}

absl::Status InteractError(const InteractFlags& flags) {
  return BuildRecordInteractionRequest(flags, "acme").status();
}

TEST(InteractionFlagsTest, BuildsRecordRequest) {
  InteractFlags flags = Contacted();
  flags.note = "call on Monday";
  absl::StatusOr<v1::RecordInteractionRequest> request =
      BuildRecordInteractionRequest(flags, "acme");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->tenant(), "acme");
  const v1::Interaction& interaction = request->interaction();
  EXPECT_EQ(interaction.from_profile_id(), "smb-1");
  EXPECT_EQ(interaction.to_profile_id(), "ipa");
  EXPECT_EQ(interaction.type(), v1::INTERACTION_TYPE_CONTACTED);
  EXPECT_EQ(interaction.decline_reason(), v1::DECLINE_REASON_UNSPECIFIED);
  EXPECT_EQ(interaction.note(), "call on Monday");
  EXPECT_EQ(interaction.sequence(), 0);
  EXPECT_EQ(interaction.recorded_at_unix_ms(), 0);
}

TEST(InteractionFlagsTest, AcceptsEveryType) {
  InteractFlags flags = Contacted();
  for (const auto& [name, type] :
       {std::pair{"shown", v1::INTERACTION_TYPE_SHOWN},
        std::pair{"accepted", v1::INTERACTION_TYPE_ACCEPTED},
        std::pair{"Collaborated", v1::INTERACTION_TYPE_COLLABORATED}}) {
    flags.type = name;
    absl::StatusOr<v1::RecordInteractionRequest> request =
        BuildRecordInteractionRequest(flags, "acme");
    ASSERT_TRUE(request.ok()) << name << ": " << request.status();
    EXPECT_EQ(request->interaction().type(), type) << name;
  }
}

TEST(InteractionFlagsTest, DeclinedTakesAReason) {
  InteractFlags flags = Contacted();
  flags.type = "declined";
  flags.reason = "no-capacity";
  absl::StatusOr<v1::RecordInteractionRequest> request =
      BuildRecordInteractionRequest(flags, "acme");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->interaction().type(), v1::INTERACTION_TYPE_DECLINED);
  EXPECT_EQ(request->interaction().decline_reason(),
            v1::DECLINE_REASON_NO_CAPACITY);
}

TEST(InteractionFlagsTest, DeclinedWithoutReasonIsAnError) {
  InteractFlags flags = Contacted();
  flags.type = "declined";
  const absl::Status status = InteractError(flags);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "--reason is required with --type=declined; one of not-relevant, "
            "too-far, no-capacity, already-known, other");
}

TEST(InteractionFlagsTest, ReasonWithAnotherTypeIsAnError) {
  InteractFlags flags = Contacted();
  flags.reason = "too-far";
  const absl::Status status = InteractError(flags);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "--reason: only works with --type=declined");
}

TEST(InteractionFlagsTest, UnknownReasonNamesTheFlag) {
  InteractFlags flags = Contacted();
  flags.type = "declined";
  flags.reason = "busy";
  EXPECT_THAT(InteractError(flags).message(),
              HasSubstr("--reason: unknown decline reason \"busy\"; expected "
                        "one of not-relevant"));
}

TEST(InteractionFlagsTest, RequiresFromToAndType) {
  InteractFlags flags = Contacted();
  flags.from = "";
  EXPECT_EQ(InteractError(flags).message(), "--from is required for interact");
  flags = Contacted();
  flags.to = "";
  EXPECT_EQ(InteractError(flags).message(), "--to is required for interact");
  flags = Contacted();
  flags.type = "";
  EXPECT_EQ(InteractError(flags).message(),
            "--type is required for interact; one of shown, contacted, "
            "accepted, declined, collaborated");
}

TEST(InteractionFlagsTest, UnknownTypeNamesTheFlag) {
  InteractFlags flags = Contacted();
  flags.type = "liked";
  const absl::Status status = InteractError(flags);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("--type: unknown interaction type \"liked\""));
}

TEST(InteractionFlagsTest, FromAndToMustDiffer) {
  InteractFlags flags = Contacted();
  flags.to = "smb-1";
  EXPECT_EQ(InteractError(flags).message(), "--to: must differ from --from");
}

TEST(InteractionFlagsTest, NoteIsAtMostOneKibibyte) {
  InteractFlags flags = Contacted();
  flags.note = std::string(1024, 'x');
  EXPECT_TRUE(BuildRecordInteractionRequest(flags, "acme").ok());
  flags.note = std::string(1025, 'x');
  const absl::Status status = InteractError(flags);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "--note: 1025 bytes, over the limit of 1 KiB");
}

TEST(InteractionFlagsTest, BuildsListRequest) {
  HistoryFlags flags;
  flags.profile = "smb-1";
  absl::StatusOr<v1::ListInteractionsRequest> request =
      BuildListInteractionsRequest(flags, "acme");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->tenant(), "acme");
  EXPECT_EQ(request->profile_id(), "smb-1");
  EXPECT_EQ(request->page_token(), "");
  // Without a limit, the largest pages the server allows.
  EXPECT_EQ(request->page_size(), 1000);
}

TEST(InteractionFlagsTest, PageSizeFollowsTheLimit) {
  HistoryFlags flags;
  flags.profile = "smb-1";
  flags.limit = 7;
  EXPECT_EQ(BuildListInteractionsRequest(flags, "acme")->page_size(), 7);
  flags.limit = 5000;
  EXPECT_EQ(BuildListInteractionsRequest(flags, "acme")->page_size(), 1000);
}

TEST(InteractionFlagsTest, HistoryUsageErrors) {
  HistoryFlags flags;
  EXPECT_EQ(BuildListInteractionsRequest(flags, "acme").status().message(),
            "--profile is required for history");
  flags.profile = "smb-1";
  flags.limit = -1;
  const absl::Status status =
      BuildListInteractionsRequest(flags, "acme").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "--limit: must be 0 (all) or more, got -1");
}

}  // namespace
}  // namespace pollinator
