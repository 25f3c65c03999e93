#pragma once
// The UNet as a denoiser. SD1.x: conditioned by the text embeddings alone;
// UNetDenoiser::added lets a family (SDXL) add what its UNet also takes.
#include "family/denoiser.h"
#include "pipeline/unet_call.h"

namespace semdraw::family {

class UNetDenoiser : public Denoiser {
 public:
  explicit UNetDenoiser(pipeline::UNetCall unet) : unet_(std::move(unet)) {}

  at::Tensor operator()(const at::Tensor& sample, const at::Tensor& timesteps,
                        const pipeline::Conditioning& conditioning, const CanvasView& view) const override;
  int64_t latent_channels() const override { return unet_.config().in_channels; }
  GraphedCallStats stats() const override { return unet_.stats(); }
  std::vector<std::string> take_warnings() const override { return unet_.take_warnings(); }

 protected:
  // The UNet's added conditioning for a batch of `batch` entries; none here.
  virtual nn::AddedConditions added(const pipeline::Conditioning& conditioning, int64_t batch,
                                    const CanvasView& view) const;

 private:
  pipeline::UNetCall unet_;
};

}  // namespace semdraw::family
