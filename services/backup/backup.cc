#include "services/backup/backup.h"

#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "data/rocksdb_store.h"

namespace pollinator {
namespace {

namespace fs = std::filesystem;

constexpr char kManifest[] = "MANIFEST";
constexpr char kManifestFirstLine[] = "pollinator backup 1";
constexpr size_t kMaxNameLength = 100;

absl::Status FileError(absl::string_view what, const fs::path& path, const std::error_code& error) {
  return absl::InternalError(absl::StrCat(what, " ", path.string(), ": ", error.message()));
}

int64_t FolderBytes(const fs::path& dir) {
  int64_t bytes = 0;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(dir, error); !error && it != fs::recursive_directory_iterator();
       it.increment(error)) {
    if (it->is_regular_file(error)) bytes += static_cast<int64_t>(it->file_size(error));
  }
  return bytes;
}

absl::Status WriteManifest(const fs::path& path, const BackupReport& report, absl::Time now) {
  std::ofstream out(path, std::ios::trunc);
  out << kManifestFirstLine << "\n"
      << "created_at_unix_ms=" << absl::ToUnixMillis(now) << "\n"
      << "tenants=" << report.tenants << "\n"
      << "index_files=" << report.index_files << "\n";
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("write ", path.string(), " failed"));
  return absl::OkStatus();
}

bool IsEmptyOrMissing(const fs::path& dir) {
  std::error_code error;
  return !fs::exists(dir, error) || fs::is_empty(dir, error);
}

}  // namespace

absl::Status ValidateBackupName(absl::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) {
    return absl::InvalidArgumentError(absl::StrCat("name: must be 1 to ", kMaxNameLength, " characters"));
  }
  if (name[0] == '.') return absl::InvalidArgumentError("name: must not start with '.'");
  // The suffix of a backup being written.
  if (absl::EndsWith(name, ".partial")) return absl::InvalidArgumentError("name: must not end with \".partial\"");
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return absl::InvalidArgumentError(
          absl::StrCat("name: \"", name, "\" may hold only A-Z, a-z, 0-9, '.', '_' and '-'"));
    }
  }
  return absl::OkStatus();
}

std::string DefaultBackupName(absl::Time now) {
  return absl::StrCat("backup-", absl::FormatTime("%Y%m%dT%H%M%SZ", now, absl::UTCTimeZone()));
}

absl::StatusOr<BackupReport> CreateBackup(const Store& store, Catalog& catalog, const std::string& root,
                                          const std::string& name) {
  if (absl::Status s = ValidateBackupName(name); !s.ok()) return s;
  const absl::Time start = absl::Now();
  const fs::path final_dir = fs::path(root) / name;
  const fs::path partial = fs::path(root) / absl::StrCat(name, ".partial");
  std::error_code error;
  fs::create_directories(root, error);
  if (error) return FileError("create", root, error);
  if (fs::exists(final_dir, error)) {
    return absl::AlreadyExistsError(absl::StrCat("name: a backup \"", name, "\" already exists in ", root));
  }
  // What a crashed earlier attempt left.
  fs::remove_all(partial, error);
  if (error) return FileError("remove", partial, error);
  fs::create_directories(partial, error);
  if (error) return FileError("create", partial, error);

  BackupReport report;
  report.tenants = static_cast<int64_t>(catalog.TenantNames().size());
  absl::Status status;
  // Snapshots first, so that none is ahead of the checkpoint.
  absl::StatusOr<int64_t> copied = catalog.CopyIndexes((partial / "index").string());
  status = copied.status();
  if (status.ok()) {
    report.index_files = *copied;
    status = store.CreateCheckpoint((partial / "db").string());
  }
  if (status.ok()) status = WriteManifest(partial / kManifest, report, start);
  if (status.ok()) {
    fs::rename(partial, final_dir, error);
    if (error) status = FileError("rename into", final_dir, error);
  }
  if (!status.ok()) {
    fs::remove_all(partial, error);
    return status;
  }
  report.path = final_dir.string();
  report.bytes = FolderBytes(final_dir);
  report.took = absl::Now() - start;
  return report;
}

absl::Status RestoreBackup(const std::string& backup_dir, const std::string& data_dir) {
  const fs::path backup(backup_dir), data(data_dir);
  std::error_code error;
  std::ifstream manifest(backup / kManifest);
  std::string first_line;
  if (!manifest.is_open() || !std::getline(manifest, first_line) || first_line != kManifestFirstLine) {
    return absl::DataLossError(absl::StrCat("restore_from: ", backup_dir,
                                            " is not a complete backup (its MANIFEST is missing or unreadable)"));
  }
  if (!fs::is_directory(backup / "db", error)) {
    return absl::DataLossError(absl::StrCat("restore_from: ", backup_dir, " has no db folder"));
  }
  // Other files may share the folder (backups, say), but never a database.
  if (!IsEmptyOrMissing(data / "db") || !IsEmptyOrMissing(data / "index")) {
    return absl::FailedPreconditionError(absl::StrCat(
        "data_dir: ", data_dir, " already holds a database (db/ or index/ is not empty); restore into a new folder"));
  }
  absl::Status status;
  fs::create_directories(data, error);
  if (error) return FileError("create", data, error);
  for (const char* part : {"db", "index"}) {
    if (!fs::exists(backup / part, error)) continue;
    fs::copy(backup / part, data / part, fs::copy_options::recursive, error);
    if (error) {
      status = FileError("copy into", data / part, error);
      break;
    }
  }
  if (status.ok()) {
    // Every block read once, so that a damaged backup is refused here
    // rather than found by a query later.
    StoreOptions options;
    options.path = (data / "db").string();
    absl::StatusOr<std::unique_ptr<RocksDbStore>> store = RocksDbStore::Open(options);
    status = store.ok() ? (*store)->VerifyChecksums() : store.status();
    if (!status.ok()) {
      status = absl::DataLossError(absl::StrCat("restore_from: ", backup_dir, " is damaged: ", status.message()));
    }
  }
  if (!status.ok()) {
    for (const char* part : {"db", "index"}) fs::remove_all(data / part, error);
  }
  return status;
}

}  // namespace pollinator
