#pragma once
// diffusers' AutoencoderKL (the full SD VAE): encode an image in [-1, 1] to the
// MEAN of the latent distribution (we never sample it), decode a latent back
// to an image in about [-1, 1] (not clamped, as diffusers returns it).
// Latents here are unscaled: multiply by scaling_factor before the UNet and
// divide before decode, as diffusers pipelines do.
//
// named_parameters() are the diffusers names ("encoder.down_blocks.0.resnets.0
// .norm1.weight", "quant_conv.weight", ...) so weights load by name.
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/normalization.h>

#include <filesystem>
#include <vector>

#include "nn/config_reader.h"
#include "nn/layers.h"
#include "nn/vae_blocks.h"

namespace semdraw::nn {

// vae/config.json. Required: in/out_channels, block_out_channels,
// layers_per_block, latent_channels, norm_num_groups. Optional with diffusers'
// defaults: scaling_factor (0.18215), shift_factor (null = 0),
// mid_block_add_attention (true), use_quant_conv / use_post_quant_conv (true),
// force_upcast (true), act_fn (must be "silu"), down/up_block_types (must be
// DownEncoderBlock2D / UpDecoderBlock2D, one per level).
struct AutoencoderKLConfig {
  int64_t in_channels = 3;
  int64_t out_channels = 3;
  std::vector<int64_t> block_out_channels;
  int64_t layers_per_block = 1;
  int64_t latent_channels = 4;
  int64_t norm_num_groups = 32;
  double scaling_factor = 0.18215;
  double shift_factor = 0.0;
  bool mid_block_add_attention = true;
  bool use_quant_conv = true;
  bool use_post_quant_conv = true;
  // The SD1.5 VAE overflows in fp16; pipelines should run it in fp32.
  bool force_upcast = true;

  // Pixels per latent along each axis: 2^(levels − 1).
  int64_t downscale_factor() const { return int64_t{1} << (block_out_channels.size() - 1); }

  static AutoencoderKLConfig from_reader(const ConfigReader& reader);
  static AutoencoderKLConfig from_file(const std::filesystem::path& file);
};

class VaeEncoderImpl : public torch::nn::Module {
 public:
  explicit VaeEncoderImpl(const AutoencoderKLConfig& config);
  at::Tensor forward(const at::Tensor& image);  // -> moments [B, 2·latent, h, w]

 private:
  Conv2d conv_in_{nullptr}, conv_out_{nullptr};
  std::vector<VaeDownBlock> down_blocks_;
  VaeMidBlock mid_block_{nullptr};
  torch::nn::GroupNorm conv_norm_out_{nullptr};
};
TORCH_MODULE(VaeEncoder);

class VaeDecoderImpl : public torch::nn::Module {
 public:
  explicit VaeDecoderImpl(const AutoencoderKLConfig& config);
  at::Tensor forward(const at::Tensor& latent);

 private:
  Conv2d conv_in_{nullptr}, conv_out_{nullptr};
  VaeMidBlock mid_block_{nullptr};
  std::vector<VaeUpBlock> up_blocks_;
  torch::nn::GroupNorm conv_norm_out_{nullptr};
};
TORCH_MODULE(VaeDecoder);

class AutoencoderKLImpl : public torch::nn::Module {
 public:
  explicit AutoencoderKLImpl(const AutoencoderKLConfig& config);

  // image [B, in_channels, H, W] in [-1, 1], H and W multiples of
  // downscale_factor() -> latent mean [B, latent_channels, H/f, W/f].
  at::Tensor encode(const at::Tensor& image);
  // latent [B, latent_channels, h, w] -> image [B, out_channels, h·f, w·f].
  at::Tensor decode(const at::Tensor& latent);

  const AutoencoderKLConfig& config() const { return config_; }

 private:
  AutoencoderKLConfig config_;
  VaeEncoder encoder_{nullptr};
  VaeDecoder decoder_{nullptr};
  Conv2d quant_conv_{nullptr}, post_quant_conv_{nullptr};
};
TORCH_MODULE(AutoencoderKL);

}  // namespace semdraw::nn
