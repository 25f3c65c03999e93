#include "nn/unet2d_condition.h"

#include <cmath>
#include <stdexcept>

namespace semdraw::nn {

at::Tensor timestep_embedding(const at::Tensor& timesteps, int64_t dim, bool flip_sin_to_cos, double freq_shift) {
  const int64_t half = dim / 2;
  const at::Tensor exponent =
      at::arange(half, timesteps.options().dtype(at::kFloat)) * (-std::log(10000.0) / (half - freq_shift));
  const at::Tensor angles = timesteps.to(at::kFloat).unsqueeze(1) * at::exp(exponent).unsqueeze(0);
  const at::Tensor sin = at::sin(angles), cos = at::cos(angles);
  at::Tensor embedding = flip_sin_to_cos ? at::cat({cos, sin}, 1) : at::cat({sin, cos}, 1);
  if (dim % 2 == 1) embedding = at::constant_pad_nd(embedding, {0, 1}, 0.0);
  return embedding;
}

UNet2DConditionModelImpl::UNet2DConditionModelImpl(UNetConfig config) : config_(std::move(config)) {
  const UNetConfig& c = config_;
  const auto& widths = c.block_out_channels;
  const int blocks = static_cast<int>(widths.size());
  const int time_dim = widths[0] * 4;

  conv_in_ = register_module(
      "conv_in",
      Conv2d(torch::nn::Conv2dOptions(c.in_channels, widths[0], c.conv_in_kernel).padding(c.conv_in_kernel / 2)));
  auto time_embedding = register_module("time_embedding", std::make_shared<torch::nn::Module>("TimestepEmbedding"));
  time_linear_1_ = time_embedding->register_module("linear_1", Linear(widths[0], time_dim));
  time_linear_2_ = time_embedding->register_module("linear_2", Linear(time_dim, time_dim));
  if (c.text_time()) {
    auto add_embedding = register_module("add_embedding", std::make_shared<torch::nn::Module>("TimestepEmbedding"));
    add_linear_1_ =
        add_embedding->register_module("linear_1", Linear(c.projection_class_embeddings_input_dim, time_dim));
    add_linear_2_ = add_embedding->register_module("linear_2", Linear(time_dim, time_dim));
  }

  const auto common_for = [&](int block, bool cross) {
    BlockCommon common;
    common.temb_channels = time_dim;
    common.groups = c.norm_num_groups;
    common.eps = c.norm_eps;
    common.resnet_scale = c.resnet_out_scale_factor;
    common.cross_attention = cross;
    common.heads = c.num_attention_heads[block];
    common.transformer_layers = c.transformer_layers_per_block[block];
    common.context_dim = c.cross_attention_dim;
    common.use_linear_projection = c.use_linear_projection;
    return common;
  };

  auto down = register_module("down_blocks", torch::nn::ModuleList());
  for (int i = 0; i < blocks; ++i) {
    const bool last = i == blocks - 1;
    down_blocks_.push_back(DownBlock(i == 0 ? widths[0] : widths[i - 1], widths[i], c.layers_per_block[i], !last,
                                     c.downsample_padding,
                                     common_for(i, c.down_block_types[i] == "CrossAttnDownBlock2D")));
    down->push_back(down_blocks_.back());
  }

  BlockCommon mid = common_for(blocks - 1, true);
  mid.resnet_scale = c.mid_block_scale_factor;
  mid_block_ = register_module("mid_block", MidBlock(widths.back(), mid));

  // Up block i mirrors down block (blocks-1-i). Its resnets' skip widths
  // follow diffusers' rule: the last resnet takes the skip from the block
  // below (the down block's input width), the others the block's own width.
  auto up = register_module("up_blocks", torch::nn::ModuleList());
  int out_channels = widths.back();
  for (int i = 0; i < blocks; ++i) {
    const int mirror = blocks - 1 - i;
    const int prev_channels = out_channels;
    out_channels = widths[mirror];
    const int below = widths[std::max(mirror - 1, 0)];
    const int layers = c.layers_per_block[mirror] + 1;
    std::vector<int> skips(layers, out_channels);
    skips.back() = below;
    up_blocks_.push_back(UpBlock(prev_channels, out_channels, skips, i != blocks - 1,
                                 common_for(mirror, c.up_block_types[i] == "CrossAttnUpBlock2D")));
    up->push_back(up_blocks_.back());
  }

  conv_norm_out_ = register_module(
      "conv_norm_out", torch::nn::GroupNorm(torch::nn::GroupNormOptions(c.norm_num_groups, widths[0]).eps(c.norm_eps)));
  conv_out_ = register_module(
      "conv_out",
      Conv2d(torch::nn::Conv2dOptions(widths[0], c.out_channels, c.conv_out_kernel).padding(c.conv_out_kernel / 2)));
}

at::Tensor UNet2DConditionModelImpl::added_embedding(const AddedConditions& added, int64_t batch,
                                                     at::ScalarType dtype) {
  const UNetConfig& c = config_;
  if (!c.text_time()) {
    if (added.text_embeds.defined() || added.time_ids.defined())
      throw std::invalid_argument("UNet: added conditions given to a UNet without addition_embed_type");
    return {};
  }
  const int64_t pooled = c.projection_class_embeddings_input_dim - 6 * c.addition_time_embed_dim;
  if (!added.text_embeds.defined() || added.text_embeds.dim() != 2 || added.text_embeds.size(0) != batch ||
      added.text_embeds.size(1) != pooled)
    throw std::invalid_argument("UNet: this SDXL-type UNet needs text_embeds [B," + std::to_string(pooled) + "]");
  if (!added.time_ids.defined() || added.time_ids.dim() != 2 || added.time_ids.size(0) != batch ||
      added.time_ids.size(1) != 6)
    throw std::invalid_argument("UNet: this SDXL-type UNet needs time_ids [B,6]");
  // Each of the six numbers gets its own sinusoidal embedding, concatenated
  // after the pooled text embedding.
  const at::Tensor time_embeds =
      timestep_embedding(added.time_ids.flatten(), c.addition_time_embed_dim, c.flip_sin_to_cos, c.freq_shift)
          .reshape({batch, -1});
  const at::Tensor input = at::cat({added.text_embeds.to(at::kFloat), time_embeds}, -1).to(dtype);
  return add_linear_2_->forward(at::silu(add_linear_1_->forward(input)));
}

at::Tensor UNet2DConditionModelImpl::forward(const at::Tensor& sample, const at::Tensor& timesteps,
                                             const at::Tensor& encoder_hidden_states, const AddedConditions& added) {
  const UNetConfig& c = config_;
  if (sample.dim() != 4 || sample.size(1) != c.in_channels)
    throw std::invalid_argument("UNet: sample must be [B," + std::to_string(c.in_channels) + ",h,w]");
  const int64_t batch = sample.size(0);
  if (encoder_hidden_states.dim() != 3 || encoder_hidden_states.size(0) != batch ||
      encoder_hidden_states.size(2) != c.cross_attention_dim)
    throw std::invalid_argument("UNet: encoder_hidden_states must be [B,tokens," +
                                std::to_string(c.cross_attention_dim) + "] with B = the sample batch");
  at::Tensor steps = timesteps.to(sample.device());
  if (steps.dim() == 0) steps = steps.expand({batch});
  if (steps.dim() != 1 || steps.size(0) != batch)
    throw std::invalid_argument("UNet: timesteps must be a scalar or one per batch entry");

  const int blocks = static_cast<int>(c.block_out_channels.size());
  // Sides that are not multiples of 2^(upsamplers) need explicit upsample sizes.
  const int64_t factor = int64_t{1} << (blocks - 1);
  const bool explicit_sizes = sample.size(2) % factor != 0 || sample.size(3) % factor != 0;

  const at::Tensor t_emb =
      timestep_embedding(steps, c.block_out_channels[0], c.flip_sin_to_cos, c.freq_shift).to(sample.scalar_type());
  at::Tensor temb = time_linear_2_->forward(at::silu(time_linear_1_->forward(t_emb)));
  if (const at::Tensor extra = added_embedding(added, batch, sample.scalar_type()); extra.defined())
    temb = temb + extra;
  const at::Tensor& context = encoder_hidden_states;

  at::Tensor x = c.center_input_sample ? 2.0 * sample - 1.0 : sample;
  x = conv_in_->forward(x);
  std::vector<at::Tensor> skips{x};
  for (auto& block : down_blocks_) x = block->forward(x, temb, context, skips, between_layers_);
  x = mid_block_->forward(x, temb, context, between_layers_);
  for (int i = 0; i < blocks; ++i) {
    auto& block = up_blocks_[i];
    std::optional<std::vector<int64_t>> size;
    // The skip just below this block's consumed ones has the resolution the
    // upsampler must produce.
    if (explicit_sizes && i != blocks - 1) {
      const at::Tensor& target = skips[skips.size() - block->skip_count() - 1];
      size = std::vector<int64_t>{target.size(2), target.size(3)};
    }
    x = block->forward(x, temb, context, skips, size, between_layers_);
  }
  return conv_out_->forward(at::silu(conv_norm_out_->forward(x)));
}

}  // namespace semdraw::nn
