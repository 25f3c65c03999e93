#pragma once
// A model family's denoiser as the region pipelines call it: latents at
// timesteps, conditioned entry by entry, plus whatever added conditioning the
// family's network takes, formed inside the call (SDXL: the pooled embedding
// and the time ids), so the pipelines never ask which family runs.
#include <ATen/ATen.h>

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/conditioning.h"
#include "runtime/graphed_call.h"

namespace semdraw::family {

// Where a batch's latents sit on the canvas, in pixels: the canvas size and
// the top-left corner of the crop the denoiser sees (a one-shot tile; 0, 0
// for the whole canvas).
struct CanvasView {
  int64_t height = 0, width = 0;
  int64_t top = 0, left = 0;
};

class Denoiser {
 public:
  virtual ~Denoiser() = default;
  // The prediction for `sample` [B,C,h,w] at `timesteps` [B] (on any device),
  // `conditioning` holding B entries.
  virtual at::Tensor operator()(const at::Tensor& sample, const at::Tensor& timesteps,
                                const pipeline::Conditioning& conditioning, const CanvasView& view) const = 0;
  // Channels of the latents it denoises.
  virtual int64_t latent_channels() const = 0;
  // CUDA-graph counters of its calls, and what went wrong with graphs.
  virtual GraphedCallStats stats() const = 0;
  virtual std::vector<std::string> take_warnings() const = 0;
};

}  // namespace semdraw::family
