#include "pipeline/conditioning.h"

#include <vector>

namespace semdraw::pipeline {

Conditioning Conditioning::lerp_to(const Conditioning& other, double weight) const {
  return {at::lerp(embeds, other.embeds, weight), pooled.defined() ? at::lerp(pooled, other.pooled, weight) : pooled};
}

Conditioning encode_conditioning(PromptEncoder* prompts, SdxlPromptEncoder* sdxl, const std::string& text,
                                 bool negative) {
  if (!sdxl) return {prompts->encode(text), {}};
  const SdxlConditioning c = sdxl->encode(text);
  if (negative && text.empty()) return {at::zeros_like(c.embeds), at::zeros_like(c.pooled)};
  return {c.embeds, c.pooled};
}

at::Tensor sdxl_time_ids(int64_t height, int64_t width, int64_t batch, at::Device device, int64_t crop_top,
                         int64_t crop_left) {
  const auto h = static_cast<float>(height), w = static_cast<float>(width);
  const auto top = static_cast<float>(crop_top), left = static_cast<float>(crop_left);
  return at::tensor(std::vector<float>{h, w, top, left, h, w}).view({1, 6}).repeat({batch, 1}).to(device);
}

}  // namespace semdraw::pipeline
