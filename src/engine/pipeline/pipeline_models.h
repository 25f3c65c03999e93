#pragma once
// What the region pipelines (one-shot and stream) run on: a model family's
// parts as one bundle, borrowed from their owner (family::FamilyParts in the
// Engine or a test). The pipelines never ask which family it is.
#include <ATen/ATen.h>

#include "pipeline/latent_codec.h"
#include "sched/scheduler.h"
#include "semdraw/engine/scene.h"

namespace semdraw::family {
class Denoiser;
class TextConditioner;
}  // namespace semdraw::family

namespace semdraw::pipeline {

struct PipelineModels {
  const family::Denoiser* denoiser = nullptr;   // with the family's added conditioning
  family::TextConditioner* text = nullptr;      // prompt -> conditioning, cached
  LatentCodec* codec = nullptr;                 // the full VAE for final renders, TAESD or the VAE for the stream
  const sched::Scheduler* scheduler = nullptr;  // makes each run's steps
  at::Device device = at::kCPU;
  at::ScalarType dtype = at::kFloat;
  // What a scene's SamplerChoice::ModelDefault means for this model.
  SamplerChoice default_sampler = SamplerChoice::Lcm;
};

}  // namespace semdraw::pipeline
