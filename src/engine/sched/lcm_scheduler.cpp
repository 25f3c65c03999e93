#include "sched/lcm_scheduler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace semdraw::sched {

namespace {

// Reduced-precision latents (fp16/bf16 on a GPU) are stepped in fp32: x0
// divides by sqrt(ᾱ) ≈ 0.07 at t = 999, which fp16 intermediates would blur.
at::Tensor to_compute(const at::Tensor& tensor) {
  return at::isReducedFloatingType(tensor.scalar_type()) ? tensor.to(at::kFloat) : tensor;
}

}  // namespace

LcmScheduler::LcmScheduler(LcmConfig config) : config_(config) {
  if (config_.num_train_timesteps < 1) throw std::invalid_argument("LCM scheduler: num_train_timesteps must be >= 1");
  if (config_.original_inference_steps < 1 || config_.original_inference_steps > config_.num_train_timesteps) {
    throw std::invalid_argument("LCM scheduler: original_inference_steps must be in 1.." +
                                std::to_string(config_.num_train_timesteps));
  }
  // Every per-timestep scalar is tabulated once with the same fp32 tensor
  // ops the reference applies (linspace, square, 1 − β, cumprod; sqrt; the
  // boundary scalings on the timestep as a tensor). ATen's vectorised sqrt
  // is not always correctly rounded, so std::sqrt would differ by an ulp.
  const auto fp32 = at::TensorOptions().dtype(at::kFloat);
  const at::Tensor betas =
      at::linspace(std::sqrt(config_.beta_start), std::sqrt(config_.beta_end), config_.num_train_timesteps, fp32)
          .pow(2);
  alphas_cumprod_ = at::cumprod(1.0 - betas, 0).contiguous();
  const at::Tensor scaled = at::arange(config_.num_train_timesteps, at::kLong) * config_.timestep_scaling;  // fp32
  const double sigma2 = config_.sigma_data * config_.sigma_data;
  const at::Tensor denominator = scaled.pow(2) + sigma2;
  const auto table = [](const at::Tensor& values) {
    const at::Tensor contiguous = values.to(at::kFloat).contiguous();
    return std::vector<float>(contiguous.data_ptr<float>(), contiguous.data_ptr<float>() + contiguous.numel());
  };
  alpha_table_ = table(alphas_cumprod_);
  sqrt_alpha_table_ = table(alphas_cumprod_.sqrt());
  sqrt_one_minus_alpha_table_ = table((1.0 - alphas_cumprod_).sqrt());
  c_skip_table_ = table(denominator.reciprocal() * sigma2);  // how Python evaluates σ² / tensor
  c_out_table_ = table(scaled / denominator.pow(0.5));
}

std::vector<int64_t> LcmScheduler::original_timesteps() const {
  const int64_t stride = config_.num_train_timesteps / config_.original_inference_steps;
  std::vector<int64_t> timesteps;
  timesteps.reserve(config_.original_inference_steps);
  for (int64_t i = config_.original_inference_steps; i >= 1; --i) timesteps.push_back(i * stride - 1);
  return timesteps;
}

std::vector<int> LcmScheduler::indices_for_steps(int steps) const {
  const int original = config_.original_inference_steps;
  if (steps < 1 || steps > original) {
    throw std::invalid_argument("LCM scheduler: " + std::to_string(steps) +
                                " steps requested; an LCM schedule has 1.." + std::to_string(original) + " steps");
  }
  // numpy's floor(linspace(0, len, steps, endpoint=False)) computes
  // i·(len/steps) in double; the same expression keeps equal rounding.
  const double spacing = static_cast<double>(original) / static_cast<double>(steps);
  std::vector<int> indices;
  indices.reserve(steps);
  for (int i = 0; i < steps; ++i) indices.push_back(static_cast<int>(std::floor(static_cast<double>(i) * spacing)));
  return indices;
}

std::vector<int64_t> LcmScheduler::timesteps_for_steps(int steps) const {
  return timesteps_for_indices(indices_for_steps(steps));
}

std::vector<int64_t> LcmScheduler::timesteps_for_indices(const std::vector<int>& indices) const {
  const std::vector<int64_t> schedule = original_timesteps();
  std::vector<int64_t> timesteps;
  timesteps.reserve(indices.size());
  for (int index : indices) {
    if (index < 0 || index >= static_cast<int>(schedule.size())) {
      throw std::invalid_argument("LCM scheduler: step index " + std::to_string(index) + " is outside the " +
                                  std::to_string(schedule.size()) + "-step schedule (0.." +
                                  std::to_string(schedule.size() - 1) + ")");
    }
    timesteps.push_back(schedule[index]);
  }
  return timesteps;
}

void LcmScheduler::check_timestep(int64_t timestep) const {
  if (timestep < 0 || timestep >= config_.num_train_timesteps) {
    throw std::invalid_argument("LCM scheduler: timestep " + std::to_string(timestep) + " is outside 0.." +
                                std::to_string(config_.num_train_timesteps - 1));
  }
}

float LcmScheduler::alpha_cumprod(int64_t timestep) const {
  check_timestep(timestep);
  return alpha_table_[static_cast<size_t>(timestep)];
}

float LcmScheduler::noise_level(int64_t timestep) const {
  check_timestep(timestep);
  return sqrt_one_minus_alpha_table_[static_cast<size_t>(timestep)];
}

float LcmScheduler::sqrt_alpha_cumprod(int64_t timestep) const {
  check_timestep(timestep);
  return sqrt_alpha_table_[static_cast<size_t>(timestep)];
}

BoundaryScalings LcmScheduler::boundary_scalings(int64_t timestep) const {
  check_timestep(timestep);
  return {c_skip_table_[static_cast<size_t>(timestep)], c_out_table_[static_cast<size_t>(timestep)]};
}

void LcmScheduler::check_batch(const std::vector<int64_t>& timesteps, const at::Tensor& like) {
  if (like.dim() < 1 || like.size(0) != static_cast<int64_t>(timesteps.size())) {
    throw std::invalid_argument("LCM scheduler: " + std::to_string(timesteps.size()) +
                                " timesteps given for a batch of " + std::to_string(like.dim() ? like.size(0) : 0));
  }
}

LcmEntryScalars LcmScheduler::entry_scalars(const std::vector<int64_t>& timesteps, int64_t dims,
                                            at::Device device) const {
  std::vector<float> signal, noise, c_skip, c_out;
  for (const int64_t t : timesteps) {
    const BoundaryScalings scalings = boundary_scalings(t);
    signal.push_back(sqrt_alpha_cumprod(t));
    noise.push_back(noise_level(t));
    c_skip.push_back(scalings.c_skip);
    c_out.push_back(scalings.c_out);
  }
  std::vector<int64_t> shape(static_cast<size_t>(std::max<int64_t>(dims, 1)), 1);
  shape[0] = static_cast<int64_t>(timesteps.size());
  const auto column = [&](const std::vector<float>& values) {
    at::Tensor host = at::tensor(at::ArrayRef<float>(values), at::TensorOptions().dtype(at::kFloat)).view(shape);
    if (device.is_cpu()) return host;
    // Pinned + non_blocking: the upload is queued on the stream, no host sync.
    return host.pin_memory().to(device, at::kFloat, /*non_blocking=*/true);
  };
  return {column(signal), column(noise), column(c_skip), column(c_out)};
}

at::Tensor LcmScheduler::add_noise(const at::Tensor& original, const at::Tensor& noise, int64_t timestep) const {
  const at::Tensor x = to_compute(original);
  const at::Tensor n = to_compute(noise);
  return (x * sqrt_alpha_cumprod(timestep) + n * noise_level(timestep)).to(original.scalar_type());
}

at::Tensor LcmScheduler::add_noise(const at::Tensor& original, const at::Tensor& noise,
                                   const std::vector<int64_t>& timesteps) const {
  check_batch(timesteps, original);
  return add_noise(original, noise, entry_scalars(timesteps, original.dim(), original.device()));
}

at::Tensor LcmScheduler::add_noise(const at::Tensor& original, const at::Tensor& noise,
                                   const LcmEntryScalars& scalars) {
  const at::Tensor x = to_compute(original);
  const at::Tensor n = to_compute(noise);
  return (scalars.signal * x + scalars.noise * n).to(original.scalar_type());
}

LcmStepResult LcmScheduler::step(const at::Tensor& model_output, int64_t timestep, const at::Tensor& sample) const {
  const BoundaryScalings scalings = boundary_scalings(timestep);
  const at::Tensor x = to_compute(sample);
  const at::Tensor eps = to_compute(model_output);
  // Same operation order as the reference: (x − sqrt(1−ᾱ)·ε) / sqrt(ᾱ).
  at::Tensor x0 = (x - eps * noise_level(timestep)) / sqrt_alpha_cumprod(timestep);
  at::Tensor denoised = x0 * scalings.c_out + x * scalings.c_skip;
  return {x0.to(sample.scalar_type()), denoised.to(sample.scalar_type())};
}

LcmStepResult LcmScheduler::step(const at::Tensor& model_output, const std::vector<int64_t>& timesteps,
                                 const at::Tensor& sample) const {
  check_batch(timesteps, sample);
  return step(model_output, entry_scalars(timesteps, sample.dim(), sample.device()), sample);
}

LcmStepResult LcmScheduler::step(const at::Tensor& model_output, const LcmEntryScalars& scalars,
                                 const at::Tensor& sample) {
  const at::Tensor x = to_compute(sample);
  const at::Tensor eps = to_compute(model_output);
  at::Tensor x0 = (x - eps * scalars.noise) / scalars.signal;
  at::Tensor denoised = x0 * scalars.c_out + x * scalars.c_skip;
  return {x0.to(sample.scalar_type()), denoised.to(sample.scalar_type())};
}

at::Tensor LcmScheduler::renoise(const at::Tensor& denoised, const at::Tensor& noise, int64_t next_timestep) const {
  if (next_timestep < 0) return denoised;
  return add_noise(denoised, noise, next_timestep);
}

}  // namespace semdraw::sched
