#include "nn/unet_config.h"

namespace semdraw::nn {

namespace {

// diffusers accepts either one value for every block or one per block.
std::vector<int> per_block(const ConfigReader& config, const std::string& name, size_t blocks) {
  const auto& value = config.json().at(name);
  if (value.is_number_integer()) return std::vector<int>(blocks, value.get<int>());
  if (!value.is_array()) config.fail(name, "should be an integer or a list of integers");
  std::vector<int> list;
  for (const auto& item : value) {
    if (!item.is_number_integer()) config.fail(name, "should be an integer or a list of integers");
    list.push_back(item.get<int>());
  }
  if (list.size() != blocks)
    config.fail(name, "has " + std::to_string(list.size()) + " entries but there are " + std::to_string(blocks) +
                          " down blocks");
  return list;
}

// Fields whose non-default values would change the network into something
// this implementation does not build. Each is refused by name.
void refuse_unsupported(const ConfigReader& config) {
  const char* must_be_null[] = {"class_embed_type",      "num_class_embeds",
                                "encoder_hid_dim",       "encoder_hid_dim_type",
                                "time_cond_proj_dim",    "time_embedding_dim",
                                "time_embedding_act_fn", "timestep_post_act",
                                "cross_attention_norm",  "reverse_transformer_layers_per_block"};
  for (const char* name : must_be_null) {
    if (config.has(name))
      config.fail(name, "is set (" + config.json().at(name).dump() +
                            "): this UNet variant (e.g. an LCM-distilled UNet) is not supported yet");
  }
  const auto expect_string = [&](const char* name, const char* wanted) {
    const std::string value = config.get_or<std::string>(name, wanted);
    if (value != wanted) config.fail(name, "is '" + value + "'; only '" + wanted + "' is supported");
  };
  expect_string("act_fn", "silu");
  expect_string("time_embedding_type", "positional");
  expect_string("resnet_time_scale_shift", "default");
  expect_string("attention_type", "default");
  const auto expect_false = [&](const char* name) {
    const auto& json = config.json();
    if (!json.contains(name) || json.at(name).is_null()) return;
    const auto& value = json.at(name);
    bool any = false;
    if (value.is_boolean())
      any = value.get<bool>();
    else if (value.is_array()) {
      for (const auto& item : value) any = any || (item.is_boolean() && item.get<bool>());
    } else
      config.fail(name, "should be a boolean");
    if (any) config.fail(name, "is true; only false is supported");
  };
  expect_false("only_cross_attention");
  expect_false("mid_block_only_cross_attention");
  expect_false("dual_cross_attention");
  expect_false("resnet_skip_time_act");
  expect_false("class_embeddings_concat");
  if (config.has("mid_block_type"))
    expect_string("mid_block_type", "UNetMidBlock2DCrossAttn");
  else if (config.json().contains("mid_block_type"))
    config.fail("mid_block_type", "is null (no middle block); only 'UNetMidBlock2DCrossAttn' is supported");
}

// SDXL's "text_time" added conditioning, the only kind we build.
void read_added_conditioning(const ConfigReader& config, UNetConfig& out) {
  if (!config.has("addition_embed_type")) {
    for (const char* name : {"addition_time_embed_dim", "projection_class_embeddings_input_dim"})
      if (config.has(name)) config.fail(name, "is set but addition_embed_type is not");
    return;
  }
  const std::string type = config.get<std::string>("addition_embed_type");
  if (type != "text_time")
    config.fail("addition_embed_type", "is '" + type + "'; only 'text_time' (SDXL) is supported");
  out.addition_time_embed_dim = config.get<int>("addition_time_embed_dim");
  out.projection_class_embeddings_input_dim = config.get<int>("projection_class_embeddings_input_dim");
  if (out.addition_time_embed_dim <= 0 || out.addition_time_embed_dim % 2 != 0)
    config.fail("addition_time_embed_dim", "must be a positive even number");
  if (out.projection_class_embeddings_input_dim <= 6 * out.addition_time_embed_dim)
    config.fail("projection_class_embeddings_input_dim",
                "must exceed 6 x addition_time_embed_dim (the pooled text embedding comes first)");
}

}  // namespace

UNetConfig UNetConfig::read(const ConfigReader& config) {
  refuse_unsupported(config);
  UNetConfig out;
  // Fields that shape the network are required: a guess would build a
  // network that only fails later with a wall of mismatched weight names.
  out.in_channels = config.get<int>("in_channels");
  out.out_channels = config.get<int>("out_channels");
  out.block_out_channels = config.get<std::vector<int>>("block_out_channels");
  out.down_block_types = config.get<std::vector<std::string>>("down_block_types");
  out.up_block_types = config.get<std::vector<std::string>>("up_block_types");
  const size_t blocks = out.block_out_channels.size();
  if (blocks == 0) config.fail("block_out_channels", "is empty");
  if (out.down_block_types.size() != blocks)
    config.fail("down_block_types", "must have one entry per block_out_channels entry");
  if (out.up_block_types.size() != blocks)
    config.fail("up_block_types", "must have one entry per block_out_channels entry");
  for (const auto& type : out.down_block_types)
    if (type != "CrossAttnDownBlock2D" && type != "DownBlock2D")
      config.fail("down_block_types", "contains '" + type + "'; supported: CrossAttnDownBlock2D, DownBlock2D");
  for (const auto& type : out.up_block_types)
    if (type != "CrossAttnUpBlock2D" && type != "UpBlock2D")
      config.fail("up_block_types", "contains '" + type + "'; supported: CrossAttnUpBlock2D, UpBlock2D");

  if (!config.has("layers_per_block")) config.fail("layers_per_block", "is missing");
  out.layers_per_block = per_block(config, "layers_per_block", blocks);
  if (!config.has("cross_attention_dim")) config.fail("cross_attention_dim", "is missing");
  if (!config.json().at("cross_attention_dim").is_number_integer())
    config.fail("cross_attention_dim", "should be one integer (per-block values are not supported)");
  out.cross_attention_dim = config.get<int>("cross_attention_dim");
  // diffusers' naming quirk: SD1.5/SD2 configs store the number of heads in
  // "attention_head_dim"; "num_attention_heads", when present, wins.
  if (config.has("num_attention_heads"))
    out.num_attention_heads = per_block(config, "num_attention_heads", blocks);
  else if (config.has("attention_head_dim"))
    out.num_attention_heads = per_block(config, "attention_head_dim", blocks);
  else
    config.fail("attention_head_dim", "is missing (and so is num_attention_heads)");
  out.transformer_layers_per_block = config.has("transformer_layers_per_block")
                                         ? per_block(config, "transformer_layers_per_block", blocks)
                                         : std::vector<int>(blocks, 1);

  out.sample_size = config.get_or<int>("sample_size", 64);
  out.center_input_sample = config.get_or<bool>("center_input_sample", false);
  out.flip_sin_to_cos = config.get_or<bool>("flip_sin_to_cos", true);
  out.freq_shift = config.get_or<double>("freq_shift", 0.0);
  out.norm_num_groups = config.get_or<int>("norm_num_groups", 32);
  out.norm_eps = config.get_or<double>("norm_eps", 1e-5);
  out.use_linear_projection = config.get_or<bool>("use_linear_projection", false);
  out.downsample_padding = config.get_or<int>("downsample_padding", 1);
  out.mid_block_scale_factor = config.get_or<double>("mid_block_scale_factor", 1.0);
  out.resnet_out_scale_factor = config.get_or<double>("resnet_out_scale_factor", 1.0);
  out.conv_in_kernel = config.get_or<int>("conv_in_kernel", 3);
  out.conv_out_kernel = config.get_or<int>("conv_out_kernel", 3);
  if (out.conv_in_kernel % 2 == 0) config.fail("conv_in_kernel", "must be odd");
  if (out.conv_out_kernel % 2 == 0) config.fail("conv_out_kernel", "must be odd");
  read_added_conditioning(config, out);

  for (size_t i = 0; i < blocks; ++i) {
    const int channels = out.block_out_channels[i];
    if (channels <= 0 || channels % out.norm_num_groups != 0)
      config.fail("block_out_channels", "entry " + std::to_string(channels) +
                                            " is not a positive multiple of norm_num_groups (" +
                                            std::to_string(out.norm_num_groups) + ")");
    if (out.num_attention_heads[i] <= 0 || channels % out.num_attention_heads[i] != 0)
      config.fail(config.has("num_attention_heads") ? "num_attention_heads" : "attention_head_dim",
                  "entry " + std::to_string(out.num_attention_heads[i]) + " does not divide block width " +
                      std::to_string(channels));
    if (out.layers_per_block[i] <= 0) config.fail("layers_per_block", "entries must be positive");
    if (out.transformer_layers_per_block[i] <= 0)
      config.fail("transformer_layers_per_block", "entries must be positive");
  }
  return out;
}

}  // namespace semdraw::nn
