#include "semdraw/fileio/atomic_write.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "semdraw/fileio/fault_point.h"
#include "semdraw/fileio/temporaries.h"

namespace semdraw::fileio {
namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const fs::path& file, const std::string& what, int error) {
  throw WriteError(file.string() + ": " + what + " (" + std::strerror(error) + ")");
}

fs::path folder_of(const fs::path& file) { return file.has_parent_path() ? file.parent_path() : fs::path("."); }

// What is there now, and whether we may replace it.
struct Existing {
  bool exists = false;
  struct stat st {};
};

Existing examine(const fs::path& path, const fs::path& target, const WriteOptions& options) {
  Existing existing;
  if (::stat(target.c_str(), &existing.st) != 0) {
    if (errno == ENOENT) return existing;  // a new file (through a dangling link: its target is created)
    fail(path, "cannot examine the file", errno);
  }
  existing.exists = true;
  if (S_ISDIR(existing.st.st_mode)) throw WriteError(path.string() + ": is a folder, not a file");
  // Renaming over a device or a pipe would replace it with a plain file.
  if (!S_ISREG(existing.st.st_mode))
    throw WriteError(path.string() + ": is not a regular file (a device, pipe or socket); not replacing it");
  // The mode bits, not only access(): root may write anything, yet a file
  // that no one may write was locked on purpose.
  const bool writable = (existing.st.st_mode & 0222) != 0 && ::access(target.c_str(), W_OK) == 0;
  if (!writable && !options.replace_read_only)
    throw WriteError(path.string() +
                     ": the file is read-only; not replacing it (make it writable, or save under another name)");
  return existing;
}

// Creates the temporary exclusively. Not mkstemp: that makes every file 0600;
// created with 0666, the kernel applies the umask, so we learn the mode a new
// file of the user's gets.
int create_temporary(const fs::path& target, fs::path* temp) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    *temp = temporary_name_for(target);
    const int fd = ::open(temp->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return -1;
}

// Removes the temporary file unless the rename made it the file.
class TemporaryGuard {
 public:
  TemporaryGuard(fs::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~TemporaryGuard() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }
  TemporaryGuard(const TemporaryGuard&) = delete;
  TemporaryGuard& operator=(const TemporaryGuard&) = delete;
  // Closes the descriptor, reporting a failed close (NFS reports write errors there).
  int close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd);
  }
  void committed() { committed_ = true; }

 private:
  fs::path path_;
  int fd_;
  bool committed_ = false;
};

// Mode and owner of the file being replaced (or the umask's mode for a new
// file), set on what the writer left at `temp`: a writer may have replaced the
// file we created (libzip commits through a file of its own).
void give_attributes(const fs::path& path, const fs::path& temp, const Existing& existing, mode_t new_file_mode,
                     Access access) {
  mode_t mode = existing.exists ? existing.st.st_mode & 07777 : new_file_mode;
  if (access == Access::Private) mode = 0600;
  if (existing.exists && (existing.st.st_uid != ::geteuid() || existing.st.st_gid != ::getegid())) {
    // Owner and group where permitted (root; or a group we belong to); a
    // plain user saving someone else's file in a shared folder becomes its
    // owner, as with any editor.
    [[maybe_unused]] const bool kept = ::chown(temp.c_str(), existing.st.st_uid, existing.st.st_gid) == 0 ||
                                       ::chown(temp.c_str(), static_cast<uid_t>(-1), existing.st.st_gid) == 0;
  }
  // After chown, which clears set-id bits.
  if (::chmod(temp.c_str(), mode) != 0) fail(path, "cannot set the permissions of the temporary file", errno);
}

void flush_to_disk(const fs::path& path, const fs::path& temp) {
  const int fd = ::open(temp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(path, "cannot reopen the temporary file", errno);
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    fail(path, "cannot flush the file to disk", error);
  }
  ::close(fd);
}

}  // namespace

void TemporaryFile::write(const void* data, std::size_t size) {
  const auto* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t written = ::write(fd_, bytes, std::min<std::size_t>(size, std::size_t{1} << 30));
    if (written < 0) {
      if (errno == EINTR) continue;
      fail(target_, "cannot write", errno);
    }
    bytes += written;
    size -= static_cast<std::size_t>(written);
  }
}

fs::path write_target(const fs::path& path) {
  fs::path current = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(current.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return current;
    std::error_code error;
    const fs::path link = fs::read_symlink(current, error);
    if (error) return current;
    current = link.is_absolute() ? link : current.parent_path() / link;
  }
  throw WriteError(path.string() + ": too many levels of symbolic links");
}

void write_atomically(const fs::path& path, const std::function<void(TemporaryFile&)>& fill,
                      const WriteOptions& options) {
  const fs::path target = write_target(path);
  const Existing existing = examine(path, target, options);
  remove_stale_temporaries(folder_of(target));
  fs::path temp;
  const int fd = create_temporary(target, &temp);
  if (fd < 0) fail(path, "cannot create a temporary file in its folder", errno);
  TemporaryGuard guard(temp, fd);
  struct stat created {};
  const mode_t new_file_mode = ::fstat(fd, &created) == 0 ? created.st_mode & 07777 : 0600;
  // Owner-only while half written, whatever the file ends up as.
  ::fchmod(fd, 0600);
  fault_point("atomic-write:created", target);

  TemporaryFile file(path, temp, fd);
  fill(file);
  fault_point("atomic-write:filled", target);
  if (guard.close() != 0) fail(path, "cannot write", errno);
  give_attributes(path, temp, existing, new_file_mode, options.access);
  // The data must be on disk before the rename makes it the file, or a crash
  // could leave an empty file where the old one was.
  flush_to_disk(path, temp);
  fault_point("atomic-write:synced", target);
  if (::rename(temp.c_str(), target.c_str()) != 0) fail(path, "cannot replace the file", errno);
  guard.committed();
  fault_point("atomic-write:renamed", target);
  // The folder too, so the rename itself survives a crash; failing here loses
  // nothing already written.
  const int folder = ::open(folder_of(target).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder >= 0) {
    ::fsync(folder);
    ::close(folder);
  }
}

void write_atomically(const fs::path& path, std::string_view bytes, const WriteOptions& options) {
  write_atomically(
      path, [bytes](TemporaryFile& file) { file.write(bytes); }, options);
}

}  // namespace semdraw::fileio
