#include "data/csv_reader.h"

#include <csv.h>

#include "absl/strings/str_cat.h"

namespace pollinator {

// libcsv reports fields and row ends through C callbacks.
struct CsvCallbacks {
  static void OnField(void* field, size_t length, void* data) {
    static_cast<CsvReader*>(data)->current_.emplace_back(static_cast<const char*>(field), length);
  }
  static void OnRowEnd(int /*terminator*/, void* data) {
    auto* reader = static_cast<CsvReader*>(data);
    reader->rows_.push_back(std::move(reader->current_));
    reader->current_.clear();
  }
};

CsvReader::CsvReader(std::string path) : path_(std::move(path)), parser_(std::make_unique<csv_parser>()) {}

CsvReader::~CsvReader() { csv_free(parser_.get()); }

absl::StatusOr<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path) {
  std::unique_ptr<CsvReader> reader(new CsvReader(path));
  reader->file_.open(path, std::ios::binary);
  if (!reader->file_) return absl::NotFoundError(absl::StrCat("csv ", path, ": cannot open"));
  if (absl::Status s = reader->Start(); !s.ok()) return s;
  return reader;
}

absl::StatusOr<std::unique_ptr<CsvReader>> CsvReader::FromStream(std::istream* input, std::string name) {
  std::unique_ptr<CsvReader> reader(new CsvReader(std::move(name)));
  reader->input_ = input;
  if (absl::Status s = reader->Start(); !s.ok()) return s;
  return reader;
}

absl::Status CsvReader::Start() {
  if (csv_init(parser_.get(), CSV_STRICT | CSV_STRICT_FINI) != 0) {
    return absl::ResourceExhaustedError(absl::StrCat("csv ", path_, ": cannot initialise parser"));
  }
  std::vector<std::string> header;
  absl::StatusOr<bool> has_header = Next(header);
  if (!has_header.ok()) return has_header.status();
  if (!*has_header) return absl::InvalidArgumentError(absl::StrCat("csv ", path_, ": empty, no header row"));
  header_ = std::move(header);
  return absl::OkStatus();
}

absl::StatusOr<int> CsvReader::Column(absl::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return static_cast<int>(i);
  }
  return absl::NotFoundError(absl::StrCat("csv ", path_, ": no column \"", name, "\""));
}

absl::Status CsvReader::Fill() {
  char buffer[1 << 16];
  while (rows_.empty() && !finished_) {
    input_->read(buffer, sizeof(buffer));
    const std::streamsize n = input_->gcount();
    if (n > 0 && csv_parse(parser_.get(), buffer, static_cast<size_t>(n), CsvCallbacks::OnField,
                           CsvCallbacks::OnRowEnd, this) != static_cast<size_t>(n)) {
      return absl::DataLossError(absl::StrCat("csv ", path_, ": ", csv_strerror(csv_error(parser_.get())),
                                              " after row ", row_number_ + rows_.size()));
    }
    if (input_->bad()) return absl::DataLossError(absl::StrCat("csv ", path_, ": read error"));
    if (input_->eof()) {
      finished_ = true;
      if (csv_fini(parser_.get(), CsvCallbacks::OnField, CsvCallbacks::OnRowEnd, this) != 0) {
        return absl::DataLossError(absl::StrCat("csv ", path_, ": ", csv_strerror(csv_error(parser_.get())),
                                                " at the end of the file"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> CsvReader::Next(std::vector<std::string>& row) {
  if (absl::Status s = Fill(); !s.ok()) return s;
  if (rows_.empty()) return false;
  row = std::move(rows_.front());
  rows_.pop_front();
  ++row_number_;
  if (row.size() < header_.size()) row.resize(header_.size());
  return true;
}

}  // namespace pollinator
