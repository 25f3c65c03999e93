#pragma once
// The convolutional pieces of the UNet: diffusers' ResnetBlock2D (with the
// time-embedding projection), Downsample2D and Upsample2D. Parameter names
// match diffusers ("norm1", "conv1", "time_emb_proj", "conv_shortcut", "conv").
#include <torch/nn.h>

#include <optional>

#include "nn/layers.h"

namespace semdraw::nn {

struct ResnetBlock2DOptions {
  int in_channels = 0;
  int out_channels = 0;
  int temb_channels = 0;
  int groups = 32;
  double eps = 1e-5;
  double output_scale_factor = 1.0;
};

class ResnetBlock2DImpl : public torch::nn::Module {
 public:
  explicit ResnetBlock2DImpl(const ResnetBlock2DOptions& options);
  // x [B,in,H,W], temb [B,temb_channels] -> [B,out,H,W]
  at::Tensor forward(const at::Tensor& x, const at::Tensor& temb);

 private:
  double output_scale_factor_;
  torch::nn::GroupNorm norm1_{nullptr}, norm2_{nullptr};
  Conv2d conv1_{nullptr}, conv2_{nullptr}, conv_shortcut_{nullptr};
  Linear time_emb_proj_{nullptr};
};
TORCH_MODULE(ResnetBlock2D);

// Strided 3x3 convolution that halves the resolution.
class Downsample2DImpl : public torch::nn::Module {
 public:
  Downsample2DImpl(int channels, int padding);
  at::Tensor forward(const at::Tensor& x);

 private:
  bool pad_right_bottom_;
  Conv2d conv_{nullptr};
};
TORCH_MODULE(Downsample2D);

// Nearest-neighbour x2 (or to an explicit size, for latents whose sides are
// not multiples of the total down factor) followed by a 3x3 convolution.
class Upsample2DImpl : public torch::nn::Module {
 public:
  explicit Upsample2DImpl(int channels);
  at::Tensor forward(const at::Tensor& x, std::optional<std::vector<int64_t>> size = std::nullopt);

 private:
  Conv2d conv_{nullptr};
};
TORCH_MODULE(Upsample2D);

}  // namespace semdraw::nn
