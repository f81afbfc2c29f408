// AtomicFile: a file replaced all at once. It is written to "<path>.tmp" and
// Commit() syncs it and renames it over `path`, so that a reader, or a
// restart after a crash, sees the old file or the new one, never a torn one.
// Appends are buffered, so that a large file can be streamed in small
// pieces without a copy of it in memory.
//
//   auto file = AtomicFile::Create("tenant.idx");
//   (*file)->Append(header);
//   (*file)->Append(payload);
//   (*file)->Overwrite(0, final_header);   // a header filled in last
//   absl::Status s = (*file)->Commit();
//
// Dropped uncommitted, it removes the temporary file. One writer per path:
// two would share the temporary file.
#ifndef POLLINATOR_INDEX_ATOMIC_FILE_H_
#define POLLINATOR_INDEX_ATOMIC_FILE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pollinator {

class AtomicFile {
 public:
  static absl::StatusOr<std::unique_ptr<AtomicFile>> Create(const std::string& path);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  absl::Status Append(absl::string_view bytes);
  // Replaces bytes already appended, from `offset` on.
  absl::Status Overwrite(uint64_t offset, absl::string_view bytes);
  // Bytes appended so far.
  uint64_t size() const { return size_; }
  // Flushes, syncs and renames the file over `path`; fails, and leaves
  // `path` as it was, if any earlier write failed. The file takes no more
  // writes after it, whatever its result.
  absl::Status Commit();

 private:
  AtomicFile(std::string path, int fd);
  // OK while writes may go on: not committed, no write failed.
  absl::Status Usable() const;
  absl::Status WriteAt(absl::string_view bytes, uint64_t offset);
  absl::Status Flush();

  const std::string path_;
  const std::string temp_path_;
  int fd_;
  std::string buffer_;
  uint64_t size_ = 0;
  bool failed_ = false;
};

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_ATOMIC_FILE_H_
