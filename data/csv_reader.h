// CsvReader: streams rows of an RFC 4180 CSV file (quoted fields with
// embedded commas, quotes and newlines) through libcsv, one row at a time, with
// columns looked up by header name. Used by the CORDIS and profile CSV
// importers and the cohort command.
//
//   absl::StatusOr<std::unique_ptr<CsvReader>> reader = CsvReader::Open("projects.csv");
//   absl::StatusOr<int> title = (*reader)->Column("title");
//   while (true) {
//     absl::StatusOr<bool> more = (*reader)->Next(row);
//     if (!more.ok() || !*more) break;
//     use(row[*title]);
//   }
//
// Not thread-safe.
#ifndef POLLINATOR_DATA_CSV_READER_H_
#define POLLINATOR_DATA_CSV_READER_H_

#include <deque>
#include <fstream>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct csv_parser;

namespace pollinator {

class CsvReader {
 public:
  // Opens `path` and reads its header row. NotFound if the file cannot be
  // opened, InvalidArgument if it has no header.
  static absl::StatusOr<std::unique_ptr<CsvReader>> Open(const std::string& path);
  // The same on a stream that must outlive the reader (stdin, say); `name`
  // stands for the file in messages.
  static absl::StatusOr<std::unique_ptr<CsvReader>> FromStream(std::istream* input, std::string name);
  ~CsvReader();

  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  const std::vector<std::string>& header() const { return header_; }
  // Index of the named column, or NotFound naming the file and the column.
  absl::StatusOr<int> Column(absl::string_view name) const;

  // Fills `row` with the next data row and returns true, or returns false at
  // the end of the file. Rows shorter than the header are padded with empty
  // fields. DataLoss for malformed CSV, with the file name.
  absl::StatusOr<bool> Next(std::vector<std::string>& row);

  // 1-based number of the last row returned, the header being row 1.
  int64_t row_number() const { return row_number_; }

 private:
  explicit CsvReader(std::string path);
  // Initialises the parser and reads the header row from input_.
  absl::Status Start();
  // Parses more input until a complete row is queued or the file ends.
  absl::Status Fill();

  friend struct CsvCallbacks;
  const std::string path_;
  std::ifstream file_;  // open when the reader was opened by path
  std::istream* input_ = &file_;
  std::unique_ptr<csv_parser> parser_;
  bool finished_ = false;
  std::vector<std::string> header_;
  std::vector<std::string> current_;
  std::deque<std::vector<std::string>> rows_;
  int64_t row_number_ = 0;
};

}  // namespace pollinator

#endif  // POLLINATOR_DATA_CSV_READER_H_
