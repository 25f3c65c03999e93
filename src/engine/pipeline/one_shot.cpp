#include "pipeline/one_shot.h"

#include <chrono>

#include "family/denoiser.h"
#include "family/text_conditioner.h"
#include "pipeline/conditioning.h"
#include "pipeline/mask_processing.h"
#include "pipeline/region_ops.h"
#include "pipeline/sampler_steps.h"
#include "pipeline/scene_tensors.h"
#include "pipeline/tiling.h"
#include "runtime/synchronize.h"
#include "semdraw/engine/engine.h"

namespace semdraw::pipeline {

namespace {
// The regions as one batch: masks [P,T,h,w] and conditioning of P entries.
struct RegionBatch {
  at::Tensor masks;
  Conditioning cond, uncond;
  at::Tensor canvas_masks;  // [p,H,W] blurred painted masks before strength, for the final blend
};

RegionBatch build_regions(const PipelineModels& models, const Scene& scene, const std::vector<double>& levels,
                          int64_t latent_h, int64_t latent_w, bool has_image, const at::TensorOptions& options) {
  const PromptConditioning background = models.text->encode(scene.background.prompt, scene.background.negative_prompt);
  std::vector<Conditioning> cond, uncond;
  std::vector<at::Tensor> painted;
  std::vector<RegionMaskParams> params;
  for (const auto& region : scene.regions) {
    if (!region_contributes(region)) continue;
    painted.push_back(mask_to_tensor(region.mask, scene.height, scene.width));
    params.push_back({region.blur_sigma, region.mask_strength});
    const PromptConditioning mixed =
        background.lerp_to(models.text->encode(region.prompt, region.negative_prompt), region.prompt_strength);
    cond.push_back(mixed.cond);
    uncond.push_back(mixed.uncond);
  }
  const int64_t steps = static_cast<int64_t>(levels.size());
  RegionBatch batch;
  at::Tensor background_mask = at::ones({1, steps, latent_h, latent_w}, options);
  if (!painted.empty()) {
    const ProcessedMasks processed =
        process_masks(at::stack(painted, 0).to(options.device()), params, levels, scene.settings.mask_mode,
                      scene.settings.cover_alpha, scene.height, scene.width);
    batch.masks = processed.masks.to(options);
    batch.canvas_masks = processed.blurred;
    background_mask = processed.background.unsqueeze(0).to(options);
  }
  if (!has_image) {
    // No background image: the background is a region of its own (mask =
    // what no region covers) generated with the rest, under its own prompt.
    batch.masks = batch.masks.defined() ? at::cat({background_mask, batch.masks}, 0) : background_mask;
    cond.insert(cond.begin(), background.cond);
    uncond.insert(uncond.begin(), background.uncond);
  }
  if (!cond.empty()) {
    batch.cond = Conditioning::cat(cond);
    batch.uncond = Conditioning::cat(uncond);
  }
  return batch;
}

std::vector<std::pair<int64_t, int64_t>> centre_shifts(const at::Tensor& masks_host) {
  std::vector<std::pair<int64_t, int64_t>> shifts;
  for (int64_t i = 0; i < masks_host.size(0); ++i) shifts.push_back(mask_centre_shift(masks_host[i]));
  return shifts;
}
}  // namespace

OneShotResult render_one_shot(const PipelineModels& models, const Scene& scene_in, NoiseSource& noise,
                              const OneShotOptions& options) {
  at::NoGradGuard no_grad;
  const auto start = std::chrono::steady_clock::now();
  const auto ms_since = [](std::chrono::steady_clock::time_point from) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - from).count();
  };
  Scene scene = scene_in;
  validate_scene(scene);
  const GenerationSettings& settings = scene.settings;
  const at::TensorOptions opts = at::TensorOptions().device(models.device).dtype(models.dtype);
  const std::unique_ptr<sched::StepSchedule> schedule = models.scheduler->schedule(
      resolve_sampler(settings.sampler, models.default_sampler), settings.steps, settings.step_indices);
  const sched::StepSchedule& sampler = *schedule;

  OneShotResult result;
  result.timesteps = sampler.timesteps();
  const auto& timesteps = result.timesteps;
  const int64_t steps = static_cast<int64_t>(timesteps.size());
  const std::vector<double>& levels = sampler.levels();

  const int64_t factor = models.codec->downscale_factor();
  const int64_t h = scene.height / factor, w = scene.width / factor;
  const int64_t channels = models.denoiser->latent_channels();
  const bool has_image = !scene.background.image.empty();
  const at::Tensor background_image =
      has_image ? image_to_tensor(scene.background.image, scene.height, scene.width).to(opts) : at::Tensor();
  const at::Tensor white_latent = models.codec->encode(at::ones({1, 3, scene.height, scene.width}, opts));
  const at::Tensor background_latent = has_image ? models.codec->encode(background_image) : white_latent;

  const RegionBatch regions = build_regions(models, scene, levels, h, w, has_image, opts);
  const int64_t p = regions.masks.defined() ? regions.masks.size(0) : 0;
  if (p == 0) {  // a background image and nothing painted on it
    result.latent = background_latent;
    result.image = background_image;
    return result;
  }
  const at::Tensor masks_host = regions.masks.to(at::kCPU, at::kFloat);

  // The paper's code starts from the noised picture only when the first step
  // is below t = 999; at 999 (the default index list starts there) it starts
  // from noise alone. One draw either way, so the noise order does not change.
  const at::Tensor first = noise.normal({1, channels, h, w}, opts);
  const bool start_from_picture = has_image && timesteps[0] < 999;
  at::Tensor latent = start_from_picture ? sampler.add_noise(background_latent, first, 0) : sampler.start(first);
  // Landing steps (Euler) are deterministic: the bootstrap and background
  // latents of every step are noised with this first draw, and nothing more is drawn.
  const auto step_noise = [&]() { return sampler.renoises() ? noise.normal({1, channels, h, w}, opts) : first; };
  const auto views = tile_views(h, w, settings.tile_size / factor);
  const bool guided = settings.guidance > 1.0;
  const family::Denoiser& denoiser = *models.denoiser;

  const int64_t total_calls = steps * static_cast<int64_t>(views.size());
  int64_t calls_done = 0;
  for (int64_t i = 0; i < steps; ++i) {
    const size_t k = static_cast<size_t>(i);
    const int64_t t = timesteps[k];
    const bool bootstrapping = i < settings.bootstrap_steps;
    at::Tensor bootstrap;
    if (bootstrapping) {
      const double mix = std::clamp(settings.bootstrap_mix_steps - static_cast<double>(i), 0.0, 1.0);
      bootstrap = sampler.add_noise(mix * white_latent + (1.0 - mix) * background_latent, step_noise(), k);
    }
    at::Tensor value = at::zeros_like(latent);
    at::Tensor count = at::zeros({1, 1, h, w}, opts);
    for (const TileView& view : views) {
      const auto crop = [&](const at::Tensor& x) {
        return x.slice(-2, view.top, view.bottom).slice(-1, view.left, view.right);
      };
      at::Tensor m = crop(regions.masks.select(1, i)).unsqueeze(1);  // [P,1,vh,vw]
      at::Tensor x = crop(latent).repeat({p, 1, 1, 1});
      std::vector<std::pair<int64_t, int64_t>> shifts;
      if (bootstrapping) {
        x = (1.0 - m) * crop(bootstrap) + m * x;
        shifts = centre_shifts(crop(masks_host.select(1, i)));
        x = roll_entries(x, shifts, /*reverse=*/true);
      }
      const int64_t batch = guided ? 2 * p : p;
      const at::Tensor t_batch = at::full({batch}, t, at::TensorOptions().dtype(at::kLong).device(models.device));
      // A tile is a crop of the canvas at the view's offset (SDXL conditions
      // on it); a single view is the whole canvas, uncropped.
      const family::CanvasView canvas{scene.height, scene.width, view.top * factor, view.left * factor};
      const at::Tensor input = sampler.model_input(x, k);
      at::Tensor eps;
      if (guided) {
        const at::Tensor both =
            denoiser(at::cat({input, input}, 0), t_batch, Conditioning::cat({regions.uncond, regions.cond}), canvas);
        const at::Tensor eps_u = both.narrow(0, 0, p), eps_c = both.narrow(0, p, p);
        eps = eps_u + settings.guidance * (eps_c - eps_u);
      } else {
        eps = denoiser(input, t_batch, regions.cond, canvas);
      }
      at::Tensor denoised = sampler.step(eps, x, k);
      if (bootstrapping) {
        denoised = roll_entries(denoised, shifts, /*reverse=*/false);
        if (options.leak_suppression) {
          const at::Tensor leak = (denoised - crop(bootstrap)).pow(2).mean(1, /*keepdim=*/true);
          m = m * (2.0 * at::sigmoid(leak / options.leak_sensitivity) - 1.0);
        }
      }
      m = m * view.weight.to(opts);
      crop(value) += (m * denoised).sum(0, /*keepdim=*/true);
      crop(count) += m.sum(0, /*keepdim=*/true);
      ++calls_done;
      if (options.progress && !options.progress(static_cast<double>(calls_done) / static_cast<double>(total_calls)))
        throw Cancelled("render cancelled");
    }
    latent = at::where(count.gt(0), value / count.clamp_min(1e-12), value);
    const bool last = i + 1 == steps;
    if (has_image) {
      // The picture joins at the level of what the step produced: clean
      // after a renoising step (LCM), the next step's level after a landing one.
      const at::Tensor uncovered = (1.0 - count).clamp(0.0, 1.0);
      const at::Tensor picture = sampler.output_level(background_latent, first, k);
      latent = (1.0 - uncovered) * latent + uncovered * picture;
    }
    if (!last && sampler.renoises()) latent = sampler.add_noise(latent, noise.normal({1, channels, h, w}, opts), k + 1);
  }
  result.latent = latent;
  synchronize(models.device);
  result.denoise_ms = ms_since(start);
  const auto decode_start = std::chrono::steady_clock::now();
  result.image = models.codec->decode(latent);
  if (has_image && regions.canvas_masks.defined()) {
    // Keep the artist's picture exactly where nothing was painted: blend over
    // it with the union of the blurred region masks, taken before mask
    // strength (as the paper's code does): a fully painted region of strength
    // 0.9 shows none of the picture through it.
    const at::Tensor union_mask =
        regions.canvas_masks.sum(0).clamp(0.0, 1.0).view({1, 1, scene.height, scene.width}).to(opts);
    result.image = union_mask * result.image + (1.0 - union_mask) * background_image;
  }
  synchronize(models.device);
  result.decode_ms = ms_since(decode_start);
  return result;
}

}  // namespace semdraw::pipeline
