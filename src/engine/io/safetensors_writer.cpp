// Writing .safetensors atomically: the bytes go to a temporary file beside the
// target, are flushed to disk, and only then replace the target by rename(),
// so a crash or a full disk never leaves a half-written checkpoint behind.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/safetensors.h"
#include "io/safetensors_dtype.h"

namespace semdraw::io {
namespace {

[[noreturn]] void io_fail(const std::filesystem::path& file, const std::string& what) {
  throw std::runtime_error(file.string() + ": cannot " + what + ": " + std::strerror(errno));
}

// Owns the temporary file until commit(): on any exception it is closed and
// removed, so failures leave nothing beside the target.
class TemporaryFile {
 public:
  explicit TemporaryFile(const std::filesystem::path& target) : target_(target) {
    std::string pattern = target.string() + ".tmp-XXXXXX";
    fd_ = ::mkstemp(pattern.data());
    if (fd_ < 0) io_fail(target, "create a temporary file beside it");
    path_ = pattern;
  }
  ~TemporaryFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  void write(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const char*>(data);
    while (size > 0) {
      const ssize_t written = ::write(fd_, bytes, std::min<std::size_t>(size, std::size_t{1} << 30));
      if (written < 0) {
        if (errno == EINTR) continue;
        io_fail(path_, "write");
      }
      bytes += written;
      size -= static_cast<std::size_t>(written);
    }
  }

  void commit() {
    // mkstemp creates 0600; give the checkpoint the usual rw-r--r-- (reading
    // the umask would mean changing it, which races with other threads).
    if (::fchmod(fd_, 0644) != 0) io_fail(path_, "set permissions of");
    if (::fsync(fd_) != 0) io_fail(path_, "flush");
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) io_fail(path_, "close");
    if (::rename(path_.c_str(), target_.c_str()) != 0) io_fail(target_, "rename the temporary file onto");
    committed_ = true;
    // Make the rename itself durable; failing here loses nothing already written.
    const std::filesystem::path folder = target_.has_parent_path() ? target_.parent_path() : ".";
    const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
  }

 private:
  std::filesystem::path target_;
  std::filesystem::path path_;
  int fd_ = -1;
  bool committed_ = false;
};

struct Planned {
  const std::string* name;
  at::Tensor data;  // contiguous, on the CPU
  const DtypeSpec* dtype;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

}  // namespace

void save_safetensors(const std::filesystem::path& file, const StateDict& tensors,
                      const std::map<std::string, std::string>& metadata) {
  std::vector<Planned> plan;
  plan.reserve(tensors.size());
  for (const auto& [name, tensor] : tensors) {
    if (name == "__metadata__") throw std::invalid_argument(file.string() + ": '__metadata__' is not a tensor name");
    if (!tensor.defined()) throw std::invalid_argument(file.string() + ": tensor '" + name + "' is undefined");
    const DtypeSpec* dtype = find_dtype(tensor.scalar_type());
    if (dtype == nullptr) {
      throw std::invalid_argument(file.string() + ": tensor '" + name + "' has dtype " +
                                  c10::toString(tensor.scalar_type()) + ", which safetensors cannot store");
    }
    plan.push_back({&name, tensor.detach().to(at::kCPU).contiguous(), dtype});
  }
  // Layout of the reference writer: tensors ordered by its dtype rank
  // (descending; wider types rank higher) and then by name, the JSON entries
  // in that same order after "__metadata__". With the data region starting at
  // a multiple of 8 this keeps every tensor aligned to its element size (what
  // zero-copy readers need), and makes our files byte-identical to
  // safetensors.torch.save (checked by tests/parity/safetensors_parity_test).
  std::stable_sort(plan.begin(), plan.end(),
                   [](const Planned& a, const Planned& b) { return a.dtype->rank > b.dtype->rank; });
  std::uint64_t offset = 0;
  for (Planned& item : plan) {
    item.begin = offset;
    offset += static_cast<std::uint64_t>(item.data.numel()) * item.dtype->size;
    item.end = offset;
  }

  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  for (const Planned& item : plan) {
    header[*item.name] = {{"dtype", std::string(item.dtype->name)},
                          {"shape", item.data.sizes().vec()},
                          {"data_offsets", {item.begin, item.end}}};
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const nlohmann::json::exception& error) {  // names or metadata that are not UTF-8
    throw std::invalid_argument(file.string() + ": cannot write the header: " + error.what());
  }
  // Spaces (valid JSON whitespace) pad the header to a multiple of 8 bytes so
  // the data region starts 8-aligned, as the reference writer does.
  text.append((8 - text.size() % 8) % 8, ' ');
  const std::uint64_t length = text.size();

  TemporaryFile output(file);
  output.write(&length, sizeof length);  // little-endian host
  output.write(text.data(), text.size());
  for (const Planned& item : plan) {
    output.write(item.data.data_ptr(), item.end - item.begin);
  }
  output.commit();
}

}  // namespace semdraw::io
