#pragma once
// The dtypes of the safetensors format that we read and write, with their
// ATen types and sizes. Unknown spellings are a FormatError at the caller.
#include <c10/core/ScalarType.h>

#include <cstddef>
#include <string_view>

namespace semdraw::io {

struct DtypeSpec {
  std::string_view name;  // safetensors spelling: "F32", "BF16", "I64", "BOOL", ...
  at::ScalarType type;
  std::size_t size;  // bytes per element
  // Position in the reference implementation's Dtype enum. Its writer lays
  // tensors out by descending rank, then by name; we do the same so that our
  // files are byte-identical to safetensors.torch.save of the same tensors.
  int rank;
};

// nullptr when the spelling (or the ScalarType) has no entry.
const DtypeSpec* find_dtype(std::string_view name);
const DtypeSpec* find_dtype(at::ScalarType type);

// Every spelling we accept, comma-separated, for error messages.
std::string_view supported_dtype_names();

}  // namespace semdraw::io
