// Tests of tools/cli/interaction_view.h.
#include "tools/cli/interaction_view.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pollinator {
namespace {

// 2024-05-01T12:34:56.789Z
constexpr int64_t kRecordedAt = 1714566896789;

v1::Interaction Declined() {
  v1::Interaction interaction;
  interaction.set_sequence(12);
  interaction.set_recorded_at_unix_ms(kRecordedAt);
  interaction.set_from_profile_id("smb-1");
  interaction.set_to_profile_id("ipa");
  interaction.set_type(v1::INTERACTION_TYPE_DECLINED);
  interaction.set_decline_reason(v1::DECLINE_REASON_TOO_FAR);
  return interaction;
}

TEST(InteractionViewTest, FormatsTimesInUtc) {
  EXPECT_EQ(FormatUnixMillis(kRecordedAt), "2024-05-01T12:34:56.789Z");
  EXPECT_EQ(FormatUnixMillis(1), "1970-01-01T00:00:00.001Z");
  EXPECT_EQ(FormatUnixMillis(0), "-");
}

TEST(InteractionViewTest, FormatsDetails) {
  EXPECT_EQ(FormatInteractionDetails(Declined()),
            "sequence: 12\n"
            "time:     2024-05-01T12:34:56.789Z\n"
            "from:     smb-1\n"
            "to:       ipa\n"
            "type:     declined\n"
            "reason:   too-far\n");
}

TEST(InteractionViewTest, DetailsWithoutReasonAndWithNote) {
  v1::Interaction interaction = Declined();
  interaction.set_type(v1::INTERACTION_TYPE_CONTACTED);
  interaction.clear_decline_reason();
  interaction.set_note("Call\non Monday");
  EXPECT_EQ(FormatInteractionDetails(interaction),
            "sequence: 12\n"
            "time:     2024-05-01T12:34:56.789Z\n"
            "from:     smb-1\n"
            "to:       ipa\n"
            "type:     contacted\n"
            "reason:   -\n"
            "note:     Call on Monday\n");
}

TEST(InteractionViewTest, FormatsTable) {
  v1::Interaction second;
  second.set_sequence(13);
  second.set_recorded_at_unix_ms(kRecordedAt + 1000);
  second.set_from_profile_id("ipa");
  second.set_to_profile_id("smb-1");
  second.set_type(v1::INTERACTION_TYPE_COLLABORATED);
  second.set_note(std::string(70, 'n'));
  const std::vector<v1::Interaction> interactions = {Declined(), second};
  EXPECT_EQ(FormatInteractionTable(interactions),
            "SEQ  TIME                      FROM   TO     TYPE          "
            "REASON   NOTE\n"
            "12   2024-05-01T12:34:56.789Z  smb-1  ipa    declined      "
            "too-far\n"
            "13   2024-05-01T12:34:57.789Z  ipa    smb-1  collaborated  "
            "-        " +
                std::string(59, 'n') + "…\n");
}

TEST(InteractionViewTest, EmptyTable) {
  EXPECT_EQ(FormatInteractionTable({}), "no interactions\n");
}

}  // namespace
}  // namespace pollinator
