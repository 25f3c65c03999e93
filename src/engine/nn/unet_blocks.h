#pragma once
// The UNet's down, middle and up blocks. One class per direction covers
// diffusers' CrossAttn* and plain variants: the plain one simply has no
// "attentions" list. Names: "resnets.N", "attentions.N", "downsamplers.0",
// "upsamplers.0".
#include <torch/nn.h>

#include <functional>
#include <optional>
#include <vector>

#include "nn/unet_resnet.h"
#include "nn/unet_transformer.h"

namespace semdraw::nn {

// What every block needs to know besides its own channel counts.
struct BlockCommon {
  int temb_channels = 0;
  int groups = 32;
  double eps = 1e-5;
  double resnet_scale = 1.0;
  bool cross_attention = false;  // CrossAttn*Block2D
  int heads = 8;
  int transformer_layers = 1;
  int context_dim = 768;
  bool use_linear_projection = false;
};

class DownBlockImpl : public torch::nn::Module {
 public:
  DownBlockImpl(int in_channels, int out_channels, int layers, bool downsample, int downsample_padding,
                const BlockCommon& common);
  // Returns the block output; appends every skip connection to `skips`.
  // between_layers: called before each resnet and transformer (may throw to abandon the call).
  at::Tensor forward(at::Tensor x, const at::Tensor& temb, const at::Tensor& context, std::vector<at::Tensor>& skips,
                     const std::function<void()>& between_layers = {});

 private:
  std::vector<ResnetBlock2D> resnets_;
  std::vector<Transformer2DModel> attentions_;
  Downsample2D downsampler_{nullptr};
};
TORCH_MODULE(DownBlock);

// UNetMidBlock2DCrossAttn: resnet, then (attention, resnet) per layer.
class MidBlockImpl : public torch::nn::Module {
 public:
  MidBlockImpl(int channels, const BlockCommon& common);
  at::Tensor forward(at::Tensor x, const at::Tensor& temb, const at::Tensor& context,
                     const std::function<void()>& between_layers = {});

 private:
  std::vector<ResnetBlock2D> resnets_;
  std::vector<Transformer2DModel> attentions_;
};
TORCH_MODULE(MidBlock);

class UpBlockImpl : public torch::nn::Module {
 public:
  // skip_channels[i]: channels of the skip connection consumed by resnet i.
  UpBlockImpl(int prev_channels, int out_channels, const std::vector<int>& skip_channels, bool upsample,
              const BlockCommon& common);
  // Consumes its skips from the back of `skips`. `upsample_size` forces the
  // upsampled size when the latent side is not a multiple of the down factor.
  at::Tensor forward(at::Tensor x, const at::Tensor& temb, const at::Tensor& context, std::vector<at::Tensor>& skips,
                     std::optional<std::vector<int64_t>> upsample_size,
                     const std::function<void()>& between_layers = {});
  size_t skip_count() const { return resnets_.size(); }

 private:
  std::vector<ResnetBlock2D> resnets_;
  std::vector<Transformer2DModel> attentions_;
  Upsample2D upsampler_{nullptr};
};
TORCH_MODULE(UpBlock);

}  // namespace semdraw::nn
