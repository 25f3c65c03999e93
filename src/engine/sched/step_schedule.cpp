#include "sched/step_schedule.h"

#include <stdexcept>

namespace semdraw::sched {

at::Tensor StepSchedule::stream_background_targets(const at::Tensor& clean, const at::Tensor& next_noise) const {
  std::vector<at::Tensor> targets;
  for (size_t k = 0; k < size(); ++k)
    targets.push_back(output_level(clean, next_noise.narrow(0, static_cast<int64_t>(k), 1), k));
  return at::cat(targets, 0);
}

std::vector<int64_t> StepSchedule::entry_timesteps(int64_t per_step, size_t first_step) const {
  if (first_step > size()) throw std::invalid_argument("step schedule: a batch from a step past the last");
  std::vector<int64_t> entries;
  for (size_t k = first_step; k < size(); ++k)
    entries.insert(entries.end(), static_cast<size_t>(per_step), timesteps_[k]);
  return entries;
}

}  // namespace semdraw::sched
