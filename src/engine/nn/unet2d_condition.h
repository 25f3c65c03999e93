#pragma once
// diffusers' UNet2DConditionModel for SD1.5 and SDXL configs (SDXL's added
// text/time conditioning included), as a
// torch::nn module whose parameter names are exactly the diffusers
// state-dict names, so "unet/diffusion_pytorch_model.safetensors" loads by
// name (see load_weights.h).
#include <torch/nn.h>

#include <filesystem>
#include <functional>

#include "nn/layers.h"
#include "nn/unet_blocks.h"
#include "nn/unet_config.h"

namespace semdraw::nn {

// diffusers' sinusoidal timestep embedding: timesteps [B] (any numeric
// dtype) -> [B, dim] float32. Half the channels are sin, half cos (cos first
// when flip_sin_to_cos), frequencies exp(-ln(10000)·i/(dim/2 − freq_shift)).
at::Tensor timestep_embedding(const at::Tensor& timesteps, int64_t dim, bool flip_sin_to_cos, double freq_shift);

// SDXL's added conditioning (UNetConfig::text_time()): the pooled text
// embedding [B, pooled] and the micro-conditioning time ids [B, 6].
struct AddedConditions {
  at::Tensor text_embeds;
  at::Tensor time_ids;
};

class UNet2DConditionModelImpl : public torch::nn::Module {
 public:
  explicit UNet2DConditionModelImpl(UNetConfig config);

  // sample [B,in,h,w]; timesteps [B] (or a scalar, broadcast), float or
  // integer, one per batch entry (the stream batch mixes steps);
  // encoder_hidden_states [B,M,cross_attention_dim]. Returns the noise
  // prediction [B,out,h,w] in sample's dtype. No host syncs: safe to run
  // asynchronously on CUDA.
  // `added` is required exactly when the config has added conditioning.
  at::Tensor forward(const at::Tensor& sample, const at::Tensor& timesteps, const at::Tensor& encoder_hidden_states,
                     const AddedConditions& added = {});

  const UNetConfig& config() const { return config_; }

  // Called before each resnet and transformer of forward() (SD1.5: 38 times
  // per call). It may throw to abandon the call: on a CPU one SD1.5 call takes
  // many seconds, and the engine uses this to stop when the artist stops or closes.
  void set_between_layers(std::function<void()> hook) { between_layers_ = std::move(hook); }

 private:
  // SDXL's add_embedding of the added conditions; undefined without them.
  at::Tensor added_embedding(const AddedConditions& added, int64_t batch, at::ScalarType dtype);

  UNetConfig config_;
  Conv2d conv_in_{nullptr}, conv_out_{nullptr};
  Linear time_linear_1_{nullptr}, time_linear_2_{nullptr};
  Linear add_linear_1_{nullptr}, add_linear_2_{nullptr};  // SDXL's add_embedding
  std::vector<DownBlock> down_blocks_;
  MidBlock mid_block_{nullptr};
  std::vector<UpBlock> up_blocks_;
  torch::nn::GroupNorm conv_norm_out_{nullptr};
  std::function<void()> between_layers_;
};
TORCH_MODULE(UNet2DConditionModel);

}  // namespace semdraw::nn
