#include "index/vector_index.h"

namespace pollinator {

absl::Status VectorIndex::Save(const std::string& path, int64_t tag) const {
  absl::StatusOr<std::unique_ptr<AtomicFile>> file = AtomicFile::Create(path);
  if (!file.ok()) return file.status();
  if (absl::Status s = Write(tag, **file); !s.ok()) return s;
  return (*file)->Commit();
}

}  // namespace pollinator
