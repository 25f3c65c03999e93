#pragma once
// The scene's sampler choice as a model's scheduler takes it (sched/scheduler.h).
#include "semdraw/engine/scene.h"

namespace semdraw::pipeline {

// The scene's choice, with ModelDefault replaced by the model's own sampler.
inline SamplerChoice resolve_sampler(SamplerChoice chosen, SamplerChoice model_default) {
  return chosen == SamplerChoice::ModelDefault ? model_default : chosen;
}

}  // namespace semdraw::pipeline
