// Text views of interactions (see interaction_view.h).
#include "tools/cli/interaction_view.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "tools/cli/names.h"
#include "tools/cli/table.h"

namespace pollinator {
namespace {

constexpr size_t kMaxNoteWidth = 60;

// Labels are padded to this many columns.
constexpr int kLabelWidth = 10;

std::string Reason(const v1::Interaction& interaction) {
  if (interaction.decline_reason() == v1::DECLINE_REASON_UNSPECIFIED) {
    return "-";
  }
  return DeclineReasonName(interaction.decline_reason());
}

std::vector<std::string> TableRow(const v1::Interaction& interaction) {
  return {absl::StrCat(interaction.sequence()),
          FormatUnixMillis(interaction.recorded_at_unix_ms()),
          OneLine(interaction.from_profile_id()),
          OneLine(interaction.to_profile_id()),
          InteractionTypeName(interaction.type()),
          Reason(interaction),
          Truncate(OneLine(interaction.note()), kMaxNoteWidth)};
}

}  // namespace

std::string FormatUnixMillis(int64_t unix_ms) {
  if (unix_ms == 0) return "-";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromUnixMillis(unix_ms),
                          absl::UTCTimeZone());
}

std::string FormatInteractionDetails(const v1::Interaction& interaction) {
  std::string out;
  AppendField(kLabelWidth, "sequence", absl::StrCat(interaction.sequence()), &out);
  AppendField(kLabelWidth, "time", FormatUnixMillis(interaction.recorded_at_unix_ms()),
              &out);
  AppendField(kLabelWidth, "from", OneLine(interaction.from_profile_id()), &out);
  AppendField(kLabelWidth, "to", OneLine(interaction.to_profile_id()), &out);
  AppendField(kLabelWidth, "type", InteractionTypeName(interaction.type()), &out);
  AppendField(kLabelWidth, "reason", Reason(interaction), &out);
  if (!interaction.note().empty()) {
    AppendField(kLabelWidth, "note", OneLine(interaction.note()), &out);
  }
  return out;
}

std::string FormatInteractionTable(
    absl::Span<const v1::Interaction> interactions) {
  if (interactions.empty()) return "no interactions\n";
  std::vector<std::vector<std::string>> rows;
  rows.reserve(interactions.size());
  for (const v1::Interaction& interaction : interactions) {
    rows.push_back(TableRow(interaction));
  }
  return FormatTable({"SEQ", "TIME", "FROM", "TO", "TYPE", "REASON", "NOTE"},
                     rows);
}

}  // namespace pollinator
