#pragma once
// The scheduler of families trained on the 1000-step discrete ᾱ schedule
// with ε prediction (SD1.5, SDXL): LCM (§1) or Euler with trailing timesteps
// (§12), both on the model's training noise schedule (its ᾱ table).
#include "sched/lcm_scheduler.h"
#include "sched/scheduler.h"

namespace semdraw::sched {

class TrainingScheduleScheduler final : public Scheduler {
 public:
  explicit TrainingScheduleScheduler(LcmScheduler lcm) : lcm_(std::move(lcm)) {}
  std::unique_ptr<StepSchedule> schedule(SamplerChoice sampler, int steps,
                                         const std::vector<int>& step_indices) const override;

 private:
  LcmScheduler lcm_;
};

}  // namespace semdraw::sched
