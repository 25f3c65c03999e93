// Only meaningful in builds linked against LibTorch's CUDA library.
#ifdef SEMDRAW_HAVE_CUDA
#include "semdraw/engine/device.h"

#include <ATen/cuda/CUDAContext.h>

namespace semdraw {

bool describe_cuda_device(ComputeDevice& out) {
  if (!at::cuda::is_available()) return false;
  const auto* props = at::cuda::getDeviceProperties(at::cuda::current_device());
  out.cuda = true;
  out.name = props->name;
  out.note = std::to_string(props->totalGlobalMem >> 20) + " MiB, compute capability " +
             std::to_string(props->major) + "." + std::to_string(props->minor);
  return true;
}

}  // namespace semdraw
#endif
