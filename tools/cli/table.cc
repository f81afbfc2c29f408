// Plain-text tables and cell clean-up (see table.h).
#include "tools/cli/table.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace pollinator {
namespace {

constexpr absl::string_view kEllipsis = "…";
constexpr size_t kColumnGap = 2;

bool IsContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

std::vector<size_t> ColumnWidths(
    const std::vector<std::string>& header,
    const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size(), 0);
  auto widen = [&widths](const std::vector<std::string>& cells) {
    if (widths.size() < cells.size()) widths.resize(cells.size(), 0);
    for (size_t i = 0; i < cells.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(cells[i]));
    }
  };
  widen(header);
  for (const std::vector<std::string>& row : rows) widen(row);
  return widths;
}

void AppendRow(const std::vector<std::string>& cells,
               const std::vector<size_t>& widths, std::string* out) {
  for (size_t i = 0; i < cells.size(); ++i) {
    out->append(cells[i]);
    if (i + 1 < cells.size()) {
      out->append(widths[i] - DisplayWidth(cells[i]) + kColumnGap, ' ');
    }
  }
  // An empty last cell would leave the padding of the one before it.
  while (!out->empty() && out->back() == ' ') out->pop_back();
  out->push_back('\n');
}

}  // namespace

size_t DisplayWidth(absl::string_view utf8) {
  return static_cast<size_t>(std::count_if(
      utf8.begin(), utf8.end(), [](char c) { return !IsContinuationByte(c); }));
}

void AppendField(int label_width, absl::string_view label, absl::string_view value, std::string* out) {
  absl::StrAppendFormat(out, "%-*s%s\n", label_width, absl::StrCat(label, ":"), value);
}

std::string OneLine(absl::string_view text) {
  std::string line(text);
  for (char& c : line) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) c = ' ';
  }
  return line;
}

std::string Truncate(absl::string_view utf8, size_t max_width) {
  if (DisplayWidth(utf8) <= max_width) return std::string(utf8);
  if (max_width == 0) return "";
  size_t kept = 0;  // code points kept so far
  size_t end = 0;   // byte offset just past the kept code points
  while (end < utf8.size()) {
    if (!IsContinuationByte(utf8[end])) {
      if (kept == max_width - 1) break;
      ++kept;
    }
    ++end;
  }
  std::string truncated(utf8.substr(0, end));
  truncated.append(kEllipsis.data(), kEllipsis.size());
  return truncated;
}

std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows) {
  const std::vector<size_t> widths = ColumnWidths(header, rows);
  std::string table;
  AppendRow(header, widths, &table);
  for (const std::vector<std::string>& row : rows) {
    AppendRow(row, widths, &table);
  }
  return table;
}

}  // namespace pollinator
