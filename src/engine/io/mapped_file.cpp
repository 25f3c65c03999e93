#include "io/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "io/safetensors.h"

namespace semdraw::io {
namespace {

// Closes the descriptor on every path out of open(); the mapping does not
// need it once mmap has returned.
struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0) ::close(fd);
  }
};

[[noreturn]] void fail(const std::filesystem::path& file, const char* what, int error) {
  throw FormatError(file.string() + ": cannot " + what + ": " + std::strerror(error));
}

}  // namespace

std::shared_ptr<MappedFile> MappedFile::open(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(file, "open", errno);
  FdGuard guard{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) fail(file, "stat", errno);
  if (!S_ISREG(info.st_mode)) throw FormatError(file.string() + ": not a regular file");
  const auto size = static_cast<std::size_t>(info.st_size);
  if (size == 0) return std::shared_ptr<MappedFile>(new MappedFile(file, nullptr, 0));
  void* data = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  if (data == MAP_FAILED) fail(file, "map", errno);
  return std::shared_ptr<MappedFile>(new MappedFile(file, static_cast<std::byte*>(data), size));
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

}  // namespace semdraw::io
