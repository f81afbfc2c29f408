// Plain-text tables for the CLI's human-readable output, and the clean-up
// their cells need: one line per cell, long text cut with "…", widths counted
// in UTF-8 code points so that "Müller" lines up with "Miller".
//
//   std::string table =
//       FormatTable({"ID", "NAME"}, {{"smb-1", "Müller GmbH"}});
//   // ID     NAME
//   // smb-1  Müller GmbH
#ifndef POLLINATOR_TOOLS_CLI_TABLE_H_
#define POLLINATOR_TOOLS_CLI_TABLE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace pollinator {

// Number of UTF-8 code points (wide East Asian characters count as one).
size_t DisplayWidth(absl::string_view utf8);

// Replaces line breaks, tabs and other control characters with spaces.
std::string OneLine(absl::string_view text);

// Returns `utf8` if it has at most `max_width` code points, otherwise its
// first max_width - 1 code points followed by "…". Never splits a character.
std::string Truncate(absl::string_view utf8, size_t max_width);

// Appends "label:" padded to `label_width` columns, then `value` and a line
// break: one field of a record view ("kind:        university").
void AppendField(int label_width, absl::string_view label, absl::string_view value, std::string* out);

// Left-aligned columns separated by two spaces, one line per row, header
// first; no trailing spaces. Cells must be single lines (see OneLine). Rows
// may have fewer cells than the header.
std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);

}  // namespace pollinator

#endif  // POLLINATOR_TOOLS_CLI_TABLE_H_
