#include "data/profile_csv.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "data/enum_names.h"
#include "data/utf8.h"

namespace pollinator {
namespace {

constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";

// Parsers of one non-empty, trimmed cell. A profile column sets only its own
// field of the profile it is given; an item column its field of the row's
// need (offers are copied from it).
using ProfileSetter = absl::Status (*)(absl::string_view cell, v1::Profile& profile);
using ItemSetter = absl::Status (*)(absl::string_view cell, v1::Need& item);

struct Column {
  absl::string_view name;
  ProfileSetter profile = nullptr;
  ItemSetter item = nullptr;
  // An item column that only a need may have.
  bool challenge = false;
};

absl::Status Invalid(absl::string_view cell, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("\"", cell, "\" ", problem));
}

// "a; b;;c" -> {"a", "b", "c"}.
std::vector<std::string> SplitList(absl::string_view cell) {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(cell, ';')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

// Parses `cell` as a value of the enum `naming` names and hands it to `set`.
template <typename Enum, typename Set>
absl::Status SetEnum(const EnumNaming& naming, absl::string_view cell, Set set) {
  absl::StatusOr<int> number = ParseEnumShortName(naming, cell);
  if (!number.ok()) return number.status();
  set(static_cast<Enum>(*number));
  return absl::OkStatus();
}

// Every ";"-separated name of `cell`, each added with `add`.
template <typename Add>
absl::Status ParseEnumList(const EnumNaming& naming, absl::string_view cell, Add add) {
  for (const std::string& name : SplitList(cell)) {
    absl::StatusOr<int> number = ParseEnumShortName(naming, name);
    if (!number.ok()) return number.status();
    add(*number);
  }
  return absl::OkStatus();
}

absl::StatusOr<double> ParseDegrees(absl::string_view cell) {
  double degrees = 0;
  if (!absl::SimpleAtod(cell, &degrees) || !std::isfinite(degrees)) {
    return Invalid(cell, "is not a number (decimal degrees, with a point)");
  }
  return degrees;
}

absl::Status ParseDate(absl::string_view cell, v1::Date* date) {
  const auto digits = [&](size_t from, size_t count, int* value) {
    for (size_t i = from; i < from + count; ++i) {
      if (!absl::ascii_isdigit(cell[i])) return false;
    }
    return absl::SimpleAtoi(cell.substr(from, count), value);
  };
  int year = 0, month = 0, day = 0;
  if (cell.size() != 10 || cell[4] != '-' || cell[7] != '-' || !digits(0, 4, &year) || !digits(5, 2, &month) ||
      !digits(8, 2, &day)) {
    return Invalid(cell, "is not a date (YYYY-MM-DD)");
  }
  // CivilDay normalises 2024-02-30 to March: a changed date was not real.
  const absl::CivilDay civil(year, month, day);
  if (year < 1 || civil.year() != year || civil.month() != month || civil.day() != day) {
    return Invalid(cell, "is not a calendar date");
  }
  date->set_year(year);
  date->set_month(month);
  date->set_day(day);
  return absl::OkStatus();
}

const std::vector<Column>& Columns() {
  static const std::vector<Column> kColumns = {
      {"profile_id"},
      {"kind", [](absl::string_view cell, v1::Profile& p) {
         return SetEnum<v1::ProfileKind>(ProfileKindNaming(), cell, [&](v1::ProfileKind kind) { p.set_kind(kind); });
       }},
      {"name", [](absl::string_view cell, v1::Profile& p) {
         p.set_name(std::string(cell));
         return absl::OkStatus();
       }},
      {"description", [](absl::string_view cell, v1::Profile& p) {
         p.set_description(std::string(cell));
         return absl::OkStatus();
       }},
      {"country", [](absl::string_view cell, v1::Profile& p) {
         p.mutable_location()->set_country(std::string(cell));
         return absl::OkStatus();
       }},
      {"region", [](absl::string_view cell, v1::Profile& p) {
         p.mutable_location()->set_region(std::string(cell));
         return absl::OkStatus();
       }},
      {"city", [](absl::string_view cell, v1::Profile& p) {
         p.mutable_location()->set_city(std::string(cell));
         return absl::OkStatus();
       }},
      {"lat", [](absl::string_view cell, v1::Profile& p) {
         absl::StatusOr<double> lat = ParseDegrees(cell);
         if (lat.ok()) p.mutable_location()->set_lat(*lat);
         return lat.status();
       }},
      {"lon", [](absl::string_view cell, v1::Profile& p) {
         absl::StatusOr<double> lon = ParseDegrees(cell);
         if (lon.ok()) p.mutable_location()->set_lon(*lon);
         return lon.status();
       }},
      {"sectors", [](absl::string_view cell, v1::Profile& p) {
         for (std::string& sector : SplitList(cell)) p.add_sectors(std::move(sector));
         return absl::OkStatus();
       }},
      {"languages", [](absl::string_view cell, v1::Profile& p) {
         for (std::string& language : SplitList(cell)) p.add_languages(std::move(language));
         return absl::OkStatus();
       }},
      {"size", [](absl::string_view cell, v1::Profile& p) {
         return SetEnum<v1::CompanySize>(CompanySizeNaming(), cell, [&](v1::CompanySize size) { p.set_size(size); });
       }},
      {"stage", [](absl::string_view cell, v1::Profile& p) {
         return SetEnum<v1::Stage>(StageNaming(), cell, [&](v1::Stage stage) { p.set_stage(stage); });
       }},
      {"completed_projects", [](absl::string_view cell, v1::Profile& p) {
         int32_t count = 0;
         if (!absl::SimpleAtoi(cell, &count)) return Invalid(cell, "is not a whole number");
         p.set_completed_projects(count);
         return absl::OkStatus();
       }},
      {"side"},
      {"item_id", nullptr, [](absl::string_view cell, v1::Need& item) {
         item.set_id(std::string(cell));
         return absl::OkStatus();
       }},
      {"text", nullptr, [](absl::string_view cell, v1::Need& item) {
         item.set_text(std::string(cell));
         return absl::OkStatus();
       }},
      {"component", nullptr, [](absl::string_view cell, v1::Need& item) {
         return SetEnum<v1::Component>(ComponentNaming(), cell,
                                       [&](v1::Component component) { item.set_component(component); });
       }},
      {"modes", nullptr, [](absl::string_view cell, v1::Need& item) {
         return ParseEnumList(CollaborationModeNaming(), cell,
                              [&](int mode) { item.add_modes(static_cast<v1::CollaborationMode>(mode)); });
       }},
      {"scope", nullptr, [](absl::string_view cell, v1::Need& item) {
         return SetEnum<v1::GeographicScope>(GeographicScopeNaming(), cell,
                                             [&](v1::GeographicScope scope) { item.set_scope(scope); });
       }},
      {"expires", nullptr, [](absl::string_view cell, v1::Need& item) {
         return ParseDate(cell, item.mutable_expires());
       }},
      {"challenge_deadline", nullptr,
       [](absl::string_view cell, v1::Need& item) {
         return ParseDate(cell, item.mutable_challenge()->mutable_deadline());
       },
       true},
      {"solver_kinds", nullptr,
       [](absl::string_view cell, v1::Need& item) {
         return ParseEnumList(ProfileKindNaming(), cell, [&](int kind) {
           item.mutable_challenge()->add_solver_kinds(static_cast<v1::ProfileKind>(kind));
         });
       },
       true},
      {"solver_countries", nullptr,
       [](absl::string_view cell, v1::Need& item) {
         for (std::string& country : SplitList(cell)) {
           item.mutable_challenge()->add_solver_countries(std::move(country));
         }
         return absl::OkStatus();
       },
       true},
  };
  return kColumns;
}

const Column* FindColumn(absl::string_view name) {
  for (const Column& column : Columns()) {
    if (column.name == name) return &column;
  }
  return nullptr;
}

// The first value a profile column was given, to compare later rows with.
struct FirstValue {
  std::string bytes;  // the field, serialised
  std::string cell;
  int64_t line = 0;
};

// A profile while its rows are read.
struct PendingProfile {
  CsvProfile read;
  absl::flat_hash_map<const Column*, FirstValue> first_values;
  // Profile columns with a cell on some row, valid or not.
  absl::flat_hash_set<const Column*> given;
  // Item id -> the line that gave it, per side.
  absl::flat_hash_map<std::string, int64_t> need_lines;
  absl::flat_hash_map<std::string, int64_t> offer_lines;
};

// The header's columns, in file order; InvalidArgument on line 1 otherwise.
absl::StatusOr<std::vector<const Column*>> ReadHeader(const std::vector<std::string>& header) {
  std::vector<const Column*> columns;
  absl::flat_hash_map<const Column*, size_t> seen;
  for (size_t i = 0; i < header.size(); ++i) {
    absl::string_view name = header[i];
    if (i == 0) absl::ConsumePrefix(&name, kByteOrderMark);  // spreadsheets write one
    const Column* found = FindColumn(absl::AsciiStrToLower(absl::StripAsciiWhitespace(name)));
    if (found == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("line 1, column ", i + 1, " \"", name,
                                                     "\": unknown column; the columns are ",
                                                     absl::StrJoin(ProfileCsvColumns(), ", ")));
    }
    if (auto [it, inserted] = seen.emplace(found, i); !inserted) {
      return absl::InvalidArgumentError(absl::StrCat("line 1, column ", found->name, ": given twice (columns ",
                                                     it->second + 1, " and ", i + 1, ")"));
    }
    columns.push_back(found);
  }
  if (!seen.contains(FindColumn("profile_id"))) {
    return absl::InvalidArgumentError("line 1: no profile_id column; every row names the profile it belongs to");
  }
  return columns;
}

// Copies the fields an offer shares with a need.
v1::Offer AsOffer(v1::Need need) {
  v1::Offer offer;
  offer.set_id(std::move(*need.mutable_id()));
  offer.set_text(std::move(*need.mutable_text()));
  offer.set_component(need.component());
  *offer.mutable_modes() = need.modes();
  offer.set_scope(need.scope());
  *offer.mutable_expires() = need.expires();
  return offer;
}

// Adds one row (with its profile_id) to `pending`.
void ReadRow(const std::vector<const Column*>& columns, const std::vector<std::string>& row, int64_t line,
             PendingProfile& pending) {
  CsvProfile& read = pending.read;
  const size_t errors_before = read.errors.size();
  const auto error = [&](absl::string_view column, std::string message) {
    read.errors.push_back(CsvCellError{line, std::string(column), std::move(message)});
  };
  ++read.lines;
  v1::Need item;
  std::string side;
  const Column* first_item_column = nullptr;
  const Column* first_challenge_column = nullptr;
  for (size_t i = 0; i < columns.size(); ++i) {
    absl::string_view cell = absl::StripAsciiWhitespace(row[i]);
    const Column& column = *columns[i];
    if (cell.empty()) continue;
    // Protobuf strings are UTF-8; a Latin-1 or Windows-1252 export is named
    // here, where the user can find the cell, not by the server later. The
    // cell is read on with its bad bytes replaced, so that it causes no
    // other error (its profile is refused either way).
    std::string repaired;
    if (const size_t bad = FirstInvalidUtf8(cell); bad != absl::string_view::npos) {
      error(column.name, absl::StrCat("not UTF-8 (byte ", bad + 1, " of the cell); save the file as UTF-8"));
      repaired = ToValidUtf8(cell);
      cell = repaired;
    }
    if (column.profile != nullptr) {
      pending.given.insert(&column);
      v1::Profile part;
      if (absl::Status s = column.profile(cell, part); !s.ok()) {
        error(column.name, std::string(s.message()));
        continue;
      }
      // Compared as parsed, so that "smb" repeats "SMB" and "7" repeats "7.0".
      std::string bytes = part.SerializeAsString();
      auto [first, inserted] = pending.first_values.try_emplace(&column, FirstValue{bytes, std::string(cell), line});
      if (inserted) {
        read.profile.MergeFrom(part);
      } else if (first->second.bytes != bytes) {
        error(column.name, absl::StrCat("\"", cell, "\" differs from \"", first->second.cell, "\" on line ",
                                        first->second.line,
                                        "; give a profile's field on one row, or repeat it unchanged"));
      }
    } else if (column.item != nullptr) {
      if (first_item_column == nullptr) first_item_column = &column;
      if (column.challenge && first_challenge_column == nullptr) first_challenge_column = &column;
      if (absl::Status s = column.item(cell, item); !s.ok()) error(column.name, std::string(s.message()));
    } else if (column.name == "side") {
      side = absl::AsciiStrToLower(cell);
    }
  }
  for (size_t i = columns.size(); i < row.size(); ++i) {
    if (!absl::StripAsciiWhitespace(row[i]).empty()) {
      error("", absl::StrCat("cell ", i + 1, " is beyond the header's ", columns.size(), " columns"));
      break;
    }
  }
  if (side.empty()) {
    if (first_item_column != nullptr) {
      error(first_item_column->name, "given on a row without side; set side to need or offer");
    }
    return;
  }
  if (side != "need" && side != "offer") {
    error("side", absl::StrCat("\"", side, "\" is neither need nor offer"));
    return;
  }
  const bool need = side == "need";
  if (item.id().empty()) error("item_id", absl::StrCat("empty; each ", side, " needs an id, unique in its profile"));
  if (item.text().empty()) error("text", absl::StrCat("empty; say what the ", side, " is"));
  if (!need && first_challenge_column != nullptr) {
    error(first_challenge_column->name, "only a need can be a challenge; this row is an offer");
  }
  if (need && item.has_challenge() && !item.challenge().has_deadline()) {
    error("challenge_deadline", "empty; a challenge needs a deadline");
  }
  if (!item.id().empty()) {
    absl::flat_hash_map<std::string, int64_t>& lines = need ? pending.need_lines : pending.offer_lines;
    if (auto [it, inserted] = lines.emplace(item.id(), line); !inserted) {
      error("item_id", absl::StrCat("\"", item.id(), "\" is already a ", side, " of this profile, on line ",
                                    it->second));
    }
  }
  if (read.errors.size() != errors_before) return;
  if (need && item.has_challenge() &&
      std::find(item.modes().begin(), item.modes().end(), v1::COLLABORATION_MODE_OPEN_INNOVATION_CHALLENGE) ==
          item.modes().end()) {
    // A deadline says the need is a challenge; the mode the API requires of
    // one follows from it rather than being a second column to get right.
    item.add_modes(v1::COLLABORATION_MODE_OPEN_INNOVATION_CHALLENGE);
  }
  if (need) {
    *read.profile.add_needs() = std::move(item);
  } else {
    *read.profile.add_offers() = AsOffer(std::move(item));
  }
}

bool IsBlank(const std::vector<std::string>& row) {
  for (const std::string& cell : row) {
    if (!absl::StripAsciiWhitespace(cell).empty()) return false;
  }
  return true;
}

}  // namespace

std::string CsvCellError::ToString() const {
  return absl::StrCat("line ", line, column.empty() ? "" : absl::StrCat(", column ", column), ": ", message);
}

const std::vector<std::string>& ProfileCsvColumns() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const Column& column : Columns()) names.emplace_back(column.name);
    return names;
  }();
  return kNames;
}

absl::StatusOr<std::vector<CsvProfile>> ReadProfileCsv(CsvReader& reader) {
  absl::StatusOr<std::vector<const Column*>> columns = ReadHeader(reader.header());
  if (!columns.ok()) return columns.status();
  // Profile id -> its place in `pending`, which keeps first-row order.
  std::vector<PendingProfile> pending;
  absl::flat_hash_map<std::string, size_t> by_id;
  // ReadHeader made sure there is one.
  size_t id_column = 0;
  while ((*columns)[id_column] != FindColumn("profile_id")) ++id_column;
  std::vector<std::string> row;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(row);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (IsBlank(row)) continue;
    const int64_t line = reader.row_number();
    const std::string id(absl::StripAsciiWhitespace(row[id_column]));
    if (id.empty()) {
      PendingProfile& orphan = pending.emplace_back();
      orphan.read.line = line;
      orphan.read.lines = 1;
      orphan.read.errors.push_back(
          CsvCellError{line, "profile_id", "empty; every row names the profile it belongs to"});
      continue;
    }
    auto [it, inserted] = by_id.emplace(id, pending.size());
    if (inserted) {
      PendingProfile& created = pending.emplace_back();
      created.read.line = line;
      created.read.profile.set_id(id);
    }
    ReadRow(*columns, row, line, pending[it->second]);
  }
  std::vector<CsvProfile> profiles;
  profiles.reserve(pending.size());
  for (PendingProfile& one : pending) {
    CsvProfile& read = one.read;
    // Required by the API; said here with the column, which the server
    // cannot name.
    for (absl::string_view required : {"kind", "name"}) {
      if (!read.profile.id().empty() && !one.given.contains(FindColumn(required))) {
        read.errors.push_back(CsvCellError{read.line, std::string(required), "not given on any row of the profile"});
      }
    }
    profiles.push_back(std::move(read));
  }
  return profiles;
}

}  // namespace pollinator
