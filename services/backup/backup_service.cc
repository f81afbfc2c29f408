#include "services/backup/backup_service.h"

#include "absl/time/clock.h"
#include "services/auth/authorized_call.h"
#include "services/backup/backup.h"

namespace pollinator {

grpc::ServerUnaryReactor* BackupServiceImpl::CreateBackup(grpc::CallbackServerContext* context,
                                                          const v1::CreateBackupRequest* request,
                                                          v1::CreateBackupResponse* response) {
  return RunAsOperator(context, access_, [=]() -> absl::Status {
    if (backup_dir_.empty()) {
      return absl::FailedPreconditionError("backups are off: start pollinatord with --backup_dir=DIR");
    }
    const std::string name = request->name().empty() ? DefaultBackupName(absl::Now()) : request->name();
    absl::MutexLock lock(&mu_);
    absl::StatusOr<BackupReport> report = pollinator::CreateBackup(store_, catalog_, backup_dir_, name);
    if (!report.ok()) return report.status();
    response->set_path(report->path);
    response->set_tenants(report->tenants);
    response->set_index_files(report->index_files);
    response->set_bytes(report->bytes);
    response->set_duration_ms(absl::ToInt64Milliseconds(report->took));
    return absl::OkStatus();
  });
}

}  // namespace pollinator
