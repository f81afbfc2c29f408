// BackupServiceImpl: the gRPC adapter for pollinator.v1.BackupService.
// CreateBackup is CreateBackup() of services/backup/backup.h into the
// server's --backup_dir, one backup at a time, for the operator key only.
//
// Thread-safe.
#ifndef POLLINATOR_SERVICES_BACKUP_BACKUP_SERVICE_H_
#define POLLINATOR_SERVICES_BACKUP_BACKUP_SERVICE_H_

#include <string>

#include "absl/synchronization/mutex.h"
#include "data/store.h"
#include "pollinator/v1/operations.grpc.pb.h"
#include "services/auth/access_control.h"
#include "services/catalog.h"

namespace pollinator {

class BackupServiceImpl final : public v1::BackupService::CallbackService {
 public:
  // `store`, `catalog` and `access` must outlive the service; an empty
  // `backup_dir` turns backups off.
  BackupServiceImpl(const Store& store, Catalog& catalog, const AccessControl& access, std::string backup_dir)
      : store_(store), catalog_(catalog), access_(access), backup_dir_(std::move(backup_dir)) {}

  grpc::ServerUnaryReactor* CreateBackup(grpc::CallbackServerContext* context,
                                         const v1::CreateBackupRequest* request,
                                         v1::CreateBackupResponse* response) override;

 private:
  const Store& store_;
  Catalog& catalog_;
  const AccessControl& access_;
  const std::string backup_dir_;
  // One backup at a time: they would compete for the disk, and two of one
  // name for its folder.
  absl::Mutex mu_;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_BACKUP_BACKUP_SERVICE_H_
