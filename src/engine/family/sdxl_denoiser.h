#pragma once
// SDXL's UNet as a denoiser: besides the text embeddings it takes, per entry,
// the pooled embedding and the micro-conditioning time ids
// (H, W, crop_top, crop_left, H, W) in pixels: the canvas size, and the
// view's offset as the crop (a one-shot tile, as the paper's SDXL code tells
// the UNet; 0, 0 for the whole canvas and in the stream).
#include <map>
#include <tuple>

#include "family/unet_denoiser.h"

namespace semdraw::family {

// [batch, 6] time ids on `device`.
at::Tensor sdxl_time_ids(const CanvasView& view, int64_t batch, at::Device device);

class SdxlDenoiser final : public UNetDenoiser {
 public:
  using UNetDenoiser::UNetDenoiser;

 private:
  nn::AddedConditions added(const pipeline::Conditioning& conditioning, int64_t batch,
                            const CanvasView& view) const override;

  // The time ids of recent (view, batch) pairs, on the device: a stream calls
  // with the same ones every frame, and an upload each time would wait for the device.
  using TimeIdsKey = std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t>;
  mutable std::map<TimeIdsKey, at::Tensor> time_ids_;
};

}  // namespace semdraw::family
