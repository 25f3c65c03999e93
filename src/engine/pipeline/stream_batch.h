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
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "family/denoiser.h"
#include "pipeline/conditioning.h"
#include "pipeline/noise_source.h"
#include "pipeline/pipeline_models.h"
#include "sched/step_schedule.h"
#include "semdraw/engine/scene.h"

namespace semdraw::pipeline {

// What the last applied update recomputed (for tests and the status bar).
struct StreamUpdateStats {
  bool reset = false;       // schedule, noises and buffers started over
  bool background = false;  // background latent/embeddings recomputed
  bool masks = false;       // region masks re-processed
  bool prompts = false;     // region conditioning re-mixed
};

class StreamBatch {
 public:
  explicit StreamBatch(PipelineModels models);

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

  PipelineModels models_;
  at::TensorOptions options_;
  std::optional<Scene> pending_;
  std::optional<Scene> current_;
  std::vector<std::string> warnings_;
  StreamUpdateStats last_update_;
  int calls_since_change_ = 0;  // calls run on the current scene
  int calls_since_reset_ = 0;   // the stock noise S is the same every call from call T on

  // Schedule, and its tables on the device: one entry per step (the
  // bootstrap latents), per step 1..T-1 (the re-noising of step 7), per
  // (step, region) entry of the batch.
  std::unique_ptr<sched::StepSchedule> sampler_;
  std::unique_ptr<sched::BatchSteps> step_tables_, next_step_tables_, entry_tables_;
  std::vector<int64_t> timesteps_;
  int64_t latent_h_ = 0, latent_w_ = 0, channels_ = 4;
  family::CanvasView canvas_;  // the whole canvas, in pixels

  // Noise and buffers (docs/ALGORITHM.md §8, State).
  std::optional<NoiseSource> noise_;
  std::deque<at::Tensor> injected_;  // waiting for the next reset
  at::Tensor init_noise_;            // N [T,C,h,w]
  at::Tensor stock_noise_;           // S [T,C,h,w]
  at::Tensor buffer_;                // X [T-1,C,h,w]
  at::Tensor fresh_noise_;           // this call's fresh noise; kept for the retry when the call is interrupted
  at::Tensor step_latents_;          // last call's aggregated latents [T,C,h,w]

  // Background.
  at::Tensor background_latent_;   // z_bg [1,C,h,w]
  at::Tensor white_latent_;        // z_white [1,C,h,w]
  at::Tensor bootstrap_latent_;    // b [T,C,h,w]
  PromptConditioning background_;  // one entry each

  // Regions that contribute (enabled, something painted), bottom to top.
  int64_t regions_ = 0;
  std::vector<RegionKeys> region_keys_;
  at::Tensor masks_;                                 // [p,T,h,w]
  std::vector<std::pair<int64_t, int64_t>> shifts_;  // per entry k·p+i
  Conditioning cond_, uncond_;                       // T·p entries
  at::Tensor entry_bootstrap_;                       // [T·p,1,1,1] 1 where step k < bootstrap_steps
};

}  // namespace semdraw::pipeline
