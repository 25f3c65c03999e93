#include "nn/unet_blocks.h"

#include <stdexcept>

namespace semdraw::nn {

namespace {

ResnetBlock2D make_resnet(int in_channels, int out_channels, const BlockCommon& c) {
  ResnetBlock2DOptions o;
  o.in_channels = in_channels;
  o.out_channels = out_channels;
  o.temb_channels = c.temb_channels;
  o.groups = c.groups;
  o.eps = c.eps;
  o.output_scale_factor = c.resnet_scale;
  return ResnetBlock2D(o);
}

Transformer2DModel make_transformer(int channels, const BlockCommon& c) {
  Transformer2DOptions o;
  o.channels = channels;
  o.heads = c.heads;
  o.head_dim = channels / c.heads;  // the config's "attention_head_dim" is the head count
  o.layers = c.transformer_layers;
  o.context_dim = c.context_dim;
  o.groups = c.groups;
  o.use_linear_projection = c.use_linear_projection;
  return Transformer2DModel(o);
}

}  // namespace

DownBlockImpl::DownBlockImpl(int in_channels, int out_channels, int layers, bool downsample, int downsample_padding,
                             const BlockCommon& common) {
  auto resnets = register_module("resnets", torch::nn::ModuleList());
  torch::nn::ModuleList attentions{nullptr};
  if (common.cross_attention) attentions = register_module("attentions", torch::nn::ModuleList());
  for (int i = 0; i < layers; ++i) {
    resnets_.push_back(make_resnet(i == 0 ? in_channels : out_channels, out_channels, common));
    resnets->push_back(resnets_.back());
    if (common.cross_attention) {
      attentions_.push_back(make_transformer(out_channels, common));
      attentions->push_back(attentions_.back());
    }
  }
  if (downsample) {
    auto list = register_module("downsamplers", torch::nn::ModuleList());
    downsampler_ = Downsample2D(out_channels, downsample_padding);
    list->push_back(downsampler_);
  }
}

namespace {
void call(const std::function<void()>& hook) {
  if (hook) hook();
}
}  // namespace

at::Tensor DownBlockImpl::forward(at::Tensor x, const at::Tensor& temb, const at::Tensor& context,
                                  std::vector<at::Tensor>& skips, const std::function<void()>& between_layers) {
  for (size_t i = 0; i < resnets_.size(); ++i) {
    call(between_layers);
    x = resnets_[i]->forward(x, temb);
    if (!attentions_.empty()) {
      call(between_layers);
      x = attentions_[i]->forward(x, context);
    }
    skips.push_back(x);
  }
  if (downsampler_) {
    x = downsampler_->forward(x);
    skips.push_back(x);
  }
  return x;
}

MidBlockImpl::MidBlockImpl(int channels, const BlockCommon& common) {
  auto resnets = register_module("resnets", torch::nn::ModuleList());
  auto attentions = register_module("attentions", torch::nn::ModuleList());
  resnets_.push_back(make_resnet(channels, channels, common));
  resnets->push_back(resnets_.back());
  // diffusers' mid block has one attention layer (num_layers = 1) whose
  // transformer depth is transformer_layers_per_block[-1].
  attentions_.push_back(make_transformer(channels, common));
  attentions->push_back(attentions_.back());
  resnets_.push_back(make_resnet(channels, channels, common));
  resnets->push_back(resnets_.back());
}

at::Tensor MidBlockImpl::forward(at::Tensor x, const at::Tensor& temb, const at::Tensor& context,
                                 const std::function<void()>& between_layers) {
  call(between_layers);
  x = resnets_[0]->forward(x, temb);
  for (size_t i = 0; i < attentions_.size(); ++i) {
    call(between_layers);
    x = attentions_[i]->forward(x, context);
    call(between_layers);
    x = resnets_[i + 1]->forward(x, temb);
  }
  return x;
}

UpBlockImpl::UpBlockImpl(int prev_channels, int out_channels, const std::vector<int>& skip_channels, bool upsample,
                         const BlockCommon& common) {
  auto resnets = register_module("resnets", torch::nn::ModuleList());
  torch::nn::ModuleList attentions{nullptr};
  if (common.cross_attention) attentions = register_module("attentions", torch::nn::ModuleList());
  for (size_t i = 0; i < skip_channels.size(); ++i) {
    const int input = i == 0 ? prev_channels : out_channels;
    resnets_.push_back(make_resnet(input + skip_channels[i], out_channels, common));
    resnets->push_back(resnets_.back());
    if (common.cross_attention) {
      attentions_.push_back(make_transformer(out_channels, common));
      attentions->push_back(attentions_.back());
    }
  }
  if (upsample) {
    auto list = register_module("upsamplers", torch::nn::ModuleList());
    upsampler_ = Upsample2D(out_channels);
    list->push_back(upsampler_);
  }
}

at::Tensor UpBlockImpl::forward(at::Tensor x, const at::Tensor& temb, const at::Tensor& context,
                                std::vector<at::Tensor>& skips, std::optional<std::vector<int64_t>> upsample_size,
                                const std::function<void()>& between_layers) {
  for (size_t i = 0; i < resnets_.size(); ++i) {
    if (skips.empty()) throw std::logic_error("UNet up block: ran out of skip connections");
    x = at::cat({x, skips.back()}, 1);
    skips.pop_back();
    call(between_layers);
    x = resnets_[i]->forward(x, temb);
    if (!attentions_.empty()) {
      call(between_layers);
      x = attentions_[i]->forward(x, context);
    }
  }
  if (upsampler_) x = upsampler_->forward(x, std::move(upsample_size));
  return x;
}

}  // namespace semdraw::nn
