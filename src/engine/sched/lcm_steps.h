#pragma once
// LCM's steps for one run (docs/ALGORITHM.md §1, §12): renoising steps on the
// training noise schedule, every scalar from the parity-tested LcmScheduler.
#include "sched/lcm_scheduler.h"
#include "sched/step_schedule.h"

namespace semdraw::sched {

class LcmSteps final : public StepSchedule {
 public:
  // `indices` pick steps of the scheduler's original (50-step) schedule.
  LcmSteps(const LcmScheduler& scheduler, std::vector<int> indices);

  bool renoises() const override { return true; }
  at::Tensor start(const at::Tensor& noise) const override { return noise; }
  at::Tensor add_noise(const at::Tensor& clean, const at::Tensor& noise, size_t k) const override;
  at::Tensor model_input(const at::Tensor& x, size_t) const override { return x; }
  at::Tensor step(const at::Tensor& prediction, const at::Tensor& x, size_t k) const override;
  at::Tensor output_level(const at::Tensor& clean, const at::Tensor&, size_t) const override { return clean; }
  at::Tensor stream_background_targets(const at::Tensor& clean, const at::Tensor& next_noise) const override;
  std::unique_ptr<BatchSteps> batch(int64_t per_step, const at::TensorOptions& options,
                                    size_t first_step = 0) const override;

 private:
  LcmScheduler scheduler_;
  std::vector<int> indices_;
};

}  // namespace semdraw::sched
