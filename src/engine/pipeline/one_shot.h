#pragma once
// The one-shot region render behind "Generate" (docs/ALGORITHM.md §7): every scheduled
// step runs all regions of each tile as one UNet batch with classifier-free
// guidance, applies mask-centring bootstrapping in the first steps,
// pre-averages the denoised latents and re-noises to the next step's level.
#include <ATen/ATen.h>

#include <functional>
#include <vector>

#include "pipeline/noise_source.h"
#include "pipeline/pipeline_models.h"
#include "semdraw/engine/scene.h"

namespace semdraw::pipeline {

struct OneShotOptions {
  // Leak suppression in every bootstrap step, as the paper's code always
  // runs it: a region's aggregation mask is scaled by
  // 2·sigmoid(mean_c((denoised − b)²)/sensitivity) − 1, b the noised
  // bootstrap latent, so where a region still looks like the plain
  // background it does not overwrite its neighbours.
  bool leak_suppression = true;
  double leak_sensitivity = 0.2;
  // Called after every UNet call with the fraction done; false stops the
  // render with semdraw::Cancelled (between calls: never a half-updated latent).
  std::function<bool(double)> progress;
};

struct OneShotResult {
  at::Tensor latent;  // [1,C,h,w] final denoised latent
  at::Tensor image;   // [1,3,H,W] in [0,1], blended over the background image if any
  std::vector<int64_t> timesteps;
  // Wall time, the device synchronised at each boundary: prompts, masks and
  // all UNet steps; then the VAE decode and the blend over the background.
  double denoise_ms = 0;
  double decode_ms = 0;
};

// Noise is drawn from `noise` in this order: the initial latent noise, then
// for each step: the bootstrap noise (only while bootstrapping), then the
// re-noise noise (all steps but the last). All draws are [1,C,h,w].
OneShotResult render_one_shot(const PipelineModels& models, const Scene& scene, NoiseSource& noise,
                              const OneShotOptions& options = {});

}  // namespace semdraw::pipeline
