// Reads profiles from the CSV layout that staff keep in a spreadsheet: one
// row per need or offer, the rows of a profile tied together by its
// profile_id. Used by `pollinator import FILE.csv`.
//
// A header row is required. Columns may come in any order and their names
// in any case; an unknown or repeated column is an error, and only
// profile_id must be there. The columns:
//   profile_id          the profile's id; every row needs one
//   kind name description country region city lat lon sectors languages
//   size stage completed_projects
//                       the profile's fields: give each on any one of its
//                       rows and leave it empty or repeat it unchanged on the
//                       others (two different values are an error)
//   side                need or offer; empty on a row that carries only
//                       profile fields (a profile without needs and offers
//                       is one such row)
//   item_id text component modes scope expires
//                       the need's or offer's fields
//   challenge_deadline solver_kinds solver_countries
//                       make a need an open-innovation challenge (needs only;
//                       a challenge needs a deadline)
// Lists (sectors, languages, modes, solver_kinds, solver_countries) are
// separated by ";". Enums are written by short name in any case ("smb",
// "Research_Institute", "joint_rd") or by full name. Dates are YYYY-MM-DD.
// Cells are trimmed, and an empty cell gives nothing. Rows are numbered as a
// spreadsheet numbers them: the header is line 1.
//
//   absl::StatusOr<std::unique_ptr<CsvReader>> reader = CsvReader::Open("profiles.csv");
//   absl::StatusOr<std::vector<CsvProfile>> profiles = ReadProfileCsv(**reader);
//   for (const CsvProfile& read : *profiles) {
//     if (read.errors.empty()) Upsert(read.profile);
//   }
//
// Reads the whole file into memory (the rows of a profile may be anywhere in
// it). Thread-compatible: a reader is used by one thread at a time.
#ifndef POLLINATOR_DATA_PROFILE_CSV_H_
#define POLLINATOR_DATA_PROFILE_CSV_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "data/csv_reader.h"
#include "pollinator/v1/profile.pb.h"

namespace pollinator {

// One cell (or row) that could not be read.
struct CsvCellError {
  int64_t line = 0;
  // The column's name; empty when the error is about the row.
  std::string column;
  std::string message;

  // "line 14, column expires: \"2024-13-01\" is not a date (YYYY-MM-DD)".
  std::string ToString() const;
};

// Every row of one profile id.
struct CsvProfile {
  // The profile's first row.
  int64_t line = 0;
  // The rows' number.
  int64_t lines = 0;
  // Complete only when `errors` is empty.
  v1::Profile profile;
  std::vector<CsvCellError> errors;
};

// The column names in the documented order.
const std::vector<std::string>& ProfileCsvColumns();

// The profiles in the order of their first rows. InvalidArgument for a bad
// header (`line 1, column colour: unknown column; ...`), DataLoss for a file
// that is not well-formed CSV; a bad cell or row goes into the errors of the
// profile it belongs to, and a row without a profile_id is a CsvProfile of
// its own with only that error.
absl::StatusOr<std::vector<CsvProfile>> ReadProfileCsv(CsvReader& reader);

}  // namespace pollinator

#endif  // POLLINATOR_DATA_PROFILE_CSV_H_
