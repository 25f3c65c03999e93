#pragma once
// All randomness of a generation comes from here (docs/ALGORITHM.md §9): one seeded
// CPU generator, drawn in a documented order by the pipelines, so the same
// seed gives the same noise on every device (CUDA results then differ only by
// arithmetic, never by random draws).
#include <ATen/ATen.h>

#include <cstdint>
#include <deque>

namespace semdraw::pipeline {

class NoiseSource {
 public:
  explicit NoiseSource(uint64_t seed);
  // Standard normal noise of `shape`, drawn on the CPU in fp32, then moved to
  // the requested device and dtype.
  at::Tensor normal(at::IntArrayRef shape, const at::TensorOptions& options);
  uint64_t seed() const { return seed_; }

  // Tests compare implementations on identical noise: injected tensors are
  // returned by the next normal() calls, in order, before any random draw
  // (each must have the requested shape).
  void inject(std::deque<at::Tensor> tensors) { injected_ = std::move(tensors); }
  size_t injected_left() const { return injected_.size(); }

 private:
  uint64_t seed_;
  at::Generator generator_;
  std::deque<at::Tensor> injected_;
};

}  // namespace semdraw::pipeline
