// Only meaningful in builds linked against LibTorch's CUDA library.
#ifdef SEMDRAW_HAVE_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>

#include "runtime/synchronize.h"
#include "semdraw/engine/device.h"

namespace semdraw {

bool describe_cuda_device(ComputeDevice& out) {
  if (!at::cuda::is_available()) return false;
  const auto* props = at::cuda::getDeviceProperties(at::cuda::current_device());
  out.cuda = true;
  out.name = props->name;
  out.note = std::to_string(props->totalGlobalMem >> 20) + " MiB, compute capability " + std::to_string(props->major) +
             "." + std::to_string(props->minor);
  return true;
}

// The caching allocator only sets itself up for a device on its first CUDA
// allocation; before that its statistics calls throw ("Invalid device
// argument"). Nothing allocated yet means zero use and no peak to reset.
DeviceMemory cuda_device_memory() {
  DeviceMemory out;
  if (!at::cuda::is_available()) return out;
  const auto device = at::cuda::current_device();
  out.available = true;
  out.total_bytes = static_cast<long long>(at::cuda::getDeviceProperties(device)->totalGlobalMem);
  try {
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device);
    // Index 0 is StatType::AGGREGATE (all pools); the enum's namespace has
    // moved between LibTorch releases, its value has not.
    constexpr size_t kAggregate = 0;
    out.allocated_bytes = stats.allocated_bytes[kAggregate].current;
    out.peak_allocated_bytes = stats.allocated_bytes[kAggregate].peak;
    out.peak_reserved_bytes = stats.reserved_bytes[kAggregate].peak;
  } catch (const c10::Error&) {
    // Allocator not initialised for this device yet: the zeros above are true.
  }
  return out;
}

void reset_cuda_memory_peak() {
  if (!at::cuda::is_available()) return;
  try {
    c10::cuda::CUDACachingAllocator::resetPeakStats(at::cuda::current_device());
  } catch (const c10::Error&) {
    // Nothing allocated on the device yet, so there is no peak to reset.
  }
}

void synchronize(const at::Device& device) {
  if (device.is_cuda()) c10::cuda::device_synchronize();
}

}  // namespace semdraw
#endif
