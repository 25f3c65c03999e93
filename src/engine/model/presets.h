#pragma once
// Model presets for `semdraw-cli make-model`: the diffusers / transformers
// config.json of every component of a Stable Diffusion pipeline.
//   tiny  a few-hundred-thousand-parameter model with SD1.5's structure
//         (same block types, 1/8 latent, real CLIP vocabulary) for fast tests;
//   sd15  the real Stable Diffusion 1.5 shapes (~1.07 B parameters) for
//         speed and memory benchmarks;
//   tiny-sdxl  SDXL's structure at the tiny widths: two text encoders (the
//         second with a projection), a UNet with added conditioning; for the
//         SDXL tests (the engine runs SDXL folders).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace semdraw::model {

struct ModelPreset {
  std::string name;
  nlohmann::json unet;            // unet/config.json (UNet2DConditionModel)
  nlohmann::json text_encoder;    // text_encoder/config.json (transformers CLIPTextModel)
  nlohmann::json text_encoder_2;  // SDXL only: text_encoder_2/config.json (CLIPTextModelWithProjection); null otherwise
  nlohmann::json vae;             // vae/config.json (AutoencoderKL)
  nlohmann::json taesd;           // taesd/config.json (AutoencoderTiny)
  nlohmann::json scheduler;       // scheduler/scheduler_config.json (LCMScheduler)
  nlohmann::json model_index;     // model_index.json (StableDiffusionPipeline or StableDiffusionXLPipeline)
  bool fp16_by_default = false;
};

std::vector<std::string> preset_names();
// Throws std::invalid_argument naming the known presets when `name` is unknown.
ModelPreset find_preset(const std::string& name);

}  // namespace semdraw::model
