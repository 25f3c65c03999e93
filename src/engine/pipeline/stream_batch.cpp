#include "pipeline/stream_batch.h"

#include <cstring>

#include "family/text_conditioner.h"
#include "pipeline/mask_processing.h"
#include "pipeline/region_ops.h"
#include "pipeline/sampler_steps.h"
#include "pipeline/scene_tensors.h"

namespace semdraw::pipeline {

namespace {
std::vector<const RegionSpec*> enabled_regions(const Scene& scene) {
  std::vector<const RegionSpec*> active;
  for (const auto& region : scene.regions)
    if (region_contributes(region)) active.push_back(&region);
  return active;
}

uint64_t mask_key(const RegionSpec& region) {
  const double params[] = {region.blur_sigma, region.mask_strength};
  const int sizes[] = {region.mask.width, region.mask.height};
  uint64_t key = fingerprint(params, sizeof(params));
  key = fingerprint(sizes, sizeof(sizes), key);
  return fingerprint(region.mask.values.data(), region.mask.values.size() * sizeof(float), key);
}

std::string prompt_key(const RegionSpec& region) {
  // '\x1f' cannot come from a text field the artist types in a single line.
  return region.prompt + '\x1f' + region.negative_prompt + '\x1f' + std::to_string(region.prompt_strength);
}

bool same_schedule(const Scene& a, const Scene& b) {
  return a.width == b.width && a.height == b.height && a.settings.step_indices == b.settings.step_indices &&
         a.settings.seed == b.settings.seed && a.settings.sampler == b.settings.sampler;
}

bool same_background(const BackgroundSpec& a, const BackgroundSpec& b) {
  return a.prompt == b.prompt && a.negative_prompt == b.negative_prompt && a.image.width == b.image.width &&
         a.image.height == b.image.height && a.image.pixels == b.image.pixels;
}

bool same_mask_settings(const GenerationSettings& a, const GenerationSettings& b) {
  return a.mask_mode == b.mask_mode && a.cover_alpha == b.cover_alpha;
}
}  // namespace

StreamBatch::StreamBatch(PipelineModels models)
    : models_(std::move(models)), options_(at::TensorOptions().device(models_.device).dtype(models_.dtype)) {
  TORCH_CHECK(models_.denoiser && models_.text && models_.codec && models_.scheduler,
              "StreamBatch needs a denoiser, a text conditioner, a codec and a scheduler");
  channels_ = models_.denoiser->latent_channels();
}

void StreamBatch::update(Scene scene) {
  auto warnings = validate_scene(scene);
  warnings_.insert(warnings_.end(), warnings.begin(), warnings.end());
  pending_ = std::move(scene);  // the latest edit wins; earlier pending ones merge into it
}

std::vector<std::string> StreamBatch::take_warnings() { return std::exchange(warnings_, {}); }

void StreamBatch::apply_pending() {
  if (!pending_) return;
  Scene scene = std::move(*pending_);
  pending_.reset();
  // An identical scene (the app re-posts after selection changes and the like)
  // changes no frame, so it does not restart the count towards settling.
  if (current_ && *current_ == scene) return;
  calls_since_change_ = 0;
  apply(scene);
  current_ = std::move(scene);
}

void StreamBatch::apply(const Scene& scene) {
  at::NoGradGuard no_grad;
  last_update_ = {};
  const bool reset = !current_ || !same_schedule(*current_, scene);
  if (reset) reset_schedule(scene);
  const bool background = reset || !same_background(current_->background, scene.background);
  if (background) encode_background(scene);
  if (background || current_->settings.bootstrap_mix_steps != scene.settings.bootstrap_mix_steps) {
    update_bootstrap(scene.settings);
  }

  const auto active = enabled_regions(scene);
  std::vector<RegionKeys> keys;
  keys.reserve(active.size());
  for (const RegionSpec* region : active) keys.push_back({mask_key(*region), prompt_key(*region)});
  bool masks_changed =
      reset || keys.size() != region_keys_.size() || !same_mask_settings(current_->settings, scene.settings);
  bool prompts_changed = reset || background || keys.size() != region_keys_.size();
  for (size_t i = 0; i < keys.size() && !(masks_changed && prompts_changed); ++i) {
    masks_changed = masks_changed || keys[i].mask != region_keys_[i].mask;
    prompts_changed = prompts_changed || keys[i].prompt != region_keys_[i].prompt;
  }
  regions_ = static_cast<int64_t>(active.size());
  if (masks_changed) process_region_masks(scene, active);
  if (prompts_changed) mix_region_prompts(active);
  region_keys_ = std::move(keys);
  last_update_ = {reset, background, masks_changed, prompts_changed};
  if (regions_ > 0) {
    // Which entries are composited over the bootstrap latent (k < bootstrap_steps).
    std::vector<float> flags(timesteps_.size());
    for (size_t k = 0; k < flags.size(); ++k)
      flags[k] = static_cast<int>(k) < scene.settings.bootstrap_steps ? 1.f : 0.f;
    entry_bootstrap_ = per_entry(flags);
  }
  if (!injected_.empty()) noise_->inject(std::exchange(injected_, {}));
}

void StreamBatch::reset_schedule(const Scene& scene) {
  sampler_ = models_.scheduler->schedule(resolve_sampler(scene.settings.sampler, models_.default_sampler),
                                         /*steps=*/0, scene.settings.step_indices);
  timesteps_ = sampler_->timesteps();
  // On the device once per reset rather than copied there every frame.
  step_tables_ = sampler_->batch(1, options_);
  next_step_tables_ = timesteps_.size() > 1 ? sampler_->batch(1, options_, /*first_step=*/1) : nullptr;
  const int64_t factor = models_.codec->downscale_factor();
  latent_h_ = scene.height / factor;
  latent_w_ = scene.width / factor;
  canvas_ = {latent_h_ * factor, latent_w_ * factor, 0, 0};
  const int64_t steps = static_cast<int64_t>(timesteps_.size());
  calls_since_reset_ = 0;
  noise_.emplace(scene.settings.seed);
  if (!injected_.empty()) noise_->inject(std::exchange(injected_, {}));
  // docs/ALGORITHM.md §9 order: the T per-step noises first, then one fresh noise per call.
  init_noise_ = noise_->normal({steps, channels_, latent_h_, latent_w_}, options_);
  stock_noise_ = at::zeros_like(init_noise_);
  buffer_ = at::zeros({steps - 1, channels_, latent_h_, latent_w_}, options_);
  fresh_noise_ = at::Tensor();
}

void StreamBatch::encode_background(const Scene& scene) {
  const at::Tensor white = at::ones({1, 3, scene.height, scene.width}, options_);
  white_latent_ = models_.codec->encode(white);
  background_latent_ =
      scene.background.image.empty()
          ? white_latent_
          : models_.codec->encode(image_to_tensor(scene.background.image, scene.height, scene.width).to(options_));
  background_ = models_.text->encode(scene.background.prompt, scene.background.negative_prompt);
}

void StreamBatch::update_bootstrap(const GenerationSettings& settings) {
  std::vector<at::Tensor> per_step;
  for (size_t k = 0; k < timesteps_.size(); ++k) {
    const double mix = std::clamp(settings.bootstrap_mix_steps - static_cast<double>(k), 0.0, 1.0);
    per_step.push_back(mix * white_latent_ + (1.0 - mix) * background_latent_);
  }
  bootstrap_latent_ = at::cat(per_step, 0);
}

void StreamBatch::process_region_masks(const Scene& scene, const std::vector<const RegionSpec*>& active) {
  const int64_t steps = static_cast<int64_t>(timesteps_.size());
  if (active.empty()) {
    masks_ = at::zeros({0, steps, latent_h_, latent_w_}, options_);
    shifts_.clear();
    return;
  }
  std::vector<at::Tensor> painted;
  std::vector<RegionMaskParams> params;
  for (const RegionSpec* region : active) {
    painted.push_back(mask_to_tensor(region->mask, scene.height, scene.width));
    params.push_back({region->blur_sigma, region->mask_strength});
  }
  // Noise levels in double (StepSchedule::levels): the continuous ramp
  // divides by n_k - n_k+1 (0.0035 between the first two default steps),
  // which would magnify fp32 rounding of the levels ~300-fold.
  const std::vector<double>& levels = sampler_->levels();
  const ProcessedMasks processed =
      process_masks(at::stack(painted, 0).to(models_.device), params, levels, scene.settings.mask_mode,
                    scene.settings.cover_alpha, scene.height, scene.width);
  masks_ = processed.masks.to(options_);
  // Centring shifts, one per entry k·p+i, computed on the host once per mask
  // change so the per-frame rolls need no device synchronisation.
  // From the masks as the pipeline uses them (cast to its dtype), so "occupied"
  // means what the aggregation sees.
  const at::Tensor host = masks_.to(at::kCPU, at::kFloat);
  const int64_t p = static_cast<int64_t>(active.size());
  shifts_.assign(static_cast<size_t>(steps * p), {0, 0});
  for (int64_t k = 0; k < steps; ++k)
    for (int64_t i = 0; i < p; ++i) shifts_[static_cast<size_t>(k * p + i)] = mask_centre_shift(host[i][k]);
}

void StreamBatch::mix_region_prompts(const std::vector<const RegionSpec*>& active) {
  const int64_t steps = static_cast<int64_t>(timesteps_.size());
  const int64_t p = static_cast<int64_t>(active.size());
  if (p == 0) {
    cond_ = uncond_ = Conditioning();
    return;
  }
  std::vector<Conditioning> cond, uncond;
  for (const RegionSpec* region : active) {
    const PromptConditioning mixed =
        background_.lerp_to(models_.text->encode(region->prompt, region->negative_prompt), region->prompt_strength);
    cond.push_back(mixed.cond);
    uncond.push_back(mixed.uncond);
  }
  // Step-major, region-minor: entry k·p+i is region i at step k.
  cond_ = Conditioning::cat(cond).repeat(steps);
  uncond_ = Conditioning::cat(uncond).repeat(steps);
  entry_tables_ = sampler_->batch(p, options_);
}

at::Tensor StreamBatch::per_entry(const std::vector<float>& per_step) const {
  return at::tensor(per_step, at::kFloat).repeat_interleave(regions_).view({-1, 1, 1, 1}).to(options_);
}

at::Tensor StreamBatch::background_targets() const {
  // Row k holds S_{k+1}, the noise of the step after step k (S_0 stands in
  // after the last step, whose target is clean).
  const int64_t steps = static_cast<int64_t>(timesteps_.size());
  const at::Tensor next_noise = at::cat({stock_noise_.narrow(0, 1, steps - 1), stock_noise_.narrow(0, 0, 1)}, 0);
  return sampler_->stream_background_targets(background_latent_, next_noise);
}

void StreamBatch::inject_noise(std::deque<at::Tensor> tensors) {
  // Before the first scene is applied the source does not exist yet; it takes
  // the tensors when it is created.
  if (noise_ && !pending_) {
    noise_->inject(std::move(tensors));
  } else {
    injected_ = std::move(tensors);
  }
}

at::Tensor StreamBatch::step() {
  apply_pending();
  TORCH_CHECK(current_, "StreamBatch::step before any scene was given");
  at::NoGradGuard no_grad;
  const GenerationSettings& settings = current_->settings;
  const int64_t steps = static_cast<int64_t>(timesteps_.size());
  const int64_t p = regions_;

  // 1. x = [fresh noise] ++ X;  S <- [N_0] ++ S[0..T-2].
  // A call interrupted inside the UNet (an exception) leaves the stream as if
  // it had not started: S is restored, and the fresh noise already drawn is
  // kept for the next call, so the noise order stays the documented one.
  // Settle reuses N_0 (no draw), so nothing random enters after the reset.
  if (!fresh_noise_.defined()) {
    fresh_noise_ = settings.live_noise == LiveNoise::Settle
                       ? init_noise_.narrow(0, 0, 1)
                       : noise_->normal({1, channels_, latent_h_, latent_w_}, options_);
  }
  const at::Tensor x = at::cat({sampler_->start(fresh_noise_), buffer_}, 0);  // [T,C,h,w]
  struct RestoreOnThrow {
    at::Tensor& target;
    const at::Tensor saved;
    bool committed = false;
    ~RestoreOnThrow() {
      if (!committed) target = saved;
    }
  } stock_guard{stock_noise_, stock_noise_};
  stock_noise_ = at::cat({init_noise_.narrow(0, 0, 1), stock_noise_.narrow(0, 0, steps - 1)}, 0);

  at::Tensor latent;  // [T,C,h,w] after aggregation
  if (p == 0) {
    latent = background_targets();  // background only: nothing to denoise
  } else {
    // 2. One entry per (step, region), step-major.
    at::Tensor entries = x.repeat_interleave(p, 0);  // [T·p,C,h,w]
    const bool bootstrapping = settings.bootstrap_steps > 0;
    const at::Tensor entry_masks = masks_.permute({1, 0, 2, 3}).reshape({steps * p, 1, latent_h_, latent_w_});
    if (bootstrapping) {
      // 3. Steps k < bootstrap_steps are composited over the noised bootstrap
      //    latent; every entry is then rolled to centre its mask.
      const at::Tensor noised = step_tables_->add_noise(bootstrap_latent_, stock_noise_);
      const at::Tensor composite_mask = entry_masks * entry_bootstrap_ + (1.0 - entry_bootstrap_);
      entries = (1.0 - composite_mask) * noised.repeat_interleave(p, 0) + composite_mask * entries;
      entries = roll_entries(entries, shifts_, /*reverse=*/true);
    }

    // 4. UNet with the requested guidance.
    const bool guided = settings.guidance > 1.0 && settings.cfg_type != CfgType::None;
    const family::Denoiser& denoiser = *models_.denoiser;
    const at::Tensor input = entry_tables_->model_input(entries);
    const at::Tensor& entry_timesteps = entry_tables_->timesteps();
    at::Tensor prediction, unconditional;
    if (guided && settings.cfg_type == CfgType::Full) {
      const at::Tensor both = denoiser(at::cat({input, input}, 0), at::cat({entry_timesteps, entry_timesteps}, 0),
                                       Conditioning::cat({uncond_, cond_}), canvas_);
      unconditional = both.narrow(0, 0, steps * p);
      prediction = both.narrow(0, steps * p, steps * p);
    } else if (guided && settings.cfg_type == CfgType::Initialize) {
      const at::Tensor both = denoiser(at::cat({input.narrow(0, 0, p), input}, 0),
                                       at::cat({entry_timesteps.narrow(0, 0, p), entry_timesteps}, 0),
                                       Conditioning::cat({uncond_.narrow(0, p), cond_}), canvas_);
      unconditional = both.narrow(0, 0, p);
      prediction = both.narrow(0, p, steps * p);
    } else {
      prediction = denoiser(input, entry_timesteps, cond_, canvas_);
    }
    if (bootstrapping) {
      // Roll back before guidance: the stock noise used by self/initialize
      // guidance lives in the un-rolled frame.
      prediction = roll_entries(prediction, shifts_, /*reverse=*/false);
      if (unconditional.defined()) {
        const std::vector<std::pair<int64_t, int64_t>> shifts(shifts_.begin(), shifts_.begin() + unconditional.size(0));
        unconditional = roll_entries(unconditional, shifts, /*reverse=*/false);
      }
      entries = roll_entries(entries, shifts_, /*reverse=*/false);
    }
    if (guided) {
      const at::Tensor stock = stock_noise_.repeat_interleave(p, 0) * settings.delta;
      if (settings.cfg_type == CfgType::Self) {
        unconditional = stock;
      } else if (settings.cfg_type == CfgType::Initialize) {
        unconditional = at::cat({unconditional * settings.delta, stock.narrow(0, p, (steps - 1) * p)}, 0);
      }
      prediction = unconditional + settings.guidance * (prediction - unconditional);
    }

    // 5. The sampler's step per entry (LCM: the clean estimate; Euler: the
    //    latent at the next step's level), then latent pre-averaging.
    const at::Tensor denoised = entry_tables_->step(prediction, entries);
    latent =
        aggregate_regions(denoised.view({steps, p, channels_, latent_h_, latent_w_}), masks_, background_targets());
  }

  stock_guard.committed = true;
  fresh_noise_ = at::Tensor();
  ++calls_since_change_;
  ++calls_since_reset_;
  step_latents_ = latent;
  // 7. Re-noise each finished step to the next step's level for the next call
  //    (landing steps already end there).
  if (steps > 1) {
    const at::Tensor finished = latent.narrow(0, 0, steps - 1);
    buffer_ =
        sampler_->renoises() ? next_step_tables_->add_noise(finished, init_noise_.narrow(0, 1, steps - 1)) : finished;
  }
  return latent.narrow(0, steps - 1, 1);
}

bool StreamBatch::settled() const {
  // Step k's output is final once its input (step k-1's output of the call
  // before) is, and once S_k and S_{k+1} have stopped shifting (call k+1
  // after a reset): the last step's frame is final after T calls on an
  // unchanged scene, T+1 after a reset.
  return current_ && !pending_ && current_->settings.live_noise == LiveNoise::Settle &&
         calls_since_change_ >= step_count() && calls_since_reset_ > step_count();
}

void StreamBatch::flush() {
  for (int k = 0; k < step_count(); ++k) step();
}

at::Tensor StreamBatch::decode(const at::Tensor& latent) {
  at::NoGradGuard no_grad;
  return models_.codec->decode(latent);
}

}  // namespace semdraw::pipeline
