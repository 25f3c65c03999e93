#pragma once
// Which compute device the engine will run on. Torch-free on purpose: the app
// and the CLI include this header without pulling in LibTorch.
#include <string>

namespace semdraw {

struct ComputeDevice {
  bool cuda = false;       // true when a CUDA GPU is usable by this build
  std::string name;        // GPU name, or "CPU"
  std::string note;        // one short human sentence (why CPU, memory, ...)
  std::string torch_version;
};

// Looks at the machine once; cheap enough to call at start-up.
ComputeDevice probe_compute_device();

// "0.1.0" — the project version the engine was built as.
std::string engine_version();

}  // namespace semdraw
