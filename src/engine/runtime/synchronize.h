#pragma once
// Waits until the work queued on `device` has finished (CUDA kernels run
// asynchronously; host timers around them measure only the queueing). A no-op
// on the CPU and in CPU-only builds.
#include <c10/core/Device.h>

namespace semdraw {

void synchronize(const at::Device& device);

}  // namespace semdraw
