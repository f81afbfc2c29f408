#include "services/transport/pem_file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace pollinator {

absl::StatusOr<std::string> ReadPemFile(const std::string& field, const std::string& path, const char* marker) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(field, ": cannot read ", path));
  std::stringstream contents;
  contents << in.rdbuf();
  std::string pem = contents.str();
  if (!absl::StrContains(pem, marker)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", path, " holds no PEM \"", marker, "\" block"));
  }
  return pem;
}

}  // namespace pollinator
