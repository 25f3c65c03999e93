#include "family/model_family.h"

#include "nn/load_weights.h"
#include "pipeline/model_bundle.h"
#include "sched/training_schedule_scheduler.h"

namespace semdraw::family {

void place_and_load(torch::nn::Module& module, const io::StateDict& weights, const std::string& prefix,
                    const std::string& what, at::Device device, at::ScalarType dtype,
                    const std::vector<std::string>& optional) {
  module.to(device, dtype);
  module.eval();
  nn::load_weights(module, weights, prefix, what, optional);
}

std::unique_ptr<sched::Scheduler> ModelFamily::make_scheduler(const pipeline::ModelBundle& bundle) const {
  return std::make_unique<sched::TrainingScheduleScheduler>(bundle.scheduler);
}

}  // namespace semdraw::family
