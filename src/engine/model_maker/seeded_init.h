#pragma once
// Deterministic random weights for made-up test and benchmark models.
//
// Every value comes from our own generator (splitmix64-seeded xoshiro256**,
// Box-Muller), seeded by hashing (seed, tensor name, chunk index), never from
// torch's generator: the bytes of a made model stay the same across torch
// versions, thread counts and machines. Tensors are generated in fixed chunks
// of kChunk values so the work parallelises without changing the result.
#include <ATen/ATen.h>

#include <cstdint>
#include <string>

namespace semdraw::model {

inline constexpr int64_t kChunk = int64_t{1} << 16;

// Standard normal float32 values for (seed, name) with the given shape.
at::Tensor seeded_normal(uint64_t seed, const std::string& name, at::IntArrayRef shape);

// A parameter initialised by its role so activations stay O(1) through deep
// stacks: matrices and kernels ~ N(0, 1/fan_in); biases ~ N(0, 0.02^2);
// 1-D weights (GroupNorm / LayerNorm scales) ~ 1 + N(0, 0.1^2).
at::Tensor seeded_parameter(uint64_t seed, const std::string& name, at::IntArrayRef shape, at::ScalarType dtype);

}  // namespace semdraw::model
