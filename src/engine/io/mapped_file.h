#pragma once
// A read-only view of a whole file through POSIX mmap, unmapped when the last
// owner lets go. Tensors loaded without a copy hold a shared_ptr to it, so
// the mapping lives exactly as long as any tensor that looks into it.
// (As with any mmap, a file truncated by another process while mapped makes
// reads past its new end fault; checkpoints are not edited in place.)
#include <cstddef>
#include <filesystem>
#include <memory>

namespace semdraw::io {

class MappedFile {
 public:
  // Throws FormatError("<file>: cannot open/map: <reason>").
  static std::shared_ptr<MappedFile> open(const std::filesystem::path& file);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // The bytes of the file. Writable copy-on-write pages (MAP_PRIVATE): a
  // caller that modifies a zero-copy tensor in place changes its private copy,
  // never the file on disk.
  std::byte* data() const { return data_; }
  std::size_t size() const { return size_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  MappedFile(std::filesystem::path path, std::byte* data, std::size_t size)
      : path_(std::move(path)), data_(data), size_(size) {}
  std::filesystem::path path_;
  std::byte* data_ = nullptr;  // nullptr for an empty file (mmap refuses length 0)
  std::size_t size_ = 0;
};

}  // namespace semdraw::io
