// UNet config reading: refusals name the file and the field; weights that do
// not fit the network built from the config are listed in one error.
#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "nn/load_weights.h"
#include "nn/unet2d_condition.h"

namespace {

namespace fs = std::filesystem;
using namespace semdraw;
using nlohmann::json;

json tiny_config() {
  return json{{"_class_name", "UNet2DConditionModel"},
              {"in_channels", 4},
              {"out_channels", 4},
              {"block_out_channels", {16, 32}},
              {"layers_per_block", 1},
              {"down_block_types", {"CrossAttnDownBlock2D", "DownBlock2D"}},
              {"up_block_types", {"UpBlock2D", "CrossAttnUpBlock2D"}},
              {"cross_attention_dim", 8},
              {"attention_head_dim", 2},
              {"norm_num_groups", 8}};
}

std::string error_of(const json& config, const std::string& source = "unet/config.json") {
  try {
    nn::UNetConfig::read(nn::ConfigReader(config, source));
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "";
}

TEST(UNetConfig, MissingFieldNamesFileAndField) {
  json config = tiny_config();
  config.erase("cross_attention_dim");
  const std::string message = error_of(config);
  EXPECT_NE(message.find("unet/config.json"), std::string::npos) << message;
  EXPECT_NE(message.find("'cross_attention_dim'"), std::string::npos) << message;
}

TEST(UNetConfig, MissingFieldInFileNamesThePath) {
  // Per process: two build trees' test runs may share /tmp.
  const fs::path dir = fs::temp_directory_path() / ("semdraw_unet_config_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  json config = tiny_config();
  config.erase("layers_per_block");
  std::ofstream(dir / "config.json") << config.dump();
  try {
    nn::UNetConfig::from_file(dir / "config.json");
    FAIL() << "a config without layers_per_block was accepted";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find((dir / "config.json").string()), std::string::npos) << message;
    EXPECT_NE(message.find("'layers_per_block'"), std::string::npos) << message;
  }
  fs::remove_all(dir);
}

TEST(UNetConfig, SdxlAddedConditioningIsReadAndChecked) {
  json config = tiny_config();
  config["addition_embed_type"] = "text_time";
  config["addition_time_embed_dim"] = 256;
  config["projection_class_embeddings_input_dim"] = 2816;
  const auto parsed = nn::UNetConfig::read(nn::ConfigReader(config, "c.json"));
  EXPECT_TRUE(parsed.text_time());
  EXPECT_EQ(parsed.addition_time_embed_dim, 256);
  EXPECT_EQ(parsed.projection_class_embeddings_input_dim, 2816);
  config.erase("addition_time_embed_dim");
  EXPECT_NE(error_of(config).find("'addition_time_embed_dim'"), std::string::npos);
  config["addition_time_embed_dim"] = 256;
  config["projection_class_embeddings_input_dim"] = 1536;  // no room for the pooled text embedding
  EXPECT_NE(error_of(config).find("'projection_class_embeddings_input_dim'"), std::string::npos);
  config["addition_embed_type"] = "image";
  EXPECT_NE(error_of(config).find("'addition_embed_type'"), std::string::npos);
}

TEST(UNetConfig, UnsupportedFieldsAreRefusedByName) {
  json config = tiny_config();
  config["class_embed_type"] = "timestep";
  EXPECT_NE(error_of(config).find("'class_embed_type'"), std::string::npos);
  config = tiny_config();
  config["time_cond_proj_dim"] = 256;
  EXPECT_NE(error_of(config).find("'time_cond_proj_dim'"), std::string::npos);
  config = tiny_config();
  config["down_block_types"] = {"CrossAttnDownBlock2D", "SimpleCrossAttnDownBlock2D"};
  EXPECT_NE(error_of(config).find("'down_block_types'"), std::string::npos);
}

TEST(UNetConfig, NullOptionalFieldsTakeDiffusersDefaults) {
  json config = tiny_config();
  config["class_embed_type"] = nullptr;
  config["num_attention_heads"] = nullptr;
  config["transformer_layers_per_block"] = 1;
  const auto parsed = nn::UNetConfig::read(nn::ConfigReader(config, "c.json"));
  EXPECT_EQ(parsed.num_attention_heads, (std::vector<int>{2, 2}));
  EXPECT_TRUE(parsed.flip_sin_to_cos);
  EXPECT_EQ(parsed.layers_per_block, (std::vector<int>{1, 1}));
}

TEST(UNetConfig, NumAttentionHeadsWinsOverAttentionHeadDim) {
  json config = tiny_config();
  config["num_attention_heads"] = {4, 8};
  const auto parsed = nn::UNetConfig::read(nn::ConfigReader(config, "c.json"));
  EXPECT_EQ(parsed.num_attention_heads, (std::vector<int>{4, 8}));
}

TEST(UNetWeights, WrongShapesAreListedInOneError) {
  nn::UNet2DConditionModel unet(nn::UNetConfig::read(nn::ConfigReader(tiny_config(), "c.json")));
  io::StateDict weights;
  for (const auto& [name, tensor] : nn::module_state(*unet)) weights[name] = at::zeros_like(tensor);
  weights["conv_in.weight"] = at::zeros({16, 3, 3, 3});
  weights["mid_block.attentions.0.proj_in.weight"] = at::zeros({1});
  weights.erase("conv_out.bias");
  weights["extra.weight"] = at::zeros({1});
  try {
    nn::load_weights(*unet, weights, "", "unet (test)");
    FAIL() << "mismatched weights were accepted";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("conv_in.weight is [16,3,3,3], expected [16,4,3,3]"), std::string::npos) << message;
    EXPECT_NE(message.find("mid_block.attentions.0.proj_in.weight"), std::string::npos) << message;
    EXPECT_NE(message.find("conv_out.bias"), std::string::npos) << message;
    EXPECT_NE(message.find("extra.weight"), std::string::npos) << message;
  }
}

TEST(UNetForward, PerEntryTimestepsGiveDifferentOutputsAndKeepShape) {
  nn::UNet2DConditionModel unet(nn::UNetConfig::read(nn::ConfigReader(tiny_config(), "c.json")));
  at::NoGradGuard no_grad;
  // Networks are built without initial values (weights always come from a
  // checkpoint): give this one some.
  at::manual_seed(3);
  for (at::Tensor& parameter : unet->parameters()) parameter.uniform_(-0.2, 0.2);
  const at::Tensor sample = at::randn({1, 4, 8, 8}).expand({2, 4, 8, 8}).contiguous();
  const at::Tensor context = at::randn({1, 5, 8}).expand({2, 5, 8}).contiguous();
  const at::Tensor out = unet->forward(sample, at::tensor({999, 19}), context);
  EXPECT_EQ(out.sizes(), sample.sizes());
  // Same input, different timestep per entry: the entries must differ.
  EXPECT_GT((out[0] - out[1]).abs().max().item<double>(), 1e-6);
  // A scalar timestep is broadcast to every entry.
  const at::Tensor same = unet->forward(sample, at::scalar_tensor(999), context);
  EXPECT_TRUE(at::allclose(same[0], out[0], 1e-5, 1e-5));
}

TEST(UNetModule, ParameterNamesAreDiffusersNames) {
  nn::UNet2DConditionModel unet(nn::UNetConfig::read(nn::ConfigReader(tiny_config(), "c.json")));
  const auto state = nn::module_state(*unet);
  for (const char* name :
       {"time_embedding.linear_1.weight", "down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.weight",
        "down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_out.0.bias",
        "down_blocks.0.attentions.0.transformer_blocks.0.ff.net.0.proj.weight",
        "down_blocks.0.attentions.0.transformer_blocks.0.ff.net.2.weight", "down_blocks.0.downsamplers.0.conv.weight",
        "mid_block.resnets.1.time_emb_proj.weight", "up_blocks.0.resnets.0.conv_shortcut.weight",
        "up_blocks.0.upsamplers.0.conv.weight", "up_blocks.1.attentions.1.proj_out.weight", "conv_norm_out.weight",
        "conv_out.bias"}) {
    EXPECT_TRUE(state.count(name)) << name;
  }
  EXPECT_FALSE(state.count("down_blocks.1.attentions.0.norm.weight"));  // DownBlock2D has no attention
}

}  // namespace
