#pragma once
// Everything a generation needs, loaded once and moved to the device once:
// the model's family (family/model_family.h), which loads its tokenizers and
// text encoders; the UNet, full VAE, optional TAESD, the training noise schedule.
#include <ATen/ATen.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nn/autoencoder_kl.h"
#include "nn/clip_text_encoder.h"
#include "nn/taesd.h"
#include "nn/unet2d_condition.h"
#include "pipeline/default_sampler.h"
#include "sched/lcm_scheduler.h"
#include "text/clip_tokenizer.h"

namespace semdraw::family {
class ModelFamily;
}

namespace semdraw::pipeline {

struct LoraFile {
  std::filesystem::path path;
  double scale = 1.0;
};

struct ModelBundleOptions {
  std::filesystem::path model;          // diffusers folder or single .safetensors
  std::filesystem::path taesd;          // empty: <model>/taesd when present
  std::vector<LoraFile> loras;          // fused into the weights at load
  std::filesystem::path resources_dir;  // bundled CLIP vocabulary (single files)
  at::Device device = at::kCPU;
  at::ScalarType dtype = at::kFloat;  // fp16 on CUDA
  int clip_skip = 0;
};

// (stage, fraction in [0,1]); return false to cancel (load throws semdraw::Cancelled).
using LoadProgress = std::function<bool(const std::string& stage, double fraction)>;

struct ModelBundle {
  const ::semdraw::family::ModelFamily* family = nullptr;  // registered, static: it makes the pipelines' parts
  std::unique_ptr<text::ClipTokenizer> tokenizer;
  nn::ClipTextEncoder text_encoder{nullptr};
  // SDXL only (null otherwise): the second tokenizer (pads with "!") and text
  // encoder (CLIPTextModelWithProjection), loaded by the SDXL family.
  std::unique_ptr<text::ClipTokenizer> tokenizer_2;
  nn::ClipTextEncoder text_encoder_2{nullptr};
  nn::UNet2DConditionModel unet{nullptr};
  nn::AutoencoderKL vae{nullptr};
  nn::Taesd taesd{nullptr};       // null when no TAESD weights were found
  sched::LcmScheduler scheduler;  // the training noise schedule; Euler is derived from it
  DefaultSampler default_sampler;
  at::Device device = at::kCPU;
  at::ScalarType dtype = at::kFloat;
  std::vector<std::string> notes;  // ignored checkpoint names, LoRA keys not matched, ...
};

ModelBundle load_model_bundle(const ModelBundleOptions& options, const LoadProgress& progress = {});

}  // namespace semdraw::pipeline
