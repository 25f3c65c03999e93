#include "sched/lcm_steps.h"

#include <cmath>

namespace semdraw::sched {

namespace {
class LcmBatchSteps final : public BatchSteps {
 public:
  LcmBatchSteps(const LcmScheduler& scheduler, const std::vector<int64_t>& timesteps, at::Device device)
      : scalars_(scheduler.entry_scalars(timesteps, /*dims=*/4, device)) {
    timesteps_ = at::tensor(timesteps, at::kLong).to(device);
  }
  at::Tensor model_input(const at::Tensor& x) const override { return x; }
  at::Tensor step(const at::Tensor& prediction, const at::Tensor& x) const override {
    return LcmScheduler::step(prediction, scalars_, x).denoised;
  }
  at::Tensor add_noise(const at::Tensor& clean, const at::Tensor& noise) const override {
    return LcmScheduler::add_noise(clean, noise, scalars_);
  }

 private:
  LcmEntryScalars scalars_;
};
}  // namespace

LcmSteps::LcmSteps(const LcmScheduler& scheduler, std::vector<int> indices)
    : scheduler_(scheduler), indices_(std::move(indices)) {
  timesteps_ = scheduler_.timesteps_for_indices(indices_);
  // In double from the fp32 ᾱ table: the continuous mask ramp divides by the
  // difference of neighbouring levels, which would magnify fp32 rounding.
  for (const int64_t t : timesteps_)
    levels_.push_back(std::sqrt(1.0 - static_cast<double>(scheduler_.alpha_cumprod(t))));
}

at::Tensor LcmSteps::add_noise(const at::Tensor& clean, const at::Tensor& noise, size_t k) const {
  return scheduler_.add_noise(clean, noise, timesteps_.at(k));
}

at::Tensor LcmSteps::step(const at::Tensor& prediction, const at::Tensor& x, size_t k) const {
  return scheduler_.step(prediction, timesteps_.at(k), x).denoised;
}

at::Tensor LcmSteps::stream_background_targets(const at::Tensor& clean, const at::Tensor& next_noise) const {
  // docs/ALGORITHM.md §8 step 5: for k < T-1 the background is noised with
  // S_{k+1} at the noise level of the RAW INDEX VALUE indices[k+1] (t = 4,
  // 12, 25, 37 by default: almost clean), not of the scheduled timestep. This
  // is what the paper's stream does; kept for parity.
  std::vector<at::Tensor> targets;
  for (size_t k = 0; k + 1 < size(); ++k) {
    targets.push_back(scheduler_.add_noise(clean, next_noise.narrow(0, static_cast<int64_t>(k), 1), indices_[k + 1]));
  }
  targets.push_back(clean);
  return at::cat(targets, 0);
}

std::unique_ptr<BatchSteps> LcmSteps::batch(int64_t per_step, const at::TensorOptions& options,
                                            size_t first_step) const {
  return std::make_unique<LcmBatchSteps>(scheduler_, entry_timesteps(per_step, first_step), options.device());
}

}  // namespace semdraw::sched
