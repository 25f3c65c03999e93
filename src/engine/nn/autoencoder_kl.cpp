#include "nn/autoencoder_kl.h"

#include <stdexcept>
#include <string>

#include "nn/tensor_checks.h"

namespace semdraw::nn {

namespace {

int64_t positive(const ConfigReader& reader, const std::string& field) {
  const auto value = reader.get<int64_t>(field);
  if (value < 1) reader.fail(field, "must be a positive integer, got " + std::to_string(value));
  return value;
}

// Only the block types the SD VAEs use exist here; anything else would load
// but compute something different, so refuse it by name.
void check_block_types(const ConfigReader& reader, const std::string& field, const std::string& expected,
                       size_t levels) {
  if (!reader.has(field)) return;
  const auto types = reader.get<std::vector<std::string>>(field);
  if (types.size() != levels) {
    reader.fail(
        field, "has " + std::to_string(types.size()) + " entries but block_out_channels has " + std::to_string(levels));
  }
  for (const auto& type : types) {
    if (type != expected) reader.fail(field, "contains '" + type + "'; only " + expected + " is supported");
  }
}

}  // namespace

AutoencoderKLConfig AutoencoderKLConfig::from_reader(const ConfigReader& reader) {
  AutoencoderKLConfig config;
  config.in_channels = positive(reader, "in_channels");
  config.out_channels = positive(reader, "out_channels");
  config.block_out_channels = reader.get<std::vector<int64_t>>("block_out_channels");
  config.layers_per_block = positive(reader, "layers_per_block");
  config.latent_channels = positive(reader, "latent_channels");
  config.norm_num_groups = positive(reader, "norm_num_groups");
  config.scaling_factor = reader.get_or<double>("scaling_factor", config.scaling_factor);
  config.shift_factor = reader.get_or<double>("shift_factor", 0.0);
  config.mid_block_add_attention = reader.get_or<bool>("mid_block_add_attention", true);
  config.use_quant_conv = reader.get_or<bool>("use_quant_conv", true);
  config.use_post_quant_conv = reader.get_or<bool>("use_post_quant_conv", true);
  config.force_upcast = reader.get_or<bool>("force_upcast", true);
  const auto act_fn = reader.get_or<std::string>("act_fn", "silu");
  if (act_fn != "silu") reader.fail("act_fn", "is '" + act_fn + "'; only silu is supported");
  if (config.block_out_channels.empty()) reader.fail("block_out_channels", "is empty");
  for (int64_t channels : config.block_out_channels) {
    if (channels < 1) reader.fail("block_out_channels", "has the non-positive entry " + std::to_string(channels));
    if (channels % config.norm_num_groups != 0) {
      reader.fail("norm_num_groups", std::string("(") + std::to_string(config.norm_num_groups) +
                                         ") must divide every block_out_channels entry; " + std::to_string(channels) +
                                         " is not a multiple");
    }
  }
  check_block_types(reader, "down_block_types", "DownEncoderBlock2D", config.block_out_channels.size());
  check_block_types(reader, "up_block_types", "UpDecoderBlock2D", config.block_out_channels.size());
  return config;
}

AutoencoderKLConfig AutoencoderKLConfig::from_file(const std::filesystem::path& file) {
  return from_reader(ConfigReader::from_file(file));
}

VaeEncoderImpl::VaeEncoderImpl(const AutoencoderKLConfig& config) {
  const auto& channels = config.block_out_channels;
  const int64_t groups = config.norm_num_groups;
  conv_in_ =
      register_module("conv_in", Conv2d(torch::nn::Conv2dOptions(config.in_channels, channels.front(), 3).padding(1)));
  auto blocks = register_module("down_blocks", torch::nn::ModuleList());
  for (size_t i = 0; i < channels.size(); ++i) {
    const int64_t in = i == 0 ? channels.front() : channels[i - 1];
    down_blocks_.push_back(VaeDownBlock(in, channels[i], config.layers_per_block, groups, i + 1 < channels.size()));
    blocks->push_back(down_blocks_.back());
  }
  mid_block_ = register_module("mid_block", VaeMidBlock(channels.back(), groups, config.mid_block_add_attention));
  conv_norm_out_ = register_module(
      "conv_norm_out", torch::nn::GroupNorm(torch::nn::GroupNormOptions(groups, channels.back()).eps(kVaeNormEps)));
  // Mean and log-variance: 2 × latent channels.
  conv_out_ = register_module(
      "conv_out", Conv2d(torch::nn::Conv2dOptions(channels.back(), 2 * config.latent_channels, 3).padding(1)));
}

at::Tensor VaeEncoderImpl::forward(const at::Tensor& image) {
  at::Tensor x = conv_in_(image);
  for (auto& block : down_blocks_) x = block(x);
  x = mid_block_(x);
  return conv_out_(at::silu(conv_norm_out_(x)));
}

VaeDecoderImpl::VaeDecoderImpl(const AutoencoderKLConfig& config) {
  const std::vector<int64_t> channels(config.block_out_channels.rbegin(), config.block_out_channels.rend());
  const int64_t groups = config.norm_num_groups;
  conv_in_ = register_module("conv_in",
                             Conv2d(torch::nn::Conv2dOptions(config.latent_channels, channels.front(), 3).padding(1)));
  mid_block_ = register_module("mid_block", VaeMidBlock(channels.front(), groups, config.mid_block_add_attention));
  auto blocks = register_module("up_blocks", torch::nn::ModuleList());
  for (size_t i = 0; i < channels.size(); ++i) {
    const int64_t in = i == 0 ? channels.front() : channels[i - 1];
    // The decoder has one more resnet per level than the encoder.
    up_blocks_.push_back(VaeUpBlock(in, channels[i], config.layers_per_block + 1, groups, i + 1 < channels.size()));
    blocks->push_back(up_blocks_.back());
  }
  conv_norm_out_ = register_module(
      "conv_norm_out", torch::nn::GroupNorm(torch::nn::GroupNormOptions(groups, channels.back()).eps(kVaeNormEps)));
  conv_out_ =
      register_module("conv_out", Conv2d(torch::nn::Conv2dOptions(channels.back(), config.out_channels, 3).padding(1)));
}

at::Tensor VaeDecoderImpl::forward(const at::Tensor& latent) {
  at::Tensor x = mid_block_(conv_in_(latent));
  for (auto& block : up_blocks_) x = block(x);
  return conv_out_(at::silu(conv_norm_out_(x)));
}

AutoencoderKLImpl::AutoencoderKLImpl(const AutoencoderKLConfig& config) : config_(config) {
  encoder_ = register_module("encoder", VaeEncoder(config));
  decoder_ = register_module("decoder", VaeDecoder(config));
  const int64_t moments = 2 * config.latent_channels;
  if (config.use_quant_conv) {
    quant_conv_ = register_module("quant_conv", Conv2d(torch::nn::Conv2dOptions(moments, moments, 1)));
  }
  if (config.use_post_quant_conv) {
    post_quant_conv_ = register_module(
        "post_quant_conv", Conv2d(torch::nn::Conv2dOptions(config.latent_channels, config.latent_channels, 1)));
  }
}

at::Tensor AutoencoderKLImpl::encode(const at::Tensor& image) {
  check_image_batch(image, config_.in_channels, config_.downscale_factor(), "AutoencoderKL", "the image");
  at::Tensor moments = encoder_(image);
  if (quant_conv_) moments = quant_conv_(moments);
  // The first half of the moments is the mean; the second the log-variance.
  return moments.narrow(1, 0, config_.latent_channels).contiguous();
}

at::Tensor AutoencoderKLImpl::decode(const at::Tensor& latent) {
  check_image_batch(latent, config_.latent_channels, 1, "AutoencoderKL", "the latent");
  return decoder_(post_quant_conv_ ? post_quant_conv_(latent) : latent);
}

}  // namespace semdraw::nn
