#pragma once
// Reading and writing .safetensors files (the only weight format we load:
// pickle checkpoints execute code when loaded and are refused).
//
// INTERFACE CONTRACT shared by the whole engine; the io helper implements it
// in safetensors.cpp. Other code may rely on exactly these declarations.
#include <ATen/ATen.h>

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace semdraw::io {

// Tensors by name, ordered by name (std::map) so iteration is deterministic.
using StateDict = std::map<std::string, at::Tensor>;

// Thrown for every malformed input. what() names the file and, where one is
// involved, the tensor ("model.safetensors: tensor 'a.b': shape [3,4] needs
// 48 bytes but its offsets span 40").
struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct LoadOptions {
  // Every floating tensor is converted to this dtype at load (fp32/fp16/bf16
  // sources). Integer tensors keep their type.
  at::ScalarType dtype = at::kFloat;
  // Keep every tensor in the file's own dtype (then CPU tensors are views of
  // the mapping: no copy at all). The model loader uses this and converts
  // while copying into the networks, so a fp16 file never exists twice.
  bool keep_stored_dtype = false;
  at::Device device = at::kCPU;
  // Only names with this prefix are loaded (the prefix is kept in the names).
  std::string prefix;
};

// Memory-maps the file, validates the header completely (length, JSON,
// dtypes, shapes, offsets in range, no overlaps), then materialises tensors.
// Refuses pickle files (.ckpt/.pt/.bin/.pth or a pickle/zip magic) with an
// explanation.
StateDict load_safetensors(const std::filesystem::path& file, const LoadOptions& options = {});

// Reads only the header: names, dtypes and shapes, plus the "__metadata__" map.
struct TensorInfo {
  std::string dtype;  // safetensors spelling: "F32", "F16", "BF16", "I64", ...
  std::vector<int64_t> shape;
};
struct Header {
  std::map<std::string, TensorInfo> tensors;
  std::map<std::string, std::string> metadata;
};
Header read_safetensors_header(const std::filesystem::path& file);

// Writes atomically (temporary file beside, then rename). Tensors are written
// contiguous, in their own dtype (F32/F16/BF16/I64/I32), names sorted.
// (Precisely: every dtype the reader knows; laid out exactly as the reference
// writer does -- by dtype rank, then by name, header padded with spaces to a
// multiple of 8 -- so the bytes equal safetensors.torch.save's. A file with
// one dtype, the usual checkpoint, has its names sorted.)
void save_safetensors(const std::filesystem::path& file, const StateDict& tensors,
                      const std::map<std::string, std::string>& metadata = {});

// ---------------------------------------------------------------------------
// Additions beyond the shared contract above (the functions above are thin
// wrappers over this class).

class MappedFile;

// An opened, fully validated safetensors file. Cheap to copy (shared state);
// tensors it hands out without a copy keep the mapping alive on their own.
//
// Validation follows the format's reference implementation strictly:
// header length <= 100 MB and inside the file, UTF-8 JSON object, no
// duplicate keys, "__metadata__" a string->string map, every entry with a
// known dtype, non-negative integer shape and data_offsets [begin, end] whose
// span equals shape x dtype size, and the tensors tiling the data region
// exactly: sorted by offset each begins where the previous ends, the first at
// 0 and the last at the end of the file. Gaps and trailing bytes are errors
// just like overlaps (the reference rejects them as "InvalidOffset" /
// "MetadataIncompleteBuffer"). Unknown fields inside an entry are ignored, as
// the reference does. Stricter than the reference: duplicate JSON keys (it
// keeps one silently), JSON nested deeper than 16 levels, and BOOL bytes other
// than 0/1 (undefined behaviour for torch bool kernels) are errors too.
class SafetensorsFile {
 public:
  // Throws FormatError naming the file (and the tensor where one is involved).
  static SafetensorsFile open(const std::filesystem::path& file);

  const std::filesystem::path& path() const;
  const Header& header() const;
  bool contains(const std::string& name) const;

  // One tensor, converted per `options` (options.prefix is ignored here).
  // Zero-copy (a view of the mapping) when the stored dtype is the requested
  // one, the device is the CPU and the data is aligned to its element size.
  // Throws std::out_of_range for an unknown name, std::invalid_argument when
  // options.dtype is not a floating type.
  at::Tensor load(const std::string& name, const LoadOptions& options = {}) const;

  // True when load(name, options) would return a view of the mapping.
  bool is_zero_copy(const std::string& name, const LoadOptions& options = {}) const;

  struct Impl;

 private:
  explicit SafetensorsFile(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace semdraw::io
