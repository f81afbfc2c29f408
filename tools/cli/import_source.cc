// The input formats of `pollinator import` (see import_source.h).
#include "tools/cli/import_source.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "data/cordis_import.h"
#include "data/csv_reader.h"
#include "data/profile_csv.h"
#include "data/profile_jsonl.h"

namespace pollinator {
namespace {

constexpr int kInvalidArgument =
    static_cast<int>(absl::StatusCode::kInvalidArgument);

class JsonlSource final : public ImportSource {
 public:
  explicit JsonlSource(std::istream* input) : reader_(input) {}

  bool Next(ImportItem* item) override {
    JsonlRecordLine line;
    if (!reader_.Next(&line)) return false;
    *item = ImportItem();
    item->line = line.number;
    if (line.record.ok()) {
      item->record = *std::move(line.record);
    } else {
      item->errors.push_back({line.number, "",
                              static_cast<int>(line.record.status().code()),
                              std::string(line.record.status().message())});
    }
    return true;
  }
  int64_t line_number() const override { return reader_.line_number(); }
  absl::Status status() const override { return reader_.status(); }

 private:
  JsonlRecordReader reader_;
};

// Records read in full beforehand, in the order of their first lines.
class ListSource final : public ImportSource {
 public:
  ListSource(std::vector<ImportItem> items, int64_t last_line)
      : items_(std::move(items)), last_line_(last_line) {}

  bool Next(ImportItem* item) override {
    if (next_ == items_.size()) return false;
    *item = std::move(items_[next_++]);
    return true;
  }
  // A record's lines all come at or after its first line, so every line
  // before the next record's first belongs to one already returned.
  int64_t line_number() const override {
    return next_ == items_.size() ? last_line_ : items_[next_].line - 1;
  }
  absl::Status status() const override { return absl::OkStatus(); }

 private:
  std::vector<ImportItem> items_;
  const int64_t last_line_;
  size_t next_ = 0;
};

absl::StatusOr<std::unique_ptr<ImportSource>> OpenCsv(const std::string& path,
                                                      const CommandIo& io) {
  absl::StatusOr<std::unique_ptr<CsvReader>> reader =
      path == "-" ? CsvReader::FromStream(&io.in, "stdin")
                  : CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  absl::StatusOr<std::vector<CsvProfile>> profiles = ReadProfileCsv(**reader);
  if (!profiles.ok()) return profiles.status();
  std::vector<ImportItem> items;
  for (CsvProfile& read : *profiles) {
    ImportItem& item = items.emplace_back();
    item.line = read.line;
    item.lines = read.lines;
    for (const CsvCellError& error : read.errors) {
      item.errors.push_back({error.line, read.profile.id(), kInvalidArgument,
                             error.message, error.column});
    }
    *item.record.mutable_profile() = std::move(read.profile);
  }
  return std::make_unique<ListSource>(std::move(items),
                                      (*reader)->row_number());
}

absl::StatusOr<std::unique_ptr<ImportSource>> OpenCordis(const std::string& dir,
                                                         const CommandIo& io) {
  if (dir == "-")
    return absl::InvalidArgumentError(
        "--format=cordis reads a folder, not stdin");
  absl::StatusOr<CordisFolder> folder = ReadCordisFolder(dir);
  if (!folder.ok()) return folder.status();
  size_t participations = 0;
  for (const auto& [project, members] : folder->consortia)
    participations += members.size();
  io.err << "cordis: " << folder->organisations.size() << " organisations, "
         << folder->projects.size() << " projects, " << participations
         << " participations in " << dir << std::endl;
  std::vector<ImportItem> items;
  int64_t last_row = 1;
  for (CordisProfile& built :
       CordisOrganisationProfiles(*folder, CordisImportOptions())) {
    ImportItem& item = items.emplace_back();
    item.line = built.row;
    last_row = std::max(last_row, built.row);
    *item.record.mutable_profile() = std::move(built.profile);
  }
  return std::make_unique<ListSource>(std::move(items), last_row);
}

}  // namespace

absl::StatusOr<ImportFormat> ParseImportFormat(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "jsonl") return ImportFormat::kJsonl;
  if (lower == "csv") return ImportFormat::kCsv;
  if (lower == "cordis") return ImportFormat::kCordis;
  return absl::InvalidArgumentError(absl::StrCat(
      "--format must be jsonl, csv or cordis, got \"", name, "\""));
}

ImportFormat DefaultImportFormat(const std::string& path) {
  if (absl::EndsWithIgnoreCase(path, ".csv")) return ImportFormat::kCsv;
  std::error_code error;
  if (path != "-" && std::filesystem::is_directory(path, error))
    return ImportFormat::kCordis;
  return ImportFormat::kJsonl;
}

std::unique_ptr<ImportSource> JsonlImportSource(std::istream* input) {
  return std::make_unique<JsonlSource>(input);
}

absl::StatusOr<std::unique_ptr<ImportSource>> OpenImportSource(
    ImportFormat format, const std::string& path, const CommandIo& io) {
  switch (format) {
    case ImportFormat::kCsv:
      return OpenCsv(path, io);
    case ImportFormat::kCordis:
      return OpenCordis(path, io);
    case ImportFormat::kJsonl:
      break;
  }
  if (path == "-") return JsonlImportSource(&io.in);
  // The stream must live as long as the source: the source owns it.
  class FileSource final : public ImportSource {
   public:
    explicit FileSource(const std::string& path)
        : file_(path), source_(&file_) {}
    bool open() const { return file_.is_open(); }
    bool Next(ImportItem* item) override { return source_.Next(item); }
    int64_t line_number() const override { return source_.line_number(); }
    absl::Status status() const override { return source_.status(); }

   private:
    std::ifstream file_;
    JsonlSource source_;
  };
  auto source = std::make_unique<FileSource>(path);
  if (!source->open())
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot open ", path));
  return source;
}

}  // namespace pollinator
