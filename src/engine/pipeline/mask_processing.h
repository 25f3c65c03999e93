#pragma once
// Region masks from what the artist painted to what each denoising step uses
// (docs/ALGORITHM.md §2): resize, cover alpha, Gaussian blur, strength, quantisation
// against the step noise levels ("quantised masks"), nearest downsampling.
#include <ATen/ATen.h>

#include <vector>

#include "semdraw/engine/scene.h"

namespace semdraw::pipeline {

using semdraw::MaskMode;

struct RegionMaskParams {
  double blur_sigma = 8.0;     // canvas pixels; 0 = no blur
  double mask_strength = 1.0;  // multiplies the blurred mask
};

// Every stage, kept for tests and for the canvas' "processed mask" overlay.
struct ProcessedMasks {
  at::Tensor resized;       // [p,H,W]   painted masks at canvas size
  at::Tensor covered;       // [p,H,W]   after cover alpha
  at::Tensor blurred;       // [p,H,W]   after blur, before strength (the one-shot's final blend)
  at::Tensor strengthened;  // [p,H,W] after blur and strength: what is quantised
  at::Tensor quantised;     // [p,T,H,W] per step, canvas size
  at::Tensor masks;         // [p,T,h,w] per step, latent size: what the pipelines use
  at::Tensor count;         // [T,h,w]   sum over regions
  at::Tensor background;    // [T,h,w]   clip(1 - count, 0, 1)
};

// Bilinear resize of [p,H0,W0] masks to [p,H,W] (half-pixel centres, as torch's
// interpolate with align_corners=false).
at::Tensor resize_masks(const at::Tensor& masks, int64_t height, int64_t width);

// Region i is multiplied by `alpha` wherever any region above it (higher index)
// is non-zero; the top region is unchanged.
at::Tensor apply_cover_alpha(const at::Tensor& masks, double alpha);

// Separable normalised Gaussian with replicate padding; sigma <= 0 returns the
// mask unchanged. The window is 2*ceil(3 s)+1 with s = max(sigma,
// window_sigma): process_masks passes the largest sigma of the regions it
// processes together. mask: [H,W].
at::Tensor gaussian_blur(const at::Tensor& mask, double sigma, double window_sigma = 0.0);

// noise_levels: n_k = sqrt(1 - alpha_bar(t_k)) for the T steps, decreasing.
// Returns [p,T,H,W].
at::Tensor quantise_masks(const at::Tensor& masks, const std::vector<double>& noise_levels, MaskMode mode);

// The whole chain. painted: [p,H0,W0] in [0,1] (any float dtype and device).
// Computed in float64; every stage is returned in float64 (callers cast).
ProcessedMasks process_masks(const at::Tensor& painted, const std::vector<RegionMaskParams>& params,
                             const std::vector<double>& noise_levels, MaskMode mode, double cover_alpha,
                             int64_t canvas_height, int64_t canvas_width);

}  // namespace semdraw::pipeline
