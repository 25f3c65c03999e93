#include "io/checkpoint_family.h"

namespace semdraw::io {

namespace {

constexpr const char* kSupported =
    "SemanticDraw runs Stable Diffusion 1.5-type models (any SD1.5 fine-tune, with LCM-LoRA) and SDXL diffusers "
    "folders.";

using Shapes = std::map<std::string, std::vector<int64_t>>;

// The first name with this prefix, or nullopt.
std::optional<std::string> first_with(const Shapes& shapes, const std::string& prefix) {
  const auto it = shapes.lower_bound(prefix);
  if (it != shapes.end() && it->first.compare(0, prefix.size(), prefix) == 0) return it->first;
  return std::nullopt;
}

std::optional<std::string> first_containing(const Shapes& shapes, const std::string& part) {
  for (const auto& item : shapes)
    if (item.first.find(part) != std::string::npos) return item.first;
  return std::nullopt;
}

// Whole other families, by the parts only they have.
std::optional<UnsupportedCheckpoint> other_family(const Shapes& shapes) {
  constexpr const char* kSdxl = "an SDXL checkpoint (or one based on SDXL, such as Pony or Illustrious) in one file";
  constexpr const char* kSdxlAdvice =
      "SDXL runs from a diffusers folder (model_index.json, unet/, text_encoder/, text_encoder_2/, tokenizer/, "
      "tokenizer_2/, vae/); single SDXL files are not read yet.";
  const std::pair<const char*, const char*> sdxl_parts[] = {{"conditioner.embedders.", kSdxl},
                                                            {"model.diffusion_model.label_emb.", kSdxl}};
  for (const auto& [prefix, what] : sdxl_parts) {
    if (const auto name = first_with(shapes, prefix)) return UnsupportedCheckpoint{what, *name, kSdxlAdvice};
  }
  const std::pair<const char*, const char*> families[] = {
      {"cond_stage_model.model.", "a Stable Diffusion 2.x checkpoint (OpenCLIP text encoder)"},
      {"model.diffusion_model.joint_blocks.", "a Stable Diffusion 3 checkpoint"},
      {"model.diffusion_model.double_blocks.", "a FLUX checkpoint"},
      {"double_blocks.", "a FLUX checkpoint"},
  };
  for (const auto& [prefix, what] : families) {
    if (const auto name = first_with(shapes, prefix)) return UnsupportedCheckpoint{what, *name, kSupported};
  }
  return std::nullopt;
}

// An SD1.x UNet with extra input channels: inpainting (9) or instruct-pix2pix (8).
std::optional<UnsupportedCheckpoint> extra_input_channels(const Shapes& shapes) {
  const auto it = shapes.find("model.diffusion_model.input_blocks.0.0.weight");
  if (it == shapes.end() || it->second.size() != 4 || it->second[1] == 4) return std::nullopt;
  return UnsupportedCheckpoint{
      "a UNet with " + std::to_string(it->second[1]) +
          " input channels (an inpainting or instruct model, which also takes a masked picture)",
      it->first,
      std::string(kSupported) +
          " Use the regular version of this model: SemanticDraw paints over a picture "
          "without one."};
}

// A LoRA, or one component of a model, given as the whole model.
std::optional<UnsupportedCheckpoint> not_a_whole_model(const Shapes& shapes) {
  for (const char* part : {"lora_unet_", "lora_te", ".lora_A.", ".lora_down.", ".lora_up."}) {
    if (const auto name = first_containing(shapes, part)) {
      return UnsupportedCheckpoint{"a LoRA, not a whole model", *name,
                                   "Load a base SD1.5 model and add the LoRA to it (--lora FILE[:SCALE], or the "
                                   "LoRA list of Model > Load model...)."};
    }
  }
  if (first_with(shapes, "model.diffusion_model.")) return std::nullopt;
  if (const auto name = first_with(shapes, "time_embedding.")) {
    return UnsupportedCheckpoint{"the UNet of a diffusers folder on its own", *name,
                                 "Choose the whole folder (the one holding model_index.json) as the model."};
  }
  if (first_with(shapes, "time_embed.")) return std::nullopt;
  for (const char* prefix : {"encoder.down.", "encoder.down_blocks.", "first_stage_model.encoder."}) {
    if (const auto name = first_with(shapes, prefix)) {
      return UnsupportedCheckpoint{"a VAE on its own, not a whole model", *name,
                                   "Choose a whole SD1.5 checkpoint as the model."};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<UnsupportedCheckpoint> recognise_unsupported_checkpoint(const Shapes& shapes) {
  if (auto found = other_family(shapes)) return found;
  if (auto found = not_a_whole_model(shapes)) return found;
  return extra_input_channels(shapes);
}

std::string describe(const UnsupportedCheckpoint& found, const std::string& file) {
  return file + ": this is " + found.what + " (it has '" + found.evidence + "'). " + found.advice;
}

}  // namespace semdraw::io
