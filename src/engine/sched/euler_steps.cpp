#include "sched/euler_steps.h"

namespace semdraw::sched {

namespace {
class EulerBatchSteps final : public BatchSteps {
 public:
  EulerBatchSteps(const EulerSchedule& schedule, const std::vector<int64_t>& timesteps, int64_t per_step,
                  size_t first_step, at::Device device) {
    std::vector<float> sigma, divisor, dt;
    for (size_t k = first_step; k < schedule.size(); ++k) {
      sigma.insert(sigma.end(), static_cast<size_t>(per_step), schedule.sigmas[k]);
      divisor.insert(divisor.end(), static_cast<size_t>(per_step), EulerScheduler::input_divisor(schedule.sigmas[k]));
      dt.insert(dt.end(), static_cast<size_t>(per_step), schedule.dt[k]);
    }
    // In fp32 on the device, as the reference divides by its fp32 σ tensor.
    const auto column = [&](const std::vector<float>& values) {
      return at::tensor(values, at::kFloat).view({static_cast<int64_t>(values.size()), 1, 1, 1}).to(device);
    };
    sigma_ = column(sigma);
    input_divisor_ = column(divisor);
    dt_ = column(dt);
    timesteps_ = at::tensor(timesteps, at::kLong).to(device);
  }
  at::Tensor model_input(const at::Tensor& x) const override { return (x / input_divisor_).to(x.scalar_type()); }
  at::Tensor step(const at::Tensor& prediction, const at::Tensor& x) const override {
    return EulerScheduler::step(prediction, x, dt_);
  }
  at::Tensor add_noise(const at::Tensor& clean, const at::Tensor& noise) const override {
    return EulerScheduler::add_noise(clean, noise, sigma_);
  }

 private:
  at::Tensor sigma_, input_divisor_, dt_;  // [B,1,1,1] fp32
};
}  // namespace

EulerSteps::EulerSteps(EulerSchedule schedule) : schedule_(std::move(schedule)) {
  timesteps_ = schedule_.timesteps;
  levels_ = schedule_.levels;
}

at::Tensor EulerSteps::start(const at::Tensor& noise) const { return noise * schedule_.sigmas.front(); }

at::Tensor EulerSteps::add_noise(const at::Tensor& clean, const at::Tensor& noise, size_t k) const {
  return EulerScheduler::add_noise(clean, noise, schedule_.sigmas.at(k));
}

at::Tensor EulerSteps::model_input(const at::Tensor& x, size_t k) const {
  return EulerScheduler::scale_input(x, schedule_.sigmas.at(k));
}

at::Tensor EulerSteps::step(const at::Tensor& prediction, const at::Tensor& x, size_t k) const {
  return EulerScheduler::step(prediction, x, schedule_.dt.at(k));
}

at::Tensor EulerSteps::output_level(const at::Tensor& clean, const at::Tensor& noise, size_t k) const {
  return k + 1 < size() ? add_noise(clean, noise, k + 1) : clean;
}

std::unique_ptr<BatchSteps> EulerSteps::batch(int64_t per_step, const at::TensorOptions& options,
                                              size_t first_step) const {
  return std::make_unique<EulerBatchSteps>(schedule_, entry_timesteps(per_step, first_step), per_step, first_step,
                                           options.device());
}

}  // namespace semdraw::sched
