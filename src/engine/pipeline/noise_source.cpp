#include "pipeline/noise_source.h"

#include <ATen/CPUGeneratorImpl.h>

#include <mutex>

namespace semdraw::pipeline {

NoiseSource::NoiseSource(uint64_t seed)
    : seed_(seed), generator_(at::make_generator<at::CPUGeneratorImpl>(seed)) {}

at::Tensor NoiseSource::normal(at::IntArrayRef shape, const at::TensorOptions& options) {
  if (!injected_.empty()) {
    at::Tensor next = std::move(injected_.front());
    injected_.pop_front();
    TORCH_CHECK(next.sizes() == shape, "injected noise is ", next.sizes(), " but ", shape, " was drawn");
    return next.to(options);
  }
  at::Tensor noise;
  {
    // Generators are not thread-safe by themselves (ATen's own convention).
    std::lock_guard<std::mutex> lock(generator_.mutex());
    noise = at::randn(shape, generator_, at::TensorOptions().dtype(at::kFloat));
  }
  return noise.to(options);
}

}  // namespace semdraw::pipeline
