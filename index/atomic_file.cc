#include "index/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace pollinator {
namespace {

// Appends are gathered into writes of this size.
constexpr size_t kBufferBytes = size_t{1} << 20;

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  return absl::InternalError(absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

// pwrite() until every byte is written or it fails.
bool WriteAll(int fd, absl::string_view bytes, uint64_t offset) {
  while (!bytes.empty()) {
    const ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    // 0 would loop forever; a full disk gives ENOSPC, but be safe.
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<AtomicFile>> AtomicFile::Create(const std::string& path) {
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError("open", temp);
  return std::unique_ptr<AtomicFile>(new AtomicFile(path, fd));
}

AtomicFile::AtomicFile(std::string path, int fd) : path_(std::move(path)), temp_path_(path_ + ".tmp"), fd_(fd) {}

AtomicFile::~AtomicFile() {
  if (fd_ < 0) return;
  ::close(fd_);
  ::unlink(temp_path_.c_str());
}

absl::Status AtomicFile::Usable() const {
  if (fd_ < 0) return absl::FailedPreconditionError(absl::StrCat(temp_path_, ": already committed"));
  if (failed_) return absl::FailedPreconditionError(absl::StrCat(temp_path_, ": an earlier write failed"));
  return absl::OkStatus();
}

absl::Status AtomicFile::WriteAt(absl::string_view bytes, uint64_t offset) {
  if (WriteAll(fd_, bytes, offset)) return absl::OkStatus();
  failed_ = true;
  return ErrnoError("write", temp_path_);
}

absl::Status AtomicFile::Flush() {
  if (buffer_.empty()) return absl::OkStatus();
  // size_ counts the buffered bytes too.
  absl::Status s = WriteAt(buffer_, size_ - buffer_.size());
  buffer_.clear();
  return s;
}

absl::Status AtomicFile::Append(absl::string_view bytes) {
  if (absl::Status s = Usable(); !s.ok()) return s;
  if (buffer_.size() + bytes.size() > kBufferBytes) {
    if (absl::Status s = Flush(); !s.ok()) return s;
    // Large pieces go straight to the file.
    if (bytes.size() >= kBufferBytes) {
      if (absl::Status s = WriteAt(bytes, size_); !s.ok()) return s;
      size_ += bytes.size();
      return absl::OkStatus();
    }
  }
  buffer_.append(bytes.data(), bytes.size());
  size_ += bytes.size();
  return absl::OkStatus();
}

absl::Status AtomicFile::Overwrite(uint64_t offset, absl::string_view bytes) {
  if (absl::Status s = Usable(); !s.ok()) return s;
  if (offset > size_ || bytes.size() > size_ - offset) {
    return absl::OutOfRangeError(absl::StrCat(temp_path_, ": overwrite past the end"));
  }
  if (absl::Status s = Flush(); !s.ok()) return s;
  return WriteAt(bytes, offset);
}

absl::Status AtomicFile::Commit() {
  absl::Status status = Usable();
  if (fd_ < 0) return status;
  if (status.ok()) status = Flush();
  if (status.ok() && ::fsync(fd_) != 0) status = ErrnoError("fsync", temp_path_);
  if (::close(fd_) != 0 && status.ok()) status = ErrnoError("close", temp_path_);
  fd_ = -1;
  if (status.ok() && ::rename(temp_path_.c_str(), path_.c_str()) != 0) status = ErrnoError("rename", temp_path_);
  if (!status.ok()) ::unlink(temp_path_.c_str());
  return status;
}

}  // namespace pollinator
