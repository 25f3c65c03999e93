#pragma once
// TAESD, the tiny autoencoder used for streaming previews (diffusers'
// AutoencoderTiny). Same public contract as diffusers' encode/decode:
//   encode(image in [-1, 1]) -> latents (already in the UNet's latent scale,
//                               scaling_factor 1.0 for SD TAESD)
//   decode(latents)          -> image in about [-1, 1] (not clamped)
// Internally TAESD works on [0, 1] images; the mapping happens here.
//
// named_parameters() are the diffusers names ("encoder.layers.1.conv.0.weight",
// "decoder.layers.18.bias", ...): layer indices count the weightless ReLU and
// Upsample layers too, exactly as the reference nn.Sequential numbers them.
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>

#include <filesystem>
#include <string>
#include <vector>

#include "nn/config_reader.h"
#include "nn/layers.h"

namespace semdraw::nn {

// taesd/config.json. Required: encoder_block_out_channels,
// decoder_block_out_channels, latent_channels. Optional with diffusers'
// defaults: in/out_channels (3), num_encoder_blocks ([1,3,3,3]),
// num_decoder_blocks ([3,3,3,1]), upsampling_scaling_factor (2),
// act_fn ("relu" only), upsample_fn ("nearest" only), scaling_factor (1.0),
// shift_factor (0.0).
struct TaesdConfig {
  int64_t in_channels = 3;
  int64_t out_channels = 3;
  std::vector<int64_t> encoder_block_out_channels;
  std::vector<int64_t> decoder_block_out_channels;
  std::vector<int64_t> num_encoder_blocks{1, 3, 3, 3};
  std::vector<int64_t> num_decoder_blocks{3, 3, 3, 1};
  int64_t latent_channels = 4;
  int64_t upsampling_scaling_factor = 2;
  double scaling_factor = 1.0;
  double shift_factor = 0.0;

  // Pixels per latent along each axis (the encoder halves once per block after the first).
  int64_t downscale_factor() const { return int64_t{1} << (encoder_block_out_channels.size() - 1); }

  static TaesdConfig from_reader(const ConfigReader& reader);
  static TaesdConfig from_file(const std::filesystem::path& file);
};

// conv(3×3) → ReLU → conv → ReLU → conv, plus a skip (1×1 conv when the
// channel count changes), then ReLU ("conv.0/2/4", "skip").
class TaesdBlockImpl : public torch::nn::Module {
 public:
  TaesdBlockImpl(int64_t in_channels, int64_t out_channels);
  at::Tensor forward(const at::Tensor& x);

 private:
  torch::nn::Sequential conv_{nullptr};
  Conv2d skip_{nullptr};
};
TORCH_MODULE(TaesdBlock);

class TaesdImpl : public torch::nn::Module {
 public:
  explicit TaesdImpl(const TaesdConfig& config);

  // [B, in_channels, H, W] in [-1, 1], H and W multiples of downscale_factor().
  at::Tensor encode(const at::Tensor& image);
  // [B, latent_channels, h, w] -> [B, out_channels, h·f, w·f].
  at::Tensor decode(const at::Tensor& latents);

  const TaesdConfig& config() const { return config_; }

 private:
  TaesdConfig config_;
  torch::nn::Sequential encoder_layers_{nullptr};
  torch::nn::Sequential decoder_layers_{nullptr};
};
TORCH_MODULE(Taesd);

}  // namespace semdraw::nn
