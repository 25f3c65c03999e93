#pragma once
// Euler (trailing) steps for one run (docs/ALGORITHM.md §12): landing steps,
// every scalar from the parity-tested EulerScheduler's schedule.
#include "sched/euler_scheduler.h"
#include "sched/step_schedule.h"

namespace semdraw::sched {

class EulerSteps final : public StepSchedule {
 public:
  explicit EulerSteps(EulerSchedule schedule);

  bool renoises() const override { return false; }
  at::Tensor start(const at::Tensor& noise) const override;
  at::Tensor add_noise(const at::Tensor& clean, const at::Tensor& noise, size_t k) const override;
  at::Tensor model_input(const at::Tensor& x, size_t k) const override;
  at::Tensor step(const at::Tensor& prediction, const at::Tensor& x, size_t k) const override;
  at::Tensor output_level(const at::Tensor& clean, const at::Tensor& noise, size_t k) const override;
  std::unique_ptr<BatchSteps> batch(int64_t per_step, const at::TensorOptions& options,
                                    size_t first_step = 0) const override;

 private:
  EulerSchedule schedule_;
};

}  // namespace semdraw::sched
