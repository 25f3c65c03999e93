#pragma once
// The subset of diffusers' UNet2DConditionModel config that the SD1.5 / SD2 /
// SDXL family uses, read with errors that name the file and the field. Configs
// that need something we do not build (class embeddings, LCM-distilled time
// conditioning, ...) are refused by field name instead of silently building a
// different network.
#include <string>
#include <vector>

#include "nn/config_reader.h"

namespace semdraw::nn {

struct UNetConfig {
  int in_channels = 4;
  int out_channels = 4;
  int sample_size = 64;  // latent side the model was trained at (informational)
  bool center_input_sample = false;
  bool flip_sin_to_cos = true;
  double freq_shift = 0.0;
  // Per down block (index i); up blocks use them reversed.
  std::vector<int> block_out_channels;
  std::vector<int> layers_per_block;
  std::vector<int> num_attention_heads;
  std::vector<int> transformer_layers_per_block;
  std::vector<std::string> down_block_types;  // "CrossAttnDownBlock2D" | "DownBlock2D"
  std::vector<std::string> up_block_types;    // "CrossAttnUpBlock2D" | "UpBlock2D"
  int cross_attention_dim = 768;
  int norm_num_groups = 32;
  double norm_eps = 1e-5;
  bool use_linear_projection = false;
  int downsample_padding = 1;
  double mid_block_scale_factor = 1.0;
  double resnet_out_scale_factor = 1.0;
  int conv_in_kernel = 3;
  int conv_out_kernel = 3;
  // SDXL's added conditioning (addition_embed_type "text_time"): the pooled
  // text embedding and six micro-conditioning numbers (original size, crop
  // corner, target size), the numbers embedded sinusoidally with
  // addition_time_embed_dim channels each; all of it projected to the time
  // embedding and added to it. 0 = none (SD1.5/SD2).
  int addition_time_embed_dim = 0;
  int projection_class_embeddings_input_dim = 0;
  bool text_time() const { return addition_time_embed_dim > 0; }

  // Reads and validates; throws std::runtime_error naming file and field.
  static UNetConfig read(const ConfigReader& config);
  static UNetConfig from_file(const std::filesystem::path& file) { return read(ConfigReader::from_file(file)); }
};

}  // namespace semdraw::nn
