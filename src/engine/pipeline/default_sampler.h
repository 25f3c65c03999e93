#pragma once
// Which sampler a model runs when the scene leaves the choice to the model
// (SamplerChoice::ModelDefault), and why, in words for the status bar.
#include <filesystem>
#include <string>
#include <vector>

#include "semdraw/engine/scene.h"

namespace semdraw::pipeline {

struct DefaultSampler {
  SamplerChoice sampler = SamplerChoice::Lcm;
  std::string reason;
};

// Euler (trailing) when the model folder's scheduler config asks for it
// (EulerDiscreteScheduler with timestep_spacing "trailing"), or when the
// model or one of its LoRAs is SDXL-Lightning by name (ByteDance ships
// "sdxl_lightning_4step_lora.safetensors", "..._unet.safetensors"); LCM
// otherwise, the sampler of LCM-LoRA and LCM-distilled models.
DefaultSampler choose_default_sampler(const std::filesystem::path& model,
                                      const std::vector<std::filesystem::path>& loras);

}  // namespace semdraw::pipeline
