#pragma once
// What the engine renders: an immutable snapshot of the document in plain
// arrays. Torch-free: the app builds these.
#include <cstdint>
#include <string>
#include <vector>

namespace semdraw {

enum class MaskMode { Discrete, SemiContinuous, Continuous };
enum class CfgType { None, Full, Self, Initialize };
enum class VaeChoice { Taesd, Full };
// The sampler that takes the latent through the steps (docs/ALGORITHM.md §12):
// LCM (LCM-LoRA and LCM-distilled models) or Euler with trailing timesteps
// (SDXL-Lightning). ModelDefault: the loaded model's own choice.
enum class SamplerChoice { ModelDefault, Lcm, EulerTrailing };
// What enters the live stream's step 0 at each call (docs/ALGORITHM.md §8):
// Explore draws fresh noise every call (the paper's stream: frames keep
// varying); Settle reuses the seed's step-0 noise, so an unchanged scene
// converges to one frame after T calls and the stream can stop.
enum class LiveNoise { Explore, Settle };
// How the status bar and dialogs name a sampler.
inline const char* sampler_label(SamplerChoice sampler) {
  switch (sampler) {
    case SamplerChoice::Lcm: return "LCM";
    case SamplerChoice::EulerTrailing: return "Euler (trailing)";
    case SamplerChoice::ModelDefault: break;
  }
  return "the model's default";
}

// A single-channel mask in [0,1], row-major; may differ from the canvas size
// (it is resized with a warning).
struct MaskImage {
  int width = 0;
  int height = 0;
  std::vector<float> values;
  bool empty() const { return values.empty(); }
  bool operator==(const MaskImage&) const = default;
};

// 8-bit RGB, row-major, no padding.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;
  bool empty() const { return pixels.empty(); }
  bool operator==(const RgbImage&) const = default;
};

struct RegionSpec {
  std::string prompt;
  std::string negative_prompt;
  double prompt_strength = 1.0;  // lerp(background, region) of the embeddings
  double mask_strength = 1.0;
  double blur_sigma = 8.0;  // canvas pixels
  bool enabled = true;
  MaskImage mask;
  bool operator==(const RegionSpec&) const = default;
};

struct BackgroundSpec {
  RgbImage image;  // empty = plain white
  std::string prompt = "simple white background";
  std::string negative_prompt;
  bool operator==(const BackgroundSpec&) const = default;
};

struct GenerationSettings {
  SamplerChoice sampler = SamplerChoice::ModelDefault;
  std::vector<int> step_indices = {0, 4, 12, 25, 37};  // into the sampler's 50-step schedule
  int steps = 0;  // one-shot only: > 0 picks diffusers' timesteps for this count instead
  MaskMode mask_mode = MaskMode::Continuous;
  int bootstrap_steps = 1;
  double bootstrap_mix_steps = 1.0;
  double cover_alpha = 0.3;
  CfgType cfg_type = CfgType::None;
  double guidance = 1.0;
  double delta = 1.0;
  uint64_t seed = 2024;
  int tile_size = 512;  // canvas pixels; larger canvases are generated in overlapping tiles
  VaeChoice vae = VaeChoice::Taesd;
  LiveNoise live_noise = LiveNoise::Explore;
  bool operator==(const GenerationSettings&) const = default;
};

struct Scene {
  int width = 512;
  int height = 512;
  BackgroundSpec background;
  std::vector<RegionSpec> regions;  // bottom to top
  GenerationSettings settings;
  bool operator==(const Scene&) const = default;
};

// Limits the engine enforces (and the UI shows).
inline constexpr int kMaxRegions = 64;
inline constexpr int kMaxCanvasSide = 4096;

// Checks and normalises a scene before the engine sees it: sides must be
// positive multiples of 8 up to kMaxCanvasSide (we refuse rather than pad, so
// the image the artist gets has the size they asked for); at most kMaxRegions
// regions; non-finite numbers are errors naming the field; negative sigma and
// strengths are clamped to 0 with a warning. Returns warnings; throws
// std::invalid_argument with the field name on errors.
std::vector<std::string> validate_scene(Scene& scene);

}  // namespace semdraw

namespace semdraw {

// Whether a region takes part in generation: enabled, with something painted
// and a positive mask strength. A region that cannot show anywhere is left
// out of the UNet batch entirely (it would change nothing but cost a batch entry).
bool region_contributes(const RegionSpec& region);

}  // namespace semdraw
