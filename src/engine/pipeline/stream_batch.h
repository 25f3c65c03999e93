#pragma once
// The multi-prompt stream batch (docs/ALGORITHM.md §8): T denoising steps of p regions
// run as ONE UNet batch of T·p entries per call, and each call finishes one
// frame. Scene edits are recorded by update() and applied at the next step(),
// so several edits between two frames merge into one; only what changed is
// recomputed (prompt encodings are cached by text, masks are re-processed
// only when a mask input changed, the background only when it changed).
#include <ATen/ATen.h>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/conditioning.h"
#include "pipeline/latent_codec.h"
#include "pipeline/noise_source.h"
#include "pipeline/prompt_encoder.h"
#include "pipeline/sampler_steps.h"
#include "pipeline/unet_call.h"
#include "sched/lcm_scheduler.h"
#include "semdraw/engine/scene.h"

namespace semdraw::pipeline {

struct StreamModels {
  UNetCall unet;
  PromptEncoder* prompts = nullptr;  // SD1.x conditioning; unused when `sdxl` is set
  LatentCodec* codec = nullptr;
  const sched::LcmScheduler* scheduler = nullptr;
  at::Device device = at::kCPU;
  at::ScalarType dtype = at::kFloat;
  SdxlPromptEncoder* sdxl = nullptr;  // SDXL: pooled embeddings and time ids too
  // What a scene's SamplerChoice::ModelDefault means for this model.
  SamplerChoice default_sampler = SamplerChoice::Lcm;
};

// What the last applied update recomputed (for tests and the status bar).
struct StreamUpdateStats {
  bool reset = false;       // schedule, noises and buffers started over
  bool background = false;  // background latent/embeddings recomputed
  bool masks = false;       // region masks re-processed
  bool prompts = false;     // region conditioning re-mixed
};

class StreamBatch {
 public:
  explicit StreamBatch(StreamModels models);

  // Validates and records the scene (throws std::invalid_argument on a bad
  // one; the previous scene stays). Applied at the next step().
  void update(Scene scene);
  // One UNet call. Returns the finished latent [1,C,h,w] of the last step.
  // Noise comes from the seeded source: the T per-step noises first (at a
  // reset), then one fresh step-0 noise per call.
  at::Tensor step();
  // Runs T calls without decoding, so the latest edit is fully visible.
  void flush();
  // latent -> image [1,3,H,W] in [0,1] with the scene's codec.
  at::Tensor decode(const at::Tensor& latent);

  // Tests compare implementations on identical noise: the given tensors are
  // used, in order, for the next draws (the per-step noises N [T,C,h,w] at a
  // reset, then one [1,C,h,w] per call), before any random draw.
  void inject_noise(std::deque<at::Tensor> tensors);
  // Applies a pending update now (normally step() does it).
  void apply_pending();

  int step_count() const { return static_cast<int>(timesteps_.size()); }
  // Settle mode only: T calls have run since the scene last changed, so every
  // further call returns the same frame (docs/ALGORITHM.md §8) and a caller
  // may stop stepping until the next update().
  bool settled() const;
  const std::vector<int64_t>& timesteps() const { return timesteps_; }
  const StreamUpdateStats& last_update() const { return last_update_; }
  // The aggregated latents of every step [T,C,h,w] of the last call (tests).
  const at::Tensor& step_latents() const { return step_latents_; }
  // The processed region masks [p,T,h,w] in use (tests, overlays).
  const at::Tensor& masks() const { return masks_; }
  std::vector<std::string> take_warnings();

 private:
  struct RegionKeys {
    uint64_t mask = 0;
    std::string prompt;
    bool operator==(const RegionKeys&) const = default;
  };

  void apply(const Scene& scene);
  void reset_schedule(const Scene& scene);
  void encode_background(const Scene& scene);
  void update_bootstrap(const GenerationSettings& settings);
  void process_region_masks(const Scene& scene, const std::vector<const RegionSpec*>& active);
  void mix_region_prompts(const std::vector<const RegionSpec*>& active);
  at::Tensor per_entry(const std::vector<float>& per_step) const;  // [T·p,1,1,1]
  at::Tensor background_targets() const;                           // [T,C,h,w]

  StreamModels models_;
  at::TensorOptions options_;
  std::optional<Scene> pending_;
  std::optional<Scene> current_;
  std::vector<std::string> warnings_;
  StreamUpdateStats last_update_;
  int calls_since_change_ = 0;  // calls run on the current scene
  int calls_since_reset_ = 0;   // the stock noise S is the same every call from call T on

  // Schedule (host values and their per-entry tensors).
  std::optional<SamplerSteps> sampler_;
  std::vector<int64_t> timesteps_;
  std::vector<float> alpha_sqrt_, beta_sqrt_, c_skip_, c_out_;
  at::Tensor next_alpha_, next_beta_;  // [T-1,1,1,1] sqrt(alpha_bar), sqrt(1-alpha_bar) of steps 1..T-1
  int64_t latent_h_ = 0, latent_w_ = 0, channels_ = 4;

  // Noise and buffers (docs/ALGORITHM.md §8, State).
  std::optional<NoiseSource> noise_;
  std::deque<at::Tensor> injected_;  // waiting for the next reset
  at::Tensor init_noise_;            // N [T,C,h,w]
  at::Tensor stock_noise_;           // S [T,C,h,w]
  at::Tensor buffer_;                // X [T-1,C,h,w]
  at::Tensor fresh_noise_;           // this call's fresh noise; kept for the retry when the call is interrupted
  at::Tensor step_latents_;          // last call's aggregated latents [T,C,h,w]

  // Background.
  at::Tensor background_latent_;                      // z_bg [1,C,h,w]
  at::Tensor white_latent_;                           // z_white [1,C,h,w]
  at::Tensor bootstrap_latent_;                       // b [T,C,h,w]
  Conditioning background_cond_, background_uncond_;  // [1,77,D] (+ SDXL's pooled [1,P])

  // Regions that contribute (enabled, something painted), bottom to top.
  int64_t regions_ = 0;
  std::vector<RegionKeys> region_keys_;
  at::Tensor masks_;                                 // [p,T,h,w]
  std::vector<std::pair<int64_t, int64_t>> shifts_;  // per entry k·p+i
  at::Tensor cond_, uncond_;                         // [T·p,77,D]
  at::Tensor pooled_, uncond_pooled_, time_ids_;     // SDXL: [T·p,P], [T·p,P], [T·p,6]
  at::Tensor entry_timesteps_;                       // [T·p] int64
  at::Tensor entry_alpha_, entry_beta_, entry_c_skip_, entry_c_out_;
  at::Tensor entry_bootstrap_;  // [T·p,1,1,1] 1 where step k < bootstrap_steps
  // Euler only: σ_k and σ_{k+1} per step [T,1,1,1] (fp32), and per entry the
  // UNet input divisor sqrt(σ²+1) and the step's dt [T·p,1,1,1].
  at::Tensor step_sigma_, next_sigma_, entry_input_divisor_, entry_dt_;
};

}  // namespace semdraw::pipeline
