// `pollinator export` (see export_command.h).
#include "tools/cli/export_command.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <ostream>

#include "absl/strings/str_cat.h"
#include "data/profile_jsonl.h"

namespace pollinator {
namespace {

// Records between two progress lines.
constexpr int64_t kProgressEvery = 10000;

struct ExportCounts {
  int64_t profiles = 0;
  int64_t interactions = 0;
};

std::string FormatCounts(const ExportCounts& counts) {
  return absl::StrCat("export: ", counts.profiles, " profiles, ",
                      counts.interactions, " interactions");
}

absl::Status Stream(const ExportOptions& options, PollinatorClient& client,
                    std::ostream& out, const CommandIo& io) {
  ExportCounts counts;
  const auto write = [&](const v1::TransferRecord& record) -> absl::Status {
    absl::StatusOr<std::string> line = TransferRecordJson(record);
    if (!line.ok()) return line.status();
    out << *line << '\n';
    if (!out) return absl::DataLossError("writing the export failed");
    ++(record.has_interaction() ? counts.interactions : counts.profiles);
    if ((counts.profiles + counts.interactions) % kProgressEvery == 0) {
      io.err << FormatCounts(counts) << " so far" << std::endl;
    }
    return absl::OkStatus();
  };
  absl::Status status;
  if (options.profile_id.empty()) {
    v1::ExportTenantRequest request;
    request.set_tenant(options.tenant);
    status = client.ExportTenant(request, write);
  } else {
    v1::ExportProfileRequest request;
    request.set_tenant(options.tenant);
    request.set_id(options.profile_id);
    status = client.ExportProfile(request, write);
  }
  out.flush();
  if (status.ok() && !out)
    status = absl::DataLossError("writing the export failed");
  if (status.ok()) io.err << FormatCounts(counts) << std::endl;
  return status;
}

}  // namespace

absl::Status RunExport(const ExportOptions& options, PollinatorClient& client,
                       const CommandIo& io) {
  if (options.output.empty()) return Stream(options, client, io.out, io);
  const std::string partial = absl::StrCat(options.output, ".partial");
  std::ofstream file(partial, std::ios::binary | std::ios::trunc);
  if (!file.is_open()) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot write ", partial));
  }
  absl::Status status = Stream(options, client, file, io);
  file.close();
  if (status.ok() && file.fail()) {
    status = absl::DataLossError(absl::StrCat("writing ", partial, " failed"));
  }
  if (!status.ok()) {
    std::remove(partial.c_str());
    return status;
  }
  if (std::rename(partial.c_str(), options.output.c_str()) != 0) {
    const int error = errno;
    std::remove(partial.c_str());
    return absl::ErrnoToStatus(
        error, absl::StrCat("cannot rename ", partial, " to ", options.output));
  }
  return absl::OkStatus();
}

}  // namespace pollinator
