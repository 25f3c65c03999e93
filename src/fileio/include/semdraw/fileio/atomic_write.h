#pragma once
// Writing a file so that readers, crashes and full disks only ever see the
// old file or the complete new one. The bytes go to a temporary file of ours
// in the same folder (temporaries.h), are flushed to disk (fsync), renamed
// over the file, and the folder is flushed so the rename survives a crash.
//
// What the replaced file was stays true of the new one:
//   - a symlink stays a link: the write goes through it to its target;
//   - the mode (and the owner and group, where the kernel permits) are kept;
//     a new file follows the umask (0666 less it), or is owner-only (Private);
//   - a file without write permission is not replaced unless the caller says
//     so (WriteOptions::replace_read_only): an error names the file.
// On any failure (full disk, I/O error, a writer that throws) the previous
// file is untouched and the temporary file removed; a crash can leave a
// temporary behind, and the next write into that folder (and the app's
// start) removes it (remove_stale_temporaries).
#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string_view>

namespace semdraw::fileio {

// Any failure to write; what() names the file and the cause.
class WriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Who may read the file written.
enum class Access {
  Umask,    // a new file: 0666 less the umask; a replaced file keeps its mode
  Private,  // 0600 whatever the umask or the old file (autosaves, recovery)
};

struct WriteOptions {
  Access access = Access::Umask;
  // Replace a file that has no write permission (the user said so).
  bool replace_read_only = false;
};

// The temporary file a writer fills. It is open for writing (fd()) and named
// path(), for writers that only take a file name (they may even replace it:
// what is at path() when the writer returns is what gets renamed).
class TemporaryFile {
 public:
  TemporaryFile(std::filesystem::path target, std::filesystem::path path, int fd)
      : target_(std::move(target)), path_(std::move(path)), fd_(fd) {}
  const std::filesystem::path& path() const { return path_; }
  const std::filesystem::path& target() const { return target_; }
  int fd() const { return fd_; }
  // Writes all of it or throws WriteError naming the target.
  void write(const void* data, std::size_t size);
  void write(std::string_view bytes) { write(bytes.data(), bytes.size()); }

 private:
  std::filesystem::path target_;
  std::filesystem::path path_;
  int fd_;
};

// Writes `path` atomically; `fill` writes the content into the temporary file
// (and throws on failure). Throws WriteError naming `path`; any exception from
// `fill` passes through after the temporary file is removed.
void write_atomically(const std::filesystem::path& path, const std::function<void(TemporaryFile&)>& fill,
                      const WriteOptions& options = {});
void write_atomically(const std::filesystem::path& path, std::string_view bytes, const WriteOptions& options = {});

// The file a write to `path` replaces: symlinks in its last component are
// followed (relative targets from the link's folder); `path` itself otherwise.
std::filesystem::path write_target(const std::filesystem::path& path);

}  // namespace semdraw::fileio
