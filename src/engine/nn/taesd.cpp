#include "nn/taesd.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/upsampling.h>

#include <stdexcept>
#include <string>

#include "nn/tensor_checks.h"

namespace semdraw::nn {

namespace {

std::vector<int64_t> positive_list(const ConfigReader& reader, const std::string& field,
                                   const std::vector<int64_t>* fallback) {
  const auto values =
      fallback ? reader.get_or<std::vector<int64_t>>(field, *fallback) : reader.get<std::vector<int64_t>>(field);
  if (values.empty()) reader.fail(field, "is empty");
  for (int64_t value : values) {
    if (value < 1) reader.fail(field, "has the non-positive entry " + std::to_string(value));
  }
  return values;
}

// The reference network feeds each stage's output straight into the next
// stage's convs, so it only works when every stage has the same width.
void check_uniform(const ConfigReader& reader, const std::string& field, const std::vector<int64_t>& channels) {
  for (int64_t value : channels) {
    if (value != channels.front()) reader.fail(field, "must list one channel count for every stage");
  }
}

Conv2d conv3x3(int64_t in_channels, int64_t out_channels, int64_t stride = 1, bool bias = true) {
  return Conv2d(torch::nn::Conv2dOptions(in_channels, out_channels, 3).stride(stride).padding(1).bias(bias));
}

}  // namespace

TaesdConfig TaesdConfig::from_reader(const ConfigReader& reader) {
  TaesdConfig config;
  const TaesdConfig defaults;
  config.in_channels = reader.get_or<int64_t>("in_channels", 3);
  config.out_channels = reader.get_or<int64_t>("out_channels", 3);
  config.encoder_block_out_channels = positive_list(reader, "encoder_block_out_channels", nullptr);
  config.decoder_block_out_channels = positive_list(reader, "decoder_block_out_channels", nullptr);
  config.num_encoder_blocks = positive_list(reader, "num_encoder_blocks", &defaults.num_encoder_blocks);
  config.num_decoder_blocks = positive_list(reader, "num_decoder_blocks", &defaults.num_decoder_blocks);
  config.latent_channels = reader.get<int64_t>("latent_channels");
  config.upsampling_scaling_factor = reader.get_or<int64_t>("upsampling_scaling_factor", 2);
  config.scaling_factor = reader.get_or<double>("scaling_factor", 1.0);
  config.shift_factor = reader.get_or<double>("shift_factor", 0.0);
  if (config.in_channels < 1) reader.fail("in_channels", "must be positive");
  if (config.out_channels < 1) reader.fail("out_channels", "must be positive");
  if (config.latent_channels < 1) reader.fail("latent_channels", "must be positive");
  if (config.upsampling_scaling_factor < 1) reader.fail("upsampling_scaling_factor", "must be positive");
  if (config.num_encoder_blocks.size() != config.encoder_block_out_channels.size()) {
    reader.fail("num_encoder_blocks", "needs one entry per encoder_block_out_channels entry");
  }
  if (config.num_decoder_blocks.size() != config.decoder_block_out_channels.size()) {
    reader.fail("num_decoder_blocks", "needs one entry per decoder_block_out_channels entry");
  }
  check_uniform(reader, "encoder_block_out_channels", config.encoder_block_out_channels);
  check_uniform(reader, "decoder_block_out_channels", config.decoder_block_out_channels);
  const auto act_fn = reader.get_or<std::string>("act_fn", "relu");
  if (act_fn != "relu") reader.fail("act_fn", "is '" + act_fn + "'; only relu is supported");
  const auto upsample_fn = reader.get_or<std::string>("upsample_fn", "nearest");
  if (upsample_fn != "nearest") reader.fail("upsample_fn", "is '" + upsample_fn + "'; only nearest is supported");
  return config;
}

TaesdConfig TaesdConfig::from_file(const std::filesystem::path& file) {
  return from_reader(ConfigReader::from_file(file));
}

TaesdBlockImpl::TaesdBlockImpl(int64_t in_channels, int64_t out_channels) {
  conv_ = register_module("conv", torch::nn::Sequential(conv3x3(in_channels, out_channels), torch::nn::ReLU(),
                                                        conv3x3(out_channels, out_channels), torch::nn::ReLU(),
                                                        conv3x3(out_channels, out_channels)));
  if (in_channels != out_channels) {
    skip_ = register_module("skip", Conv2d(torch::nn::Conv2dOptions(in_channels, out_channels, 1).bias(false)));
  }
}

at::Tensor TaesdBlockImpl::forward(const at::Tensor& x) { return at::relu(conv_->forward(x) + (skip_ ? skip_(x) : x)); }

TaesdImpl::TaesdImpl(const TaesdConfig& config) : config_(config) {
  auto encoder = register_module("encoder", std::make_shared<torch::nn::Module>());
  encoder_layers_ = encoder->register_module("layers", torch::nn::Sequential());
  const auto& enc = config.encoder_block_out_channels;
  for (size_t i = 0; i < enc.size(); ++i) {
    // The first stage keeps the resolution; every later one halves it.
    if (i == 0) {
      encoder_layers_->push_back(conv3x3(config.in_channels, enc[i]));
    } else {
      encoder_layers_->push_back(conv3x3(enc[i], enc[i], /*stride=*/2, /*bias=*/false));
    }
    for (int64_t b = 0; b < config.num_encoder_blocks[i]; ++b) encoder_layers_->push_back(TaesdBlock(enc[i], enc[i]));
  }
  encoder_layers_->push_back(conv3x3(enc.back(), config.latent_channels));

  auto decoder = register_module("decoder", std::make_shared<torch::nn::Module>());
  decoder_layers_ = decoder->register_module("layers", torch::nn::Sequential());
  const auto& dec = config.decoder_block_out_channels;
  decoder_layers_->push_back(conv3x3(config.latent_channels, dec.front()));
  decoder_layers_->push_back(torch::nn::ReLU());
  const auto scale = static_cast<double>(config.upsampling_scaling_factor);
  for (size_t i = 0; i < dec.size(); ++i) {
    const bool last = i + 1 == dec.size();
    for (int64_t b = 0; b < config.num_decoder_blocks[i]; ++b) decoder_layers_->push_back(TaesdBlock(dec[i], dec[i]));
    if (!last) {
      decoder_layers_->push_back(torch::nn::Upsample(
          torch::nn::UpsampleOptions().scale_factor(std::vector<double>{scale, scale}).mode(torch::kNearest)));
    }
    decoder_layers_->push_back(conv3x3(dec[i], last ? config.out_channels : dec[i], 1, /*bias=*/last));
  }
}

at::Tensor TaesdImpl::encode(const at::Tensor& image) {
  check_image_batch(image, config_.in_channels, config_.downscale_factor(), "TAESD", "the image");
  // TAESD was trained on [0, 1] images.
  return encoder_layers_->forward(image.add(1).div(2));
}

at::Tensor TaesdImpl::decode(const at::Tensor& latents) {
  check_image_batch(latents, config_.latent_channels, 1, "TAESD", "the latents");
  // Soft clamp to ±3 (the latent range TAESD was trained on), then [0,1] -> [-1,1].
  const at::Tensor clamped = at::tanh(latents / 3) * 3;
  return decoder_layers_->forward(clamped).mul(2).sub(1);
}

}  // namespace semdraw::nn
