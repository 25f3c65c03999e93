#pragma once
// A model family (SD1.5, SDXL, …) behind one seam: what tells its models
// apart, what it loads beyond the parts every family shares, and the parts
// the region pipelines run on (docs/CONTRIBUTING.md, "A model family").
// Families are listed in family/registry.cpp; loading takes the first that
// recognises the model.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "family/denoiser.h"
#include "family/text_conditioner.h"
#include "io/checkpoint_layout.h"
#include "io/safetensors.h"
#include "nn/config_reader.h"
#include "pipeline/unet_call.h"
#include "sched/scheduler.h"

namespace semdraw::pipeline {
struct ModelBundle;
}
namespace torch::nn {
class Module;
}

namespace semdraw::family {

// Moves `module` (built on the CPU in fp32: constructors initialise) to the
// device and dtype once, then fills it from `weights` under `prefix`;
// `what` names it in errors (nn/load_weights.h).
void place_and_load(torch::nn::Module& module, const io::StateDict& weights, const std::string& prefix,
                    const std::string& what, at::Device device, at::ScalarType dtype,
                    const std::vector<std::string>& optional = {});

// What loading knows while a family fills in its part of the bundle.
struct LoadContext {
  std::filesystem::path model;
  io::CheckpointLayout layout = io::CheckpointLayout::kDiffusersFolder;
  const io::StateDict& weights;          // canonical names, LoRAs fused
  const nn::ConfigReader& text_encoder;  // the (first) text encoder's config
  std::filesystem::path resources_dir;   // the bundled CLIP vocabulary (single files)
  at::Device device = at::kCPU;
  at::ScalarType dtype = at::kFloat;

  // place_and_load from these weights, on this device and dtype.
  void load(torch::nn::Module& module, const std::string& prefix, const std::string& what,
            const std::vector<std::string>& optional = {}) const {
    place_and_load(module, weights, prefix, what, device, dtype, optional);
  }
};

class ModelFamily {
 public:
  virtual ~ModelFamily() = default;
  // For notes and the status bar: "SD1.5", "SDXL".
  virtual std::string name() const = 0;
  // The tiny autoencoder for its latents, as a user would find it:
  // "TAESD (madebyollin/taesd)".
  virtual std::string taesd_variant() const = 0;
  // Whether `model` (its layout detected) is of this family. Asked in
  // registry order; the last family may take whatever is left.
  virtual bool recognises(const std::filesystem::path& model, io::CheckpointLayout layout) const = 0;
  // Loads the family's tokenizers and text encoders into the bundle.
  virtual void load_text_encoders(pipeline::ModelBundle& bundle, const LoadContext& context) const = 0;

  // The parts the pipelines run on, made from a loaded bundle (which must
  // outlive them). `unet`: the bundle's UNet as it should be called.
  virtual std::unique_ptr<Denoiser> make_denoiser(const pipeline::ModelBundle& bundle,
                                                  pipeline::UNetCall unet) const = 0;
  virtual std::unique_ptr<TextConditioner> make_text_conditioner(const pipeline::ModelBundle& bundle,
                                                                 int clip_skip) const = 0;
  // By default the discrete training schedule's samplers (LCM, Euler) on
  // the bundle's ᾱ table, as ε-prediction families (SD1.5, SDXL) use.
  virtual std::unique_ptr<sched::Scheduler> make_scheduler(const pipeline::ModelBundle& bundle) const;
};

// Every registered family, in the order they are asked.
const std::vector<const ModelFamily*>& model_families();
// The family of `model`; throws std::runtime_error naming the model when none recognises it.
const ModelFamily& family_of(const std::filesystem::path& model, io::CheckpointLayout layout);

}  // namespace semdraw::family
