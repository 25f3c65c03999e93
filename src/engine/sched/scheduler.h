#pragma once
// A model family's scheduler: makes one run's steps (sched/step_schedule.h)
// for the scene's sampler choice, on the family's noise schedule.
#include <memory>
#include <vector>

#include "sched/step_schedule.h"
#include "semdraw/engine/scene.h"

namespace semdraw::sched {

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  // `sampler` is resolved (not ModelDefault). `steps` > 0 picks that many
  // steps the way diffusers' set_timesteps does; otherwise `step_indices`
  // pick steps of the family's reference schedule. Throws
  // std::invalid_argument for a sampler the family cannot run or a step out of range.
  virtual std::unique_ptr<StepSchedule> schedule(SamplerChoice sampler, int steps,
                                                 const std::vector<int>& step_indices) const = 0;
};

}  // namespace semdraw::sched
