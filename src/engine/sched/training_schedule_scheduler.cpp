#include "sched/training_schedule_scheduler.h"

#include <stdexcept>

#include "sched/euler_steps.h"
#include "sched/lcm_steps.h"

namespace semdraw::sched {

std::unique_ptr<StepSchedule> TrainingScheduleScheduler::schedule(SamplerChoice sampler, int steps,
                                                                  const std::vector<int>& step_indices) const {
  switch (sampler) {
    case SamplerChoice::EulerTrailing: {
      const EulerScheduler euler(lcm_.alphas_cumprod());
      return std::make_unique<EulerSteps>(steps > 0 ? euler.schedule_for_steps(steps)
                                                    : euler.schedule_for_indices(step_indices));
    }
    case SamplerChoice::Lcm:
      return std::make_unique<LcmSteps>(lcm_, steps > 0 ? lcm_.indices_for_steps(steps) : step_indices);
    case SamplerChoice::ModelDefault: break;
  }
  throw std::logic_error("scheduler: the sampler was not resolved");
}

}  // namespace semdraw::sched
