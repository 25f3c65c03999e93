#pragma once
// Euler discrete scheduler with "trailing" timestep spacing, the sampler
// SDXL-Lightning was distilled for and the one the paper's SDXL classes run
// (docs/ALGORITHM.md §12). Behaves like diffusers' EulerDiscreteScheduler
// with timestep_spacing="trailing" and no stochastic churn (s_churn = 0, so
// every step is a deterministic ODE step and no noise is drawn after the
// start).
//
// Latents live in the variance-exploding space: x = x0 + σ·ε, with
// σ(t) = sqrt((1 − ᾱ(t)) / ᾱ(t)). The UNet sees x / sqrt(σ² + 1), which is
// the variance-preserving latent LCM works with; an ε prediction moves x from
// σ_k to σ_{k+1} by x + ε·(σ_{k+1} − σ_k).
#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

namespace semdraw::sched {

// The chosen steps of one run, with every per-step scalar a pipeline needs.
struct EulerSchedule {
  std::vector<int64_t> timesteps;  // given to the UNet, descending
  std::vector<float> sigmas;       // σ at each step (fp32, diffusers' table)
  std::vector<float> dt;           // σ_{k+1} − σ_k, with σ after the last step = 0
  // Noise level of each step as a fraction of the signal-plus-noise scale,
  // σ/sqrt(σ²+1) = sqrt(1 − ᾱ), in double: masks are quantised against it.
  std::vector<double> levels;
  size_t size() const { return timesteps.size(); }
};

class EulerScheduler {
 public:
  // The training schedule's ᾱ table (fp32, as LcmScheduler::alphas_cumprod()):
  // both samplers share the model's training noise schedule.
  explicit EulerScheduler(const at::Tensor& alphas_cumprod);

  int num_train_timesteps() const { return static_cast<int>(sigma_table_.size()); }

  // The timesteps of an n-step trailing schedule: round(1000 − k·1000/n) − 1,
  // k = 0..n−1 (4 steps: 999, 749, 499, 249). Throws std::invalid_argument
  // unless 1 <= steps <= num_train_timesteps.
  std::vector<int64_t> trailing_timesteps(int steps) const;

  // Every step of an n-step trailing schedule (SDXL-Lightning's 2/4/8).
  EulerSchedule schedule_for_steps(int steps) const;
  // The steps picked by index from a `schedule_steps`-step trailing schedule
  // (the stream's index list over 50 steps: [0,4,12,25,37] -> 999, 919, 759,
  // 499, 259, the same timesteps as LCM's). Throws on an index out of range.
  EulerSchedule schedule_for_indices(const std::vector<int>& indices, int schedule_steps = 50) const;

  // σ(t) for an integer training timestep.
  float sigma(int64_t timestep) const;

  // x0 + σ·noise, with one σ for all entries or one per entry (dim 0).
  static at::Tensor add_noise(const at::Tensor& clean, const at::Tensor& noise, float sigma);
  static at::Tensor add_noise(const at::Tensor& clean, const at::Tensor& noise, const at::Tensor& sigmas);
  // What the UNet sees: x / sqrt(σ² + 1).
  static at::Tensor scale_input(const at::Tensor& x, float sigma);
  // That divisor, sqrt(σ² + 1), in fp32 as the reference evaluates it on its σ tensor.
  static float input_divisor(float sigma);
  // One ODE step from an ε prediction: x + ε·dt, computed in fp32.
  static at::Tensor step(const at::Tensor& eps, const at::Tensor& x, float dt);
  static at::Tensor step(const at::Tensor& eps, const at::Tensor& x, const at::Tensor& dt);

 private:
  EulerSchedule schedule_from(std::vector<int64_t> timesteps) const;
  std::vector<float> sigma_table_;  // σ(t) for t = 0..num_train−1
};

}  // namespace semdraw::sched
