#include "index/vector_index.h"

#include "absl/strings/str_cat.h"

namespace pollinator {

absl::Status VectorIndex::Save(const std::string& path, int64_t tag) const {
  absl::StatusOr<std::unique_ptr<AtomicFile>> file = AtomicFile::Create(path);
  if (!file.ok()) return file.status();
  if (absl::Status s = Write(tag, **file); !s.ok()) return s;
  return (*file)->Commit();
}

absl::StatusOr<std::vector<std::vector<VectorHit>>> VectorIndex::SearchEach(absl::Span<const float> queries,
                                                                           const SearchOptions& options) const {
  const size_t d = static_cast<size_t>(dimension());
  if (queries.empty() || queries.size() % d != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("queries: ", queries.size(), " values, not a whole number of vectors of dimension ", d));
  }
  std::vector<std::vector<VectorHit>> each;
  for (size_t begin = 0; begin < queries.size(); begin += d) {
    absl::StatusOr<std::vector<VectorHit>> hits = Search(queries.subspan(begin, d), options);
    if (!hits.ok()) return hits.status();
    each.push_back(std::move(*hits));
  }
  return each;
}

}  // namespace pollinator
