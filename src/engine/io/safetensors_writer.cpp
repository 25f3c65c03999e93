// Writing .safetensors atomically (semdraw/fileio/atomic_write.h): a crash or
// a full disk never leaves a half-written checkpoint behind.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/safetensors.h"
#include "io/safetensors_dtype.h"
#include "semdraw/fileio/atomic_write.h"

namespace semdraw::io {
namespace {

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

  fileio::write_atomically(file, [&](fileio::TemporaryFile& output) {
    output.write(&length, sizeof length);  // little-endian host
    output.write(text.data(), text.size());
    for (const Planned& item : plan) output.write(item.data.data_ptr(), item.end - item.begin);
  });
}

}  // namespace semdraw::io
