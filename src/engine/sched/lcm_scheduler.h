#pragma once
// Latent Consistency Model (LCM) scheduler: the training noise schedule, the
// timesteps an N-step or index-list run visits, the LCM boundary-condition
// scalings and one LCM denoising step (docs/ALGORITHM.md §1).
//
// Behaves like diffusers' LCMScheduler with its default (SD1.5 LCM-LoRA)
// configuration. The per-timestep scalars are computed with the same fp32
// tensor ops as the reference, so results agree bit for bit on the same
// LibTorch build; tensors are only touched by element-wise ops with host scalars,
// which keeps every call free of device synchronisation and dtype-agnostic
// (fp32 on CPU, fp16 on CUDA).
#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

namespace semdraw::sched {

struct LcmConfig {
  int num_train_timesteps = 1000;
  // Scaled-linear betas: linspace(sqrt(start), sqrt(end), num_train)^2.
  double beta_start = 0.00085;
  double beta_end = 0.012;
  // LCM distils onto a coarse schedule: timesteps k·(1000/50) − 1.
  int original_inference_steps = 50;
  // Boundary scalings use t' = timestep_scaling·t and σ_data.
  double timestep_scaling = 10.0;
  double sigma_data = 0.5;
};

// Scalings of the consistency-model boundary condition at one timestep:
// denoised = c_out·x0 + c_skip·x.
struct BoundaryScalings {
  float c_skip = 0;
  float c_out = 0;
};

// Per-entry scalars of a batch at mixed timesteps, each [B,1,…,1] fp32 on
// the batch's device: made once (a stream makes them when its schedule
// changes), so a call that uses them copies nothing from the host.
struct LcmEntryScalars {
  at::Tensor signal;  // sqrt(ᾱ)
  at::Tensor noise;   // sqrt(1 − ᾱ)
  at::Tensor c_skip, c_out;
};

struct LcmStepResult {
  at::Tensor x0;        // predicted clean latent (x − sqrt(1−ᾱ)·ε)/sqrt(ᾱ)
  at::Tensor denoised;  // c_out·x0 + c_skip·x
};

class LcmScheduler {
 public:
  explicit LcmScheduler(LcmConfig config = {});

  const LcmConfig& config() const { return config_; }

  // The original_inference_steps-step schedule, descending: 999, 979, …, 19.
  std::vector<int64_t> original_timesteps() const;

  // The timesteps diffusers' LCMScheduler.set_timesteps(steps) picks
  // (steps evenly spaced by index over the descending original schedule,
  // index floor(i·50/steps)). Throws std::invalid_argument unless
  // 1 <= steps <= original_inference_steps.
  std::vector<int64_t> timesteps_for_steps(int steps) const;
  // The indices into the original schedule that timesteps_for_steps picks.
  std::vector<int> indices_for_steps(int steps) const;

  // Timesteps selected by indices into the original schedule (the stream
  // pipeline's step list): [0,4,12,25,37] -> [999,919,759,499,259]. Throws
  // std::invalid_argument for an index out of range.
  std::vector<int64_t> timesteps_for_indices(const std::vector<int>& indices) const;

  // ᾱ(t) for 0 <= t < num_train_timesteps (fp32, as the reference table).
  float alpha_cumprod(int64_t timestep) const;
  // Noise level sqrt(1 − ᾱ(t)).
  float noise_level(int64_t timestep) const;
  // Signal level sqrt(ᾱ(t)).
  float sqrt_alpha_cumprod(int64_t timestep) const;
  // The whole ᾱ table as a CPU fp32 tensor [num_train_timesteps].
  const at::Tensor& alphas_cumprod() const { return alphas_cumprod_; }

  BoundaryScalings boundary_scalings(int64_t timestep) const;

  // Forward diffusion: sqrt(ᾱ(t))·x0 + sqrt(1−ᾱ(t))·noise (one t for all).
  at::Tensor add_noise(const at::Tensor& original, const at::Tensor& noise, int64_t timestep) const;
  // One timestep per batch entry (dim 0), e.g. a stream batch at mixed steps.
  at::Tensor add_noise(const at::Tensor& original, const at::Tensor& noise,
                       const std::vector<int64_t>& timesteps) const;

  // The per-entry scalars of `timesteps` (one per batch entry) for tensors
  // of `dims` dimensions on `device`.
  LcmEntryScalars entry_scalars(const std::vector<int64_t>& timesteps, int64_t dims, at::Device device) const;
  // add_noise and step with one timestep per entry, from its scalars.
  static at::Tensor add_noise(const at::Tensor& original, const at::Tensor& noise, const LcmEntryScalars& scalars);
  static LcmStepResult step(const at::Tensor& model_output, const LcmEntryScalars& scalars, const at::Tensor& sample);

  // One LCM step for ε-prediction at timestep t.
  LcmStepResult step(const at::Tensor& model_output, int64_t timestep, const at::Tensor& sample) const;
  // The same with one timestep per batch entry (dim 0).
  LcmStepResult step(const at::Tensor& model_output, const std::vector<int64_t>& timesteps,
                     const at::Tensor& sample) const;

  // What diffusers' step returns as prev_sample: the denoised latent re-noised
  // to the next timestep with `noise`, or `denoised` itself after the last step
  // (next_timestep < 0).
  at::Tensor renoise(const at::Tensor& denoised, const at::Tensor& noise, int64_t next_timestep) const;

 private:
  void check_timestep(int64_t timestep) const;
  // Throws unless `like` has one batch entry per timestep.
  static void check_batch(const std::vector<int64_t>& timesteps, const at::Tensor& like);

  LcmConfig config_;
  at::Tensor alphas_cumprod_;  // fp32 CPU
  // Host-side per-timestep tables (see the constructor for why they are tabulated).
  std::vector<float> alpha_table_, sqrt_alpha_table_, sqrt_one_minus_alpha_table_, c_skip_table_, c_out_table_;
};

}  // namespace semdraw::sched
