#include "pipeline/noise_source.h"

#include <ATen/CPUGeneratorImpl.h>

namespace semdraw::pipeline {

NoiseSource::NoiseSource(uint64_t seed) : seed_(seed), generator_(at::make_generator<at::CPUGeneratorImpl>(seed)) {}

at::Tensor NoiseSource::normal(at::IntArrayRef shape, const at::TensorOptions& options) {
  if (!injected_.empty()) {
    at::Tensor next = std::move(injected_.front());
    injected_.pop_front();
    TORCH_CHECK(next.sizes() == shape, "injected noise is ", next.sizes(), " but ", shape, " was drawn");
    return next.to(options);
  }
  // ATen's random functions lock the generator themselves (locking it here
  // too would deadlock on its non-recursive mutex).
  const at::Tensor noise = at::randn(shape, generator_, at::TensorOptions().dtype(at::kFloat));
  return noise.to(options);
}

}  // namespace semdraw::pipeline
