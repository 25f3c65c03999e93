#pragma once
// One run's steps of a sampler, as the region pipelines use them
// (docs/ALGORITHM.md §12): where the latent starts, how a clean latent is
// noised to a step's level, what the denoiser is given, and how a step's
// prediction moves the latent. A model family's scheduler makes these; the
// pipelines call them and hold no sampler arithmetic of their own.
//
// Two kinds of step exist:
//  * renoising (LCM): a step returns the clean estimate; the pipeline
//    aggregates it and noises it again to the next level with fresh noise;
//  * landing (Euler): a step lands on the next step's level itself, so the
//    pipeline aggregates latents that are already noised and draws nothing
//    after the start.
#include <ATen/ATen.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace semdraw::sched {

// The steps for a batch with `per_step` entries for each step, step-major
// (entry k·per_step + i is at step k): per-entry tables on the batch's
// device, made once (the stream makes them when its schedule or its region
// count changes), so a call copies nothing from the host.
class BatchSteps {
 public:
  virtual ~BatchSteps() = default;
  // [B] int64 on the device: each entry's timestep, for the denoiser.
  const at::Tensor& timesteps() const { return timesteps_; }
  // What the denoiser is given for the entries x.
  virtual at::Tensor model_input(const at::Tensor& x) const = 0;
  // Each entry's step (StepSchedule::step).
  virtual at::Tensor step(const at::Tensor& prediction, const at::Tensor& x) const = 0;
  // Each entry's clean latent noised to its step's level.
  virtual at::Tensor add_noise(const at::Tensor& clean, const at::Tensor& noise) const = 0;

 protected:
  at::Tensor timesteps_;
};

class StepSchedule {
 public:
  virtual ~StepSchedule() = default;

  size_t size() const { return timesteps_.size(); }
  const std::vector<int64_t>& timesteps() const { return timesteps_; }
  // Each step's noise level as a fraction of the signal-plus-noise scale, in
  // double: masks are quantised against it (docs/ALGORITHM.md §2).
  const std::vector<double>& levels() const { return levels_; }
  // True for renoising steps (see the top of this file), false for landing ones.
  virtual bool renoises() const = 0;

  // The step-0 latent from pure noise.
  virtual at::Tensor start(const at::Tensor& noise) const = 0;
  // A clean latent noised to step k's level.
  virtual at::Tensor add_noise(const at::Tensor& clean, const at::Tensor& noise, size_t k) const = 0;
  // What the denoiser is given for the latent x at step k.
  virtual at::Tensor model_input(const at::Tensor& x, size_t k) const = 0;
  // A renoising step: the clean estimate; a landing step: the latent at
  // step k+1's level (clean after the last step).
  virtual at::Tensor step(const at::Tensor& prediction, const at::Tensor& x, size_t k) const = 0;
  // A clean latent at the level of step k's output (so it can join what the
  // step produced): itself for renoising steps, noised to step k+1's level
  // with `noise` for landing ones (itself after the last step).
  virtual at::Tensor output_level(const at::Tensor& clean, const at::Tensor& noise, size_t k) const = 0;
  // The stream's background targets [T,…] (docs/ALGORITHM.md §8 step 5): row k
  // is `clean` [1,…] at step k's output level with `next_noise` row k (the
  // noise of step k+1). Schedulers whose reference stream differs override it.
  virtual at::Tensor stream_background_targets(const at::Tensor& clean, const at::Tensor& next_noise) const;

  // Tables for a batch of steps first_step..T−1, `per_step` entries each.
  virtual std::unique_ptr<BatchSteps> batch(int64_t per_step, const at::TensorOptions& options,
                                            size_t first_step = 0) const = 0;

 protected:
  // The timesteps of steps first_step.., each repeated `per_step` times.
  std::vector<int64_t> entry_timesteps(int64_t per_step, size_t first_step) const;

  std::vector<int64_t> timesteps_;
  std::vector<double> levels_;
};

}  // namespace semdraw::sched
