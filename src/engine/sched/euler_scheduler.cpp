#include "sched/euler_scheduler.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace semdraw::sched {

namespace {

// Latents in fp16/bf16 are stepped in fp32 (x reaches σ ≈ 14.6 at t = 999),
// as diffusers upcasts the sample in its step.
at::Tensor to_compute(const at::Tensor& tensor) {
  return at::isReducedFloatingType(tensor.scalar_type()) ? tensor.to(at::kFloat) : tensor;
}

}  // namespace

EulerScheduler::EulerScheduler(const at::Tensor& alphas_cumprod) {
  // The same fp32 tensor expression as the reference, so σ agrees bit for bit.
  const at::Tensor alphas = alphas_cumprod.to(at::kCPU, at::kFloat);
  const at::Tensor sigmas = ((1.0 - alphas) / alphas).pow(0.5).contiguous();
  sigma_table_.assign(sigmas.data_ptr<float>(), sigmas.data_ptr<float>() + sigmas.numel());
}

std::vector<int64_t> EulerScheduler::trailing_timesteps(int steps) const {
  const int train = num_train_timesteps();
  if (steps < 1 || steps > train) {
    throw std::invalid_argument("Euler scheduler: " + std::to_string(steps) + " steps requested; a schedule has 1.." +
                                std::to_string(train) + " steps");
  }
  // numpy's arange(train, 0, -train/steps).round() − 1, reproduced to the
  // last bit: arange stores start and start + step, then fills entry i with
  // start + i·(second − start), a step rounded once more than −train/steps;
  // round() is half to even (nearbyint in the default rounding mode).
  const double start = static_cast<double>(train);
  const double second = start - static_cast<double>(train) / static_cast<double>(steps);
  const double delta = second - start;
  std::vector<int64_t> timesteps;
  timesteps.reserve(static_cast<size_t>(steps));
  for (int i = 0; i < steps; ++i) {
    const double value = i == 0 ? start : i == 1 ? second : start + i * delta;
    timesteps.push_back(static_cast<int64_t>(std::nearbyint(value)) - 1);
  }
  return timesteps;
}

float EulerScheduler::sigma(int64_t timestep) const {
  if (timestep < 0 || timestep >= num_train_timesteps()) {
    throw std::invalid_argument("Euler scheduler: timestep " + std::to_string(timestep) + " is outside 0.." +
                                std::to_string(num_train_timesteps() - 1));
  }
  return sigma_table_[static_cast<size_t>(timestep)];
}

EulerSchedule EulerScheduler::schedule_from(std::vector<int64_t> timesteps) const {
  EulerSchedule schedule;
  schedule.timesteps = std::move(timesteps);
  for (const int64_t t : schedule.timesteps) {
    const float s = sigma(t);
    schedule.sigmas.push_back(s);
    const double sd = s;
    schedule.levels.push_back(sd / std::sqrt(sd * sd + 1.0));
  }
  for (size_t k = 0; k < schedule.sigmas.size(); ++k) {
    const float next = k + 1 < schedule.sigmas.size() ? schedule.sigmas[k + 1] : 0.f;
    schedule.dt.push_back(next - schedule.sigmas[k]);  // fp32, as the reference subtracts fp32 tensors
  }
  return schedule;
}

EulerSchedule EulerScheduler::schedule_for_steps(int steps) const { return schedule_from(trailing_timesteps(steps)); }

EulerSchedule EulerScheduler::schedule_for_indices(const std::vector<int>& indices, int schedule_steps) const {
  const std::vector<int64_t> all = trailing_timesteps(schedule_steps);
  std::vector<int64_t> picked;
  for (const int index : indices) {
    if (index < 0 || index >= static_cast<int>(all.size())) {
      throw std::invalid_argument("Euler scheduler: step index " + std::to_string(index) + " is outside the " +
                                  std::to_string(all.size()) + "-step schedule (0.." + std::to_string(all.size() - 1) +
                                  ")");
    }
    picked.push_back(all[static_cast<size_t>(index)]);
  }
  return schedule_from(std::move(picked));
}

at::Tensor EulerScheduler::add_noise(const at::Tensor& clean, const at::Tensor& noise, float sigma) {
  return (to_compute(clean) + to_compute(noise) * sigma).to(clean.scalar_type());
}

at::Tensor EulerScheduler::add_noise(const at::Tensor& clean, const at::Tensor& noise, const at::Tensor& sigmas) {
  return (to_compute(clean) + sigmas * to_compute(noise)).to(clean.scalar_type());
}

float EulerScheduler::input_divisor(float sigma) { return std::pow(sigma * sigma + 1.f, 0.5f); }

at::Tensor EulerScheduler::scale_input(const at::Tensor& x, float sigma) { return x / input_divisor(sigma); }

at::Tensor EulerScheduler::step(const at::Tensor& eps, const at::Tensor& x, float dt) {
  return (to_compute(x) + to_compute(eps) * dt).to(x.scalar_type());
}

at::Tensor EulerScheduler::step(const at::Tensor& eps, const at::Tensor& x, const at::Tensor& dt) {
  return (to_compute(x) + to_compute(eps) * dt).to(x.scalar_type());
}

}  // namespace semdraw::sched
