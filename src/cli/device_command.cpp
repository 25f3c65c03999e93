#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "semdraw/engine/device.h"

namespace semdraw::cli {

int run_device(const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::printf("Usage: semdraw-cli device\nPrints {cuda, name, note, torch, version} as one JSON line.\n");
    return 0;
  }
  const ComputeDevice device = probe_compute_device();
  const nlohmann::json out = {{"cuda", device.cuda},
                              {"name", device.name},
                              {"note", device.note},
                              {"torch", device.torch_version},
                              {"version", engine_version()}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace semdraw::cli
