#pragma once
// A loaded model's family parts, owned, as the pipelines use them: the
// denoiser, text conditioner and scheduler its family (bundle.family) makes.
#include <memory>

#include "family/denoiser.h"
#include "family/text_conditioner.h"
#include "pipeline/model_bundle.h"
#include "pipeline/pipeline_models.h"
#include "pipeline/unet_call.h"
#include "sched/scheduler.h"

namespace semdraw::family {

struct FamilyParts {
  std::unique_ptr<Denoiser> denoiser;
  std::unique_ptr<TextConditioner> text;
  std::unique_ptr<sched::Scheduler> scheduler;
  at::Device device = at::kCPU;
  at::ScalarType dtype = at::kFloat;
  SamplerChoice default_sampler = SamplerChoice::Lcm;

  // The pipelines' view of these parts with `codec` (TAESD or the full VAE).
  pipeline::PipelineModels models(pipeline::LatentCodec* codec) const;
};

// `unet` is the bundle's UNet as it should be called (through CUDA graphs or
// not); the bundle must outlive the parts.
FamilyParts make_family_parts(const pipeline::ModelBundle& bundle, pipeline::UNetCall unet, int clip_skip = 0);

}  // namespace semdraw::family
