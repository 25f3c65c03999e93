#include "pipeline/sampler_steps.h"

#include <cmath>
#include <stdexcept>

namespace semdraw::pipeline {

SamplerSteps::SamplerSteps(SamplerChoice sampler, const sched::LcmScheduler& lcm, int steps,
                           const std::vector<int>& step_indices)
    : kind_(sampler), lcm_(&lcm) {
  if (kind_ == SamplerChoice::ModelDefault) throw std::logic_error("SamplerSteps: the sampler was not resolved");
  if (euler()) {
    const sched::EulerScheduler euler(lcm.alphas_cumprod());
    euler_schedule_ = steps > 0 ? euler.schedule_for_steps(steps) : euler.schedule_for_indices(step_indices);
    timesteps_ = euler_schedule_.timesteps;
    levels_ = euler_schedule_.levels;
    return;
  }
  timesteps_ = steps > 0 ? lcm.timesteps_for_steps(steps) : lcm.timesteps_for_indices(step_indices);
  // In double from the fp32 ᾱ table: the continuous mask ramp divides by the
  // difference of neighbouring levels, which would magnify fp32 rounding.
  for (const int64_t t : timesteps_) levels_.push_back(std::sqrt(1.0 - static_cast<double>(lcm.alpha_cumprod(t))));
}

at::Tensor SamplerSteps::start(const at::Tensor& noise) const {
  return euler() ? noise * euler_schedule_.sigmas.front() : noise;
}

at::Tensor SamplerSteps::add_noise(const at::Tensor& clean, const at::Tensor& noise, size_t k) const {
  if (euler()) return sched::EulerScheduler::add_noise(clean, noise, euler_schedule_.sigmas.at(k));
  return lcm_->add_noise(clean, noise, timesteps_.at(k));
}

at::Tensor SamplerSteps::model_input(const at::Tensor& x, size_t k) const {
  return euler() ? sched::EulerScheduler::scale_input(x, euler_schedule_.sigmas.at(k)) : x;
}

at::Tensor SamplerSteps::step(const at::Tensor& eps, const at::Tensor& x, size_t k) const {
  if (euler()) return sched::EulerScheduler::step(eps, x, euler_schedule_.dt.at(k));
  const int64_t t = timesteps_.at(k);
  const float alpha = lcm_->sqrt_alpha_cumprod(t), beta = lcm_->noise_level(t);
  const auto scalings = lcm_->boundary_scalings(t);
  return scalings.c_out * ((x - beta * eps) / alpha) + scalings.c_skip * x;
}

}  // namespace semdraw::pipeline
