#pragma once
// Reading and writing .safetensors files (the only weight format we load:
// pickle checkpoints execute code when loaded and are refused).
//
// INTERFACE CONTRACT shared by the whole engine; the io helper implements it
// in safetensors.cpp. Other code may rely on exactly these declarations.
#include <ATen/ATen.h>

#include <filesystem>
#include <map>
#include <string>

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
void save_safetensors(const std::filesystem::path& file, const StateDict& tensors,
                      const std::map<std::string, std::string>& metadata = {});

}  // namespace semdraw::io
