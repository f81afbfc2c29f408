// Backups: a consistent copy of everything the server keeps, taken while it
// serves, and its restore into an empty data folder.
//
// A backup folder holds index/ (each tenant's index snapshot), db/ (a
// RocksDB checkpoint: profiles, vectors, interactions, ranking models,
// tenants and keys) and MANIFEST. The snapshots are copied before the
// checkpoint is taken, so they are never ahead of it: a restored server
// loads them and replays the writes made in between from RocksDB, as after
// a crash. The backup is written under "<name>.partial" and renamed when
// complete, so a folder with the final name is always whole.
//
//   absl::StatusOr<BackupReport> report = CreateBackup(store, catalog, "/backups", "nightly-1");
//   absl::Status restored = RestoreBackup("/backups/nightly-1", "var/pollinator-restored");
#ifndef POLLINATOR_SERVICES_BACKUP_BACKUP_H_
#define POLLINATOR_SERVICES_BACKUP_BACKUP_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "data/store.h"
#include "services/catalog.h"

namespace pollinator {

struct BackupReport {
  std::string path;
  int64_t tenants = 0;
  int64_t index_files = 0;
  int64_t bytes = 0;
  absl::Duration took;
};

// InvalidArgument unless `name` is 1 to 100 of [A-Za-z0-9._-], not starting
// with '.'.
absl::Status ValidateBackupName(absl::string_view name);
// "backup-20261207T174200Z" for `now`.
std::string DefaultBackupName(absl::Time now);

// Writes the backup `root`/`name` (see above); `root` is created when
// missing. AlreadyExists when the name is taken. Not safe to call twice at
// once with the same name.
absl::StatusOr<BackupReport> CreateBackup(const Store& store, Catalog& catalog, const std::string& root,
                                          const std::string& name);

// Copies the backup in `backup_dir` into `data_dir`, whose db/ and index/
// must be empty or missing, and checks every block of the copied database against its
// checksum. The server then starts on `data_dir` as usual. A backup
// without a MANIFEST, or a corrupt one, is refused (DataLoss) and nothing
// of it is left in `data_dir`.
absl::Status RestoreBackup(const std::string& backup_dir, const std::string& data_dir);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_BACKUP_BACKUP_H_
