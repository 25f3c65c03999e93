#include "model_maker/seeded_init.h"

#include <ATen/Parallel.h>

#include <cmath>

namespace semdraw::model {

namespace {

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t fnv1a(const std::string& text) {
  uint64_t hash = 0xCBF29CE484222325ull;
  for (unsigned char c : text) hash = (hash ^ c) * 0x100000001B3ull;
  return hash;
}

class Xoshiro256 {
 public:
  explicit Xoshiro256(uint64_t seed) {
    for (auto& word : s_) word = splitmix64(seed);
  }
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in (0, 1]: 53 random bits, never 0 (log(0) in Box-Muller).
  double uniform() { return (static_cast<double>(next() >> 11) + 1.0) * 0x1.0p-53; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

void fill_chunk(uint64_t base, int64_t chunk, float* out, int64_t count) {
  uint64_t mix = base ^ (static_cast<uint64_t>(chunk) * 0xD1B54A32D192ED03ull);
  Xoshiro256 rng(splitmix64(mix));
  constexpr double kTwoPi = 6.283185307179586476925;
  for (int64_t i = 0; i < count; i += 2) {
    const double radius = std::sqrt(-2.0 * std::log(rng.uniform()));
    const double angle = kTwoPi * rng.uniform();
    out[i] = static_cast<float>(radius * std::cos(angle));
    if (i + 1 < count) out[i + 1] = static_cast<float>(radius * std::sin(angle));
  }
}

}  // namespace

at::Tensor seeded_normal(uint64_t seed, const std::string& name, at::IntArrayRef shape) {
  at::Tensor out = at::empty(shape, at::kFloat);
  const int64_t total = out.numel();
  uint64_t seed_state = seed;
  const uint64_t base = splitmix64(seed_state) ^ fnv1a(name);
  float* data = out.data_ptr<float>();
  const int64_t chunks = (total + kChunk - 1) / kChunk;
  at::parallel_for(0, chunks, 1, [&](int64_t begin, int64_t end) {
    for (int64_t chunk = begin; chunk < end; ++chunk) {
      const int64_t offset = chunk * kChunk;
      fill_chunk(base, chunk, data + offset, std::min(kChunk, total - offset));
    }
  });
  return out;
}

at::Tensor seeded_parameter(uint64_t seed, const std::string& name, at::IntArrayRef shape, at::ScalarType dtype) {
  at::Tensor values = seeded_normal(seed, name, shape);
  const bool is_bias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
  if (shape.size() >= 2) {
    int64_t fan_in = 1;
    for (size_t i = 1; i < shape.size(); ++i) fan_in *= shape[i];
    values.mul_(1.0 / std::sqrt(static_cast<double>(fan_in)));
  } else if (!is_bias && shape.size() == 1) {
    values.mul_(0.1).add_(1.0);
  } else {
    values.mul_(0.02);
  }
  return values.to(dtype);
}

}  // namespace semdraw::model
