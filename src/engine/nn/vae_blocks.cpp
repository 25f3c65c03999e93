#include "nn/vae_blocks.h"

#include <string>

namespace semdraw::nn {

namespace {

torch::nn::GroupNorm group_norm(int64_t groups, int64_t channels) {
  return torch::nn::GroupNorm(torch::nn::GroupNormOptions(groups, channels).eps(kVaeNormEps));
}

Conv2d conv3x3(int64_t in_channels, int64_t out_channels, int64_t stride = 1, int64_t padding = 1) {
  return Conv2d(torch::nn::Conv2dOptions(in_channels, out_channels, 3).stride(stride).padding(padding));
}

}  // namespace

VaeResnetBlockImpl::VaeResnetBlockImpl(int64_t in_channels, int64_t out_channels, int64_t groups) {
  norm1_ = register_module("norm1", group_norm(groups, in_channels));
  conv1_ = register_module("conv1", conv3x3(in_channels, out_channels));
  norm2_ = register_module("norm2", group_norm(groups, out_channels));
  conv2_ = register_module("conv2", conv3x3(out_channels, out_channels));
  if (in_channels != out_channels) {
    conv_shortcut_ = register_module("conv_shortcut", Conv2d(torch::nn::Conv2dOptions(in_channels, out_channels, 1)));
  }
}

at::Tensor VaeResnetBlockImpl::forward(const at::Tensor& x) {
  at::Tensor h = conv1_(at::silu(norm1_(x)));
  h = conv2_(at::silu(norm2_(h)));
  return (conv_shortcut_ ? conv_shortcut_(x) : x) + h;
}

VaeAttentionImpl::VaeAttentionImpl(int64_t channels, int64_t groups) {
  group_norm_ = register_module("group_norm", group_norm(groups, channels));
  to_q_ = register_module("to_q", Linear(channels, channels));
  to_k_ = register_module("to_k", Linear(channels, channels));
  to_v_ = register_module("to_v", Linear(channels, channels));
  // diffusers' to_out is [Linear, Dropout]; only index 0 has weights.
  auto to_out = register_module("to_out", torch::nn::ModuleList());
  to_out_ = Linear(channels, channels);
  to_out->push_back(to_out_);
}

at::Tensor VaeAttentionImpl::forward(const at::Tensor& x) {
  const int64_t batch = x.size(0), channels = x.size(1), height = x.size(2), width = x.size(3);
  const at::Tensor tokens = group_norm_(x).view({batch, channels, height * width}).transpose(1, 2);
  // [B, 1 head, H·W, C]
  const at::Tensor attended = at::scaled_dot_product_attention(to_q_(tokens).unsqueeze(1), to_k_(tokens).unsqueeze(1),
                                                               to_v_(tokens).unsqueeze(1))
                                  .squeeze(1);
  return to_out_(attended).transpose(1, 2).reshape({batch, channels, height, width}) + x;
}

VaeDownsampleImpl::VaeDownsampleImpl(int64_t channels) {
  conv_ = register_module("conv", conv3x3(channels, channels, /*stride=*/2, /*padding=*/0));
}

at::Tensor VaeDownsampleImpl::forward(const at::Tensor& x) { return conv_(at::constant_pad_nd(x, {0, 1, 0, 1}, 0)); }

VaeUpsampleImpl::VaeUpsampleImpl(int64_t channels) { conv_ = register_module("conv", conv3x3(channels, channels)); }

at::Tensor VaeUpsampleImpl::forward(const at::Tensor& x) {
  return conv_(at::upsample_nearest2d(x, {2 * x.size(2), 2 * x.size(3)}));
}

VaeMidBlockImpl::VaeMidBlockImpl(int64_t channels, int64_t groups, bool add_attention) {
  auto resnets = register_module("resnets", torch::nn::ModuleList());
  for (int i = 0; i < 2; ++i) {
    resnets_.push_back(VaeResnetBlock(channels, channels, groups));
    resnets->push_back(resnets_.back());
  }
  if (add_attention) {
    auto attentions = register_module("attentions", torch::nn::ModuleList());
    attention_ = VaeAttention(channels, groups);
    attentions->push_back(attention_);
  }
}

at::Tensor VaeMidBlockImpl::forward(const at::Tensor& x) {
  at::Tensor h = resnets_[0](x);
  if (attention_) h = attention_(h);
  return resnets_[1](h);
}

VaeDownBlockImpl::VaeDownBlockImpl(int64_t in_channels, int64_t out_channels, int64_t layers, int64_t groups,
                                   bool downsample) {
  auto resnets = register_module("resnets", torch::nn::ModuleList());
  for (int64_t i = 0; i < layers; ++i) {
    resnets_.push_back(VaeResnetBlock(i == 0 ? in_channels : out_channels, out_channels, groups));
    resnets->push_back(resnets_.back());
  }
  if (downsample) {
    auto samplers = register_module("downsamplers", torch::nn::ModuleList());
    downsample_ = VaeDownsample(out_channels);
    samplers->push_back(downsample_);
  }
}

at::Tensor VaeDownBlockImpl::forward(at::Tensor x) {
  for (auto& resnet : resnets_) x = resnet(x);
  return downsample_ ? downsample_(x) : x;
}

VaeUpBlockImpl::VaeUpBlockImpl(int64_t in_channels, int64_t out_channels, int64_t layers, int64_t groups,
                               bool upsample) {
  auto resnets = register_module("resnets", torch::nn::ModuleList());
  for (int64_t i = 0; i < layers; ++i) {
    resnets_.push_back(VaeResnetBlock(i == 0 ? in_channels : out_channels, out_channels, groups));
    resnets->push_back(resnets_.back());
  }
  if (upsample) {
    auto samplers = register_module("upsamplers", torch::nn::ModuleList());
    upsample_ = VaeUpsample(out_channels);
    samplers->push_back(upsample_);
  }
}

at::Tensor VaeUpBlockImpl::forward(at::Tensor x) {
  for (auto& resnet : resnets_) x = resnet(x);
  return upsample_ ? upsample_(x) : x;
}

}  // namespace semdraw::nn
