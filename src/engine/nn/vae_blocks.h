#pragma once
// Building blocks of diffusers' AutoencoderKL encoder/decoder (no time
// embedding): ResnetBlock2D, the single-head spatial self-attention of the mid
// block, Downsample2D/Upsample2D with a conv, and UNetMidBlock2D. Submodule
// names follow diffusers so parameters load by their checkpoint names.
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <vector>

#include "nn/layers.h"

namespace semdraw::nn {

// diffusers builds every VAE norm with eps 1e-6.
inline constexpr double kVaeNormEps = 1e-6;

class VaeResnetBlockImpl : public torch::nn::Module {
 public:
  VaeResnetBlockImpl(int64_t in_channels, int64_t out_channels, int64_t groups);
  at::Tensor forward(const at::Tensor& x);

 private:
  torch::nn::GroupNorm norm1_{nullptr}, norm2_{nullptr};
  Conv2d conv1_{nullptr}, conv2_{nullptr}, conv_shortcut_{nullptr};
};
TORCH_MODULE(VaeResnetBlock);

// One attention head as wide as the channels over all H·W positions, with
// its own GroupNorm and a residual connection (diffusers' Attention with
// group_norm, residual_connection=True).
class VaeAttentionImpl : public torch::nn::Module {
 public:
  VaeAttentionImpl(int64_t channels, int64_t groups);
  at::Tensor forward(const at::Tensor& x);

 private:
  torch::nn::GroupNorm group_norm_{nullptr};
  Linear to_q_{nullptr}, to_k_{nullptr}, to_v_{nullptr}, to_out_{nullptr};
};
TORCH_MODULE(VaeAttention);

// Stride-2 conv after padding right/bottom by one (diffusers pads (0,1,0,1)
// so that even sizes halve exactly).
class VaeDownsampleImpl : public torch::nn::Module {
 public:
  explicit VaeDownsampleImpl(int64_t channels);
  at::Tensor forward(const at::Tensor& x);

 private:
  Conv2d conv_{nullptr};
};
TORCH_MODULE(VaeDownsample);

// Nearest-neighbour 2× then a 3×3 conv.
class VaeUpsampleImpl : public torch::nn::Module {
 public:
  explicit VaeUpsampleImpl(int64_t channels);
  at::Tensor forward(const at::Tensor& x);

 private:
  Conv2d conv_{nullptr};
};
TORCH_MODULE(VaeUpsample);

// resnets.0 -> attentions.0 (optional) -> resnets.1
class VaeMidBlockImpl : public torch::nn::Module {
 public:
  VaeMidBlockImpl(int64_t channels, int64_t groups, bool add_attention);
  at::Tensor forward(const at::Tensor& x);

 private:
  std::vector<VaeResnetBlock> resnets_;
  VaeAttention attention_{nullptr};
};
TORCH_MODULE(VaeMidBlock);

// `resnets.N` then, unless it is the last level, `downsamplers.0` / `upsamplers.0`.
class VaeDownBlockImpl : public torch::nn::Module {
 public:
  VaeDownBlockImpl(int64_t in_channels, int64_t out_channels, int64_t layers, int64_t groups, bool downsample);
  at::Tensor forward(at::Tensor x);

 private:
  std::vector<VaeResnetBlock> resnets_;
  VaeDownsample downsample_{nullptr};
};
TORCH_MODULE(VaeDownBlock);

class VaeUpBlockImpl : public torch::nn::Module {
 public:
  VaeUpBlockImpl(int64_t in_channels, int64_t out_channels, int64_t layers, int64_t groups, bool upsample);
  at::Tensor forward(at::Tensor x);

 private:
  std::vector<VaeResnetBlock> resnets_;
  VaeUpsample upsample_{nullptr};
};
TORCH_MODULE(VaeUpBlock);

}  // namespace semdraw::nn
