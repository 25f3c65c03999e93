#include "family/family_parts.h"

#include <stdexcept>

#include "family/model_family.h"

namespace semdraw::family {

pipeline::PipelineModels FamilyParts::models(pipeline::LatentCodec* codec) const {
  return {denoiser.get(), text.get(), codec, scheduler.get(), device, dtype, default_sampler};
}

FamilyParts make_family_parts(const pipeline::ModelBundle& bundle, pipeline::UNetCall unet, int clip_skip) {
  if (!bundle.family) throw std::logic_error("make_family_parts: the bundle has no model family");
  FamilyParts parts;
  parts.denoiser = bundle.family->make_denoiser(bundle, std::move(unet));
  parts.text = bundle.family->make_text_conditioner(bundle, clip_skip);
  parts.scheduler = bundle.family->make_scheduler(bundle);
  parts.device = bundle.device;
  parts.dtype = bundle.dtype;
  parts.default_sampler = bundle.default_sampler.sampler;
  return parts;
}

}  // namespace semdraw::family
