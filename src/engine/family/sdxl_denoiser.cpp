#include "family/sdxl_denoiser.h"

#include <stdexcept>
#include <vector>

namespace semdraw::family {

at::Tensor sdxl_time_ids(const CanvasView& view, int64_t batch, at::Device device) {
  const auto h = static_cast<float>(view.height), w = static_cast<float>(view.width);
  const auto top = static_cast<float>(view.top), left = static_cast<float>(view.left);
  return at::tensor(std::vector<float>{h, w, top, left, h, w}).view({1, 6}).repeat({batch, 1}).to(device);
}

nn::AddedConditions SdxlDenoiser::added(const pipeline::Conditioning& conditioning, int64_t batch,
                                        const CanvasView& view) const {
  if (!conditioning.pooled.defined())
    throw std::invalid_argument("SDXL denoiser: the conditioning has no pooled embedding");
  const TimeIdsKey key{view.height, view.width, view.top, view.left, batch};
  auto found = time_ids_.find(key);
  if (found == time_ids_.end()) {
    if (time_ids_.size() >= 64) time_ids_.clear();  // tiles of a few canvases at most
    found = time_ids_.emplace(key, sdxl_time_ids(view, batch, conditioning.pooled.device())).first;
  }
  return {conditioning.pooled, found->second};
}

}  // namespace semdraw::family
