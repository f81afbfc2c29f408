// Text views of profiles (see profile_view.h).
#include "tools/cli/profile_view.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/cli/names.h"
#include "tools/cli/table.h"

namespace pollinator {
namespace {

constexpr size_t kMaxNameWidth = 40;

// Labels are padded to this many columns.
constexpr int kLabelWidth = 13;

// "  n1  [funding] Seed capital for a pilot line"
void AppendItem(const std::string& id, v1::Component component,
                const std::string& text, std::string* out) {
  absl::StrAppend(out, "  ", id.empty() ? "-" : OneLine(id), "  ");
  if (component != v1::COMPONENT_UNSPECIFIED) {
    absl::StrAppend(out, "[", ComponentLabel(component), "] ");
  }
  absl::StrAppend(out, OneLine(text), "\n");
}

template <typename Item>
void AppendItems(absl::string_view title,
                 const google::protobuf::RepeatedPtrField<Item>& items,
                 std::string* out) {
  if (items.empty()) {
    AppendField(kLabelWidth, title, "none", out);
    return;
  }
  absl::StrAppend(out, title, " (", items.size(), "):\n");
  for (const Item& item : items) {
    AppendItem(item.id(), item.component(), item.text(), out);
  }
}

std::vector<std::string> TableRow(const v1::Profile& profile) {
  return {OneLine(profile.id()),
          ProfileKindLabel(profile.kind()),
          Truncate(OneLine(profile.name()), kMaxNameWidth),
          OneLine(profile.location().country()),
          OneLine(profile.location().city()),
          absl::StrCat(profile.needs_size()),
          absl::StrCat(profile.offers_size())};
}

}  // namespace

std::string FormatLocation(const v1::Location& location) {
  std::vector<std::string> parts;
  for (const std::string* part :
       {&location.city(), &location.region(), &location.country()}) {
    if (!part->empty()) parts.push_back(OneLine(*part));
  }
  std::string text = absl::StrJoin(parts, ", ");
  if (location.has_lat() && location.has_lon()) {
    absl::StrAppendFormat(&text, "%s(%.4f, %.4f)", text.empty() ? "" : " ",
                          location.lat(), location.lon());
  }
  return text;
}

std::string FormatProfileDetails(const v1::Profile& profile) {
  std::string out;
  AppendField(kLabelWidth, "id", OneLine(profile.id()), &out);
  AppendField(kLabelWidth, "kind", ProfileKindLabel(profile.kind()), &out);
  AppendField(kLabelWidth, "name", OneLine(profile.name()), &out);
  AppendField(kLabelWidth, "location", FormatLocation(profile.location()), &out);
  AppendField(kLabelWidth, "sectors", absl::StrJoin(profile.sectors(), ", "), &out);
  if (!profile.description().empty()) {
    AppendField(kLabelWidth, "description", OneLine(profile.description()), &out);
  }
  AppendItems("needs", profile.needs(), &out);
  AppendItems("offers", profile.offers(), &out);
  return out;
}

std::string FormatProfileTable(absl::Span<const v1::Profile> profiles) {
  if (profiles.empty()) return "no profiles\n";
  std::vector<std::vector<std::string>> rows;
  rows.reserve(profiles.size());
  for (const v1::Profile& profile : profiles) rows.push_back(TableRow(profile));
  return FormatTable(
      {"ID", "KIND", "NAME", "COUNTRY", "CITY", "NEEDS", "OFFERS"}, rows);
}

}  // namespace pollinator
