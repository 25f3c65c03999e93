#include "pipeline/mask_processing.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace semdraw::pipeline {

at::Tensor resize_masks(const at::Tensor& masks, int64_t height, int64_t width) {
  TORCH_CHECK(masks.dim() == 3, "masks must be [p,H,W], got ", masks.sizes());
  if (masks.size(1) == height && masks.size(2) == width) return masks;
  return at::upsample_bilinear2d(masks.unsqueeze(0), {height, width}, /*align_corners=*/false).squeeze(0);
}

at::Tensor apply_cover_alpha(const at::Tensor& masks, double alpha) {
  const int64_t p = masks.size(0);
  if (p < 2) return masks;
  // above[i] = union of regions i+1..p-1 (reverse cumulative max of "> 0").
  const at::Tensor occupied = masks.gt(0).to(masks.scalar_type());
  const at::Tensor from_top = std::get<0>(occupied.flip(0).cummax(0)).flip(0);  // regions i..p-1
  at::Tensor above = at::zeros_like(masks);
  above.narrow(0, 0, p - 1).copy_(from_top.narrow(0, 1, p - 1));
  return at::where(above.gt(0), masks * alpha, masks);
}

namespace {
at::Tensor gaussian_kernel(double sigma, double window_sigma, const at::TensorOptions& options) {
  const int64_t radius = static_cast<int64_t>(std::ceil(3.0 * std::max(sigma, window_sigma)));
  at::Tensor x = at::arange(-radius, radius + 1, options.dtype(at::kDouble));
  at::Tensor kernel = at::exp(-(x * x) / (2.0 * sigma * sigma));
  return (kernel / kernel.sum()).to(options.dtype());
}
}  // namespace

at::Tensor gaussian_blur(const at::Tensor& mask, double sigma, double window_sigma) {
  TORCH_CHECK(mask.dim() == 2, "gaussian_blur takes [H,W], got ", mask.sizes());
  if (!(sigma > 0)) return mask;
  const at::Tensor kernel = gaussian_kernel(sigma, window_sigma, mask.options());
  const int64_t radius = (kernel.size(0) - 1) / 2;
  // [1,1,H,W], replicate-padded, then a row pass and a column pass.
  at::Tensor x = mask.unsqueeze(0).unsqueeze(0);
  x = at::replication_pad2d(x, {radius, radius, radius, radius});
  x = at::conv2d(x, kernel.view({1, 1, 1, -1}));
  x = at::conv2d(x, kernel.view({1, 1, -1, 1}));
  return x.squeeze(0).squeeze(0);
}

at::Tensor quantise_masks(const at::Tensor& masks, const std::vector<double>& noise_levels, MaskMode mode) {
  const int64_t steps = static_cast<int64_t>(noise_levels.size());
  TORCH_CHECK(steps > 0, "quantise_masks needs at least one step");
  std::vector<at::Tensor> per_step;
  per_step.reserve(noise_levels.size());
  for (int64_t k = 0; k < steps; ++k) {
    const double level = noise_levels[k];
    const double next = k + 1 < steps ? noise_levels[k + 1] : 0.0;  // n_T := 0
    const bool continuous = mode == MaskMode::Continuous || (mode == MaskMode::SemiContinuous && k == steps - 1);
    if (continuous) {
      per_step.push_back(((masks - next) / (level - next)).clamp(0.0, 1.0));
    } else {
      per_step.push_back(masks.gt(level).to(masks.scalar_type()));
    }
  }
  return at::stack(per_step, 1);
}

ProcessedMasks process_masks(const at::Tensor& painted, const std::vector<RegionMaskParams>& params,
                             const std::vector<double>& noise_levels, MaskMode mode, double cover_alpha,
                             int64_t canvas_height, int64_t canvas_width) {
  TORCH_CHECK(painted.dim() == 3, "painted masks must be [p,H,W], got ", painted.sizes());
  TORCH_CHECK(painted.size(0) == static_cast<int64_t>(params.size()), "got ", painted.size(0),
              " masks but parameters for ", params.size(), " regions");
  TORCH_CHECK(canvas_height % 8 == 0 && canvas_width % 8 == 0, "canvas ", canvas_width, "x", canvas_height,
              " is not a multiple of 8");
  ProcessedMasks out;
  // All of docs/ALGORITHM.md §2 runs in float64, whatever the pipeline's dtype: the continuous
  // ramp divides by n_k - n_k+1 (0.0035 between the first default steps), so
  // fp32 rounding in the blur would be magnified ~300-fold (and fp16 would be
  // useless). Masks are small and change only on edits, so this costs little.
  out.resized = resize_masks(painted.to(at::kDouble), canvas_height, canvas_width);
  out.covered = apply_cover_alpha(out.resized, cover_alpha);
  // Every kernel is as wide as the widest one among the regions processed
  // together, as the paper's code sizes its batched kernels: with mixed
  // sigmas the narrower kernels keep more of their tails, which moves the
  // continuous ramp by up to 0.1.
  double window_sigma = 0.0;
  for (const RegionMaskParams& region : params) window_sigma = std::max(window_sigma, region.blur_sigma);
  std::vector<at::Tensor> blurred;
  blurred.reserve(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    blurred.push_back(gaussian_blur(out.covered[static_cast<int64_t>(i)], params[i].blur_sigma, window_sigma));
  }
  out.blurred = blurred.empty() ? out.covered.clone() : at::stack(blurred, 0);
  std::vector<double> strengths;
  for (const RegionMaskParams& region : params) strengths.push_back(region.mask_strength);
  out.strengthened = out.blurred * at::tensor(strengths, out.blurred.options()).view({-1, 1, 1});
  out.quantised = quantise_masks(out.strengthened, noise_levels, mode);
  const int64_t steps = out.quantised.size(1);
  const at::Tensor flat = out.quantised.flatten(0, 1);  // [p*T,H,W]
  out.masks = at::upsample_nearest2d(flat.unsqueeze(1), {canvas_height / 8, canvas_width / 8})
                  .squeeze(1)
                  .view({-1, steps, canvas_height / 8, canvas_width / 8});
  out.count = out.masks.sum(0);
  out.background = (1.0 - out.count).clamp(0.0, 1.0);
  return out;
}

}  // namespace semdraw::pipeline
