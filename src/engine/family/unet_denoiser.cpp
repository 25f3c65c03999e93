#include "family/unet_denoiser.h"

namespace semdraw::family {

at::Tensor UNetDenoiser::operator()(const at::Tensor& sample, const at::Tensor& timesteps,
                                    const pipeline::Conditioning& conditioning, const CanvasView& view) const {
  return unet_(sample, timesteps, conditioning.embeds, added(conditioning, sample.size(0), view));
}

nn::AddedConditions UNetDenoiser::added(const pipeline::Conditioning&, int64_t, const CanvasView&) const { return {}; }

}  // namespace semdraw::family
