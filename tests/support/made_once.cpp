#include "support/made_once.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace semdraw::test {

namespace fs = std::filesystem;

namespace {
// flock() on an open descriptor: released by close() or by the process's
// death, so a killed maker never leaves the others waiting forever.
class FileLock {
 public:
  explicit FileLock(const fs::path& path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ < 0) throw std::runtime_error("cannot open lock file " + path.string() + ": " + std::strerror(errno));
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) {
        const int error = errno;
        ::close(fd_);
        throw std::runtime_error("cannot lock " + path.string() + ": " + std::strerror(error));
      }
    }
  }
  ~FileLock() { ::close(fd_); }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};
}  // namespace

fs::path made_once(const fs::path& target, const std::function<void(const fs::path& scratch)>& make) {
  if (fs::exists(target)) return target;  // made by an earlier run: no lock needed to read it
  fs::create_directories(target.parent_path());
  const FileLock lock(target.string() + ".lock");
  if (fs::exists(target)) return target;  // made while this process waited for the lock
  // Under the lock no other process is making it, so any scratch is stale.
  const fs::path scratch = target.string() + ".partial";
  fs::remove_all(scratch);
  make(scratch);
  fs::rename(scratch, target);
  if (!fs::exists(target)) throw std::runtime_error("made_once: " + target.string() + " is missing after making it");
  return target;
}

}  // namespace semdraw::test
