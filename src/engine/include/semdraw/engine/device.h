#pragma once
// Which compute device the engine will run on. Torch-free on purpose: the app
// and the CLI include this header without pulling in LibTorch.
#include <string>

namespace semdraw {

struct ComputeDevice {
  bool cuda = false;  // true when a CUDA GPU is usable by this build
  std::string name;   // GPU name, or "CPU"
  std::string note;   // one short human sentence (why CPU, memory, ...)
  std::string torch_version;
};

// Looks at the machine once; cheap enough to call at start-up.
ComputeDevice probe_compute_device();

// Whether this CPU has bf16 arithmetic in hardware (x86 AVX512-BF16 or AMX).
// There bf16 runs the UNet about twice as fast as fp32; elsewhere it is
// emulated and slower, so the engine stays in fp32.
bool cpu_computes_bf16_natively();

// The GPU's memory as LibTorch's CUDA caching allocator counts it (device 0,
// the one the engine uses), for benchmarks and the status bar. `available`
// is false in CPU-only builds and on machines without a GPU.
struct DeviceMemory {
  bool available = false;
  long long allocated_bytes = 0;       // held by tensors now
  long long peak_allocated_bytes = 0;  // most held by tensors since reset_device_memory_peak()
  long long peak_reserved_bytes = 0;   // most the allocator took from the driver since then
  long long total_bytes = 0;           // the GPU's memory
};
DeviceMemory device_memory();
void reset_device_memory_peak();

// "0.1.0" — the project version the engine was built as.
std::string engine_version();

}  // namespace semdraw
