#pragma once
// The parts of a render that depend on the sampler (docs/ALGORITHM.md §12),
// for the steps one render visits: where the latent starts, how a clean
// latent is noised to a step's level, what the UNet sees, and how a step's
// ε prediction moves the latent.
//
//  * LCM: latents are variance-preserving (sqrt(ᾱ)·x0 + sqrt(1−ᾱ)·ε); a step
//    returns the boundary-condition clean estimate, which the pipeline
//    aggregates and re-noises to the next level with fresh noise.
//  * Euler (trailing): latents are x0 + σ·ε; a step is a deterministic ODE
//    step straight to the next level, so the pipeline aggregates latents that
//    are already noised and draws no noise after the start.
#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

#include "sched/euler_scheduler.h"
#include "sched/lcm_scheduler.h"
#include "semdraw/engine/scene.h"

namespace semdraw::pipeline {

// The scene's choice, with ModelDefault replaced by the model's own sampler.
inline SamplerChoice resolve_sampler(SamplerChoice chosen, SamplerChoice model_default) {
  return chosen == SamplerChoice::ModelDefault ? model_default : chosen;
}

class SamplerSteps {
 public:
  // `sampler` must be resolved (not ModelDefault). `steps` > 0 picks that
  // many steps the way diffusers' set_timesteps does; otherwise
  // `step_indices` pick steps of the 50-step schedule. Both samplers use the
  // training noise schedule of `lcm` (the model's ᾱ table).
  SamplerSteps(SamplerChoice sampler, const sched::LcmScheduler& lcm, int steps, const std::vector<int>& step_indices);

  SamplerChoice kind() const { return kind_; }
  bool euler() const { return kind_ == SamplerChoice::EulerTrailing; }
  size_t size() const { return timesteps_.size(); }
  const std::vector<int64_t>& timesteps() const { return timesteps_; }
  // Each step's noise level sqrt(1 − ᾱ) in double, for mask quantisation.
  const std::vector<double>& levels() const { return levels_; }

  // The step-0 latent from pure noise: the noise itself (LCM), or scaled to
  // the first step's σ (Euler).
  at::Tensor start(const at::Tensor& noise) const;
  // A clean latent noised to step k's level.
  at::Tensor add_noise(const at::Tensor& clean, const at::Tensor& noise, size_t k) const;
  // What the UNet is given for the latent x at step k.
  at::Tensor model_input(const at::Tensor& x, size_t k) const;
  // LCM: the clean estimate; Euler: the latent at step k+1's level (clean after the last step).
  at::Tensor step(const at::Tensor& eps, const at::Tensor& x, size_t k) const;

  // Per-step scalars (host), for pipelines that batch several steps.
  const sched::EulerSchedule& euler_schedule() const { return euler_schedule_; }
  const sched::LcmScheduler& lcm() const { return *lcm_; }

 private:
  SamplerChoice kind_;
  const sched::LcmScheduler* lcm_;
  sched::EulerSchedule euler_schedule_;  // Euler only
  std::vector<int64_t> timesteps_;
  std::vector<double> levels_;
};

}  // namespace semdraw::pipeline
