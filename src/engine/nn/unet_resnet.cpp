#include "nn/unet_resnet.h"

namespace semdraw::nn {

namespace F = torch::nn::functional;

namespace {
Conv2d conv(int in, int out, int kernel, int stride = 1, int padding = -1) {
  return Conv2d(torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding < 0 ? kernel / 2 : padding));
}
}  // namespace

ResnetBlock2DImpl::ResnetBlock2DImpl(const ResnetBlock2DOptions& o) : output_scale_factor_(o.output_scale_factor) {
  norm1_ =
      register_module("norm1", torch::nn::GroupNorm(torch::nn::GroupNormOptions(o.groups, o.in_channels).eps(o.eps)));
  conv1_ = register_module("conv1", conv(o.in_channels, o.out_channels, 3));
  time_emb_proj_ = register_module("time_emb_proj", Linear(o.temb_channels, o.out_channels));
  norm2_ =
      register_module("norm2", torch::nn::GroupNorm(torch::nn::GroupNormOptions(o.groups, o.out_channels).eps(o.eps)));
  conv2_ = register_module("conv2", conv(o.out_channels, o.out_channels, 3));
  if (o.in_channels != o.out_channels)
    conv_shortcut_ = register_module("conv_shortcut", conv(o.in_channels, o.out_channels, 1));
}

at::Tensor ResnetBlock2DImpl::forward(const at::Tensor& x, const at::Tensor& temb) {
  at::Tensor h = conv1_->forward(at::silu(norm1_->forward(x)));
  // One time embedding per batch entry, broadcast over the feature map.
  h = h + time_emb_proj_->forward(at::silu(temb)).unsqueeze(-1).unsqueeze(-1);
  h = conv2_->forward(at::silu(norm2_->forward(h)));  // dropout is identity at inference
  const at::Tensor shortcut = conv_shortcut_ ? conv_shortcut_->forward(x) : x;
  at::Tensor out = shortcut + h;
  if (output_scale_factor_ != 1.0) out = out / output_scale_factor_;
  return out;
}

Downsample2DImpl::Downsample2DImpl(int channels, int padding) : pad_right_bottom_(padding == 0) {
  conv_ = register_module("conv", conv(channels, channels, 3, 2, padding));
}

at::Tensor Downsample2DImpl::forward(const at::Tensor& x) {
  // diffusers pads only right/bottom when downsample_padding is 0, so that
  // the strided conv still sees every pixel.
  if (pad_right_bottom_) return conv_->forward(at::constant_pad_nd(x, {0, 1, 0, 1}, 0.0));
  return conv_->forward(x);
}

Upsample2DImpl::Upsample2DImpl(int channels) { conv_ = register_module("conv", conv(channels, channels, 3)); }

at::Tensor Upsample2DImpl::forward(const at::Tensor& x, std::optional<std::vector<int64_t>> size) {
  auto options = F::InterpolateFuncOptions().mode(torch::kNearest);
  if (size)
    options.size(*size);
  else
    options.scale_factor(std::vector<double>{2.0, 2.0});
  return conv_->forward(F::interpolate(x, options));
}

}  // namespace semdraw::nn
