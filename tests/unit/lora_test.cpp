// LoRA fusion (src/engine/io/lora.h) on hand-made weights: the math
// W' = W + s * alpha/r * up @ down for Linear and 3x3-conv targets, the key
// spellings of both families (kohya's SDXL SGM names included), what is
// reported and what is refused.
#include "io/lora.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "io/safetensors.h"

namespace {

using semdraw::io::FormatError;
using semdraw::io::fuse_lora;
using semdraw::io::LoraReport;
using semdraw::io::StateDict;

at::Tensor randn(at::IntArrayRef shape, uint64_t seed) {
  at::manual_seed(seed);
  return at::randn(shape);
}

// The message of the FormatError `run` throws ("" and a test failure when none).
template <typename Fn>
std::string error_of(Fn&& run) {
  try {
    run();
  } catch (const FormatError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected a FormatError";
  return "";
}

double max_diff(const at::Tensor& a, const at::Tensor& b) { return (a - b).abs().max().item<double>(); }

constexpr const char* kQ = "unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.weight";

TEST(LoraFusion, LinearGetsScaleTimesAlphaOverRankTimesUpDown) {
  const at::Tensor w = randn({6, 5}, 1), down = randn({2, 5}, 2), up = randn({6, 2}, 3);
  StateDict canonical{{kQ, w}};
  const StateDict lora{
      {"unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight", down},
      {"unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_B.weight", up},
      {"unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.alpha", at::scalar_tensor(3.0)}};
  const LoraReport report = fuse_lora(canonical, lora, 0.5, "my.safetensors");
  EXPECT_EQ(report.fused, 1);
  EXPECT_TRUE(report.unmatched.empty());
  EXPECT_EQ(report.format, "peft");
  const at::Tensor expected = w + 0.5 * (3.0 / 2.0) * at::matmul(up, down);
  EXPECT_LT(max_diff(canonical.at(kQ), expected), 1e-6);
  // The original tensor is untouched (it may be a read-only view of a mapped file).
  EXPECT_FALSE(canonical.at(kQ).is_same(w));
  EXPECT_LT(max_diff(w, randn({6, 5}, 1)), 1e-12);
}

TEST(LoraFusion, Conv3x3EqualsRunningTheLoraBranchBesideTheConv) {
  const std::string target = "unet.down_blocks.0.resnets.0.conv1.weight";
  const at::Tensor w = randn({4, 3, 3, 3}, 4), down = randn({2, 3, 3, 3}, 5), up = randn({4, 2, 1, 1}, 6);
  StateDict canonical{{target, w}};
  const StateDict lora{{"lora_unet_down_blocks_0_resnets_0_conv1.lora_down.weight", down},
                       {"lora_unet_down_blocks_0_resnets_0_conv1.lora_up.weight", up},
                       {"lora_unet_down_blocks_0_resnets_0_conv1.alpha", at::scalar_tensor(1.0, at::kHalf)}};
  const LoraReport report = fuse_lora(canonical, lora, 0.7, "lcm.safetensors");
  EXPECT_EQ(report.fused, 1);
  EXPECT_EQ(report.format, "kohya");
  // A LoRA conv is the 3x3 down conv followed by the 1x1 up conv; fusing it
  // must give the same result as running that branch beside the base conv.
  const at::Tensor x = randn({1, 3, 7, 7}, 7);
  const at::Tensor branch = at::conv2d(at::conv2d(x, down, {}, 1, 1), up);
  const at::Tensor expected = at::conv2d(x, w, {}, 1, 1) + 0.7 * (1.0 / 2.0) * branch;
  EXPECT_LT(max_diff(at::conv2d(x, canonical.at(target), {}, 1, 1), expected), 1e-5);
}

TEST(LoraFusion, AbsentAlphaMeansAlphaEqualsRank) {
  const at::Tensor w = randn({6, 5}, 1), down = randn({3, 5}, 2), up = randn({6, 3}, 3);
  StateDict canonical{{kQ, w}};
  const StateDict lora{{"unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight", down},
                       {"unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_B.weight", up}};
  fuse_lora(canonical, lora, 0.25, "x.safetensors");
  EXPECT_LT(max_diff(canonical.at(kQ), w + 0.25 * at::matmul(up, down)), 1e-6);
}

TEST(LoraFusion, KohyaNamesMapBackThroughUnderscoresInModuleNames) {
  // to_out.0, time_emb_proj, self_attn, q_proj: underscores that are no dots.
  const std::string to_out = "unet.mid_block.attentions.0.transformer_blocks.0.attn1.to_out.0.weight";
  const std::string time = "unet.down_blocks.1.resnets.0.time_emb_proj.weight";
  const std::string q_proj = "text_encoder.text_model.encoder.layers.0.self_attn.q_proj.weight";
  const std::string fc1 = "text_encoder.text_model.encoder.layers.1.mlp.fc1.weight";
  StateDict canonical{{to_out, randn({4, 4}, 1)},
                      {time, randn({4, 8}, 2)},
                      {q_proj, randn({4, 4}, 3)},
                      {fc1, randn({6, 4}, 4)},
                      {"unet.mid_block.attentions.0.transformer_blocks.0.attn1.to_out.0.bias", randn({4}, 5)}};
  const StateDict before = canonical;
  const StateDict lora{
      {"lora_unet_mid_block_attentions_0_transformer_blocks_0_attn1_to_out_0.lora_down.weight", randn({2, 4}, 6)},
      {"lora_unet_mid_block_attentions_0_transformer_blocks_0_attn1_to_out_0.lora_up.weight", randn({4, 2}, 7)},
      {"lora_unet_down_blocks_1_resnets_0_time_emb_proj.lora_down.weight", randn({2, 8}, 8)},
      {"lora_unet_down_blocks_1_resnets_0_time_emb_proj.lora_up.weight", randn({4, 2}, 9)},
      {"lora_te_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight", randn({2, 4}, 10)},
      {"lora_te_text_model_encoder_layers_0_self_attn_q_proj.lora_up.weight", randn({4, 2}, 11)},
      {"lora_te_text_model_encoder_layers_1_mlp_fc1.lora_down.weight", randn({2, 4}, 12)},
      {"lora_te_text_model_encoder_layers_1_mlp_fc1.lora_up.weight", randn({6, 2}, 13)},
  };
  const LoraReport report = fuse_lora(canonical, lora, 1.0, "kohya.safetensors");
  EXPECT_EQ(report.fused, 4);
  EXPECT_TRUE(report.unmatched.empty());
  for (const std::string& name : {to_out, time, q_proj, fc1})
    EXPECT_GT(max_diff(canonical.at(name), before.at(name)), 1e-3) << name;
  const std::string bias = "unet.mid_block.attentions.0.transformer_blocks.0.attn1.to_out.0.bias";
  EXPECT_TRUE(canonical.at(bias).is_same(before.at(bias)));
}

TEST(LoraFusion, OldDiffusersSpellingsReachTheSameWeights) {
  const std::string to_out = "unet.down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_out.0.weight";
  const std::string q_proj = "text_encoder.text_model.encoder.layers.0.self_attn.q_proj.weight";
  const std::string out_proj = "text_encoder.text_model.encoder.layers.0.self_attn.out_proj.weight";
  const std::string fc2 = "text_encoder.text_model.encoder.layers.0.mlp.fc2.weight";
  const std::string proj_in = "unet.down_blocks.0.attentions.0.proj_in.weight";
  StateDict canonical{{to_out, randn({4, 4}, 1)},
                      {q_proj, randn({4, 4}, 2)},
                      {out_proj, randn({4, 4}, 3)},
                      {fc2, randn({4, 6}, 4)},
                      {proj_in, randn({4, 4, 1, 1}, 5)}};
  const StateDict before = canonical;
  const at::Tensor down = randn({2, 4}, 6), up = randn({4, 2}, 7);
  const StateDict lora{
      // attention processors (UNet: to_out -> to_out.0; CLIP: to_q -> q_proj, to_out -> out_proj)
      {"unet.down_blocks.0.attentions.0.transformer_blocks.0.attn2.processor.to_out_lora.down.weight", down},
      {"unet.down_blocks.0.attentions.0.transformer_blocks.0.attn2.processor.to_out_lora.up.weight", up},
      {"text_encoder.text_model.encoder.layers.0.self_attn.to_q_lora.down.weight", down},
      {"text_encoder.text_model.encoder.layers.0.self_attn.to_q_lora.up.weight", up},
      {"text_encoder.text_model.encoder.layers.0.self_attn.to_out_lora.down.weight", down},
      {"text_encoder.text_model.encoder.layers.0.self_attn.to_out_lora.up.weight", up},
      // lora_linear_layer, and a text-encoder name without "text_model." (transformers >= 5.6)
      {"text_encoder.encoder.layers.0.mlp.fc2.lora_linear_layer.down.weight", randn({2, 6}, 8)},
      {"text_encoder.encoder.layers.0.mlp.fc2.lora_linear_layer.up.weight", up},
      // a 2-D LoRA on a 1x1 conv (SD2-trained proj_in onto SD1.5's conv proj_in)
      {"unet.down_blocks.0.attentions.0.proj_in.lora.down.weight", down},
      {"unet.down_blocks.0.attentions.0.proj_in.lora.up.weight", up},
      {"unet.down_blocks.0.attentions.0.proj_in.alpha", at::scalar_tensor(4.0)},
  };
  const LoraReport report = fuse_lora(canonical, lora, 1.0, "old.safetensors");
  EXPECT_EQ(report.fused, 5);
  EXPECT_EQ(report.format, "diffusers");
  EXPECT_TRUE(report.unmatched.empty());
  EXPECT_LT(max_diff(canonical.at(to_out), before.at(to_out) + at::matmul(up, down)), 1e-6);
  EXPECT_LT(max_diff(canonical.at(q_proj), before.at(q_proj) + at::matmul(up, down)), 1e-6);
  EXPECT_LT(max_diff(canonical.at(out_proj), before.at(out_proj) + at::matmul(up, down)), 1e-6);
  EXPECT_GT(max_diff(canonical.at(fc2), before.at(fc2)), 1e-3);
  EXPECT_LT(max_diff(canonical.at(proj_in), before.at(proj_in) + 2.0 * at::matmul(up, down).view({4, 4, 1, 1})), 1e-6);
}

TEST(LoraFusion, UnmatchedKeysAreReportedAndTheRestIsFused) {
  StateDict canonical{{kQ, randn({4, 4}, 1)}};
  const StateDict lora{
      {"lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q.lora_down.weight", randn({2, 4}, 2)},
      {"lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q.lora_up.weight", randn({4, 2}, 3)},
      {"lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q.alpha", at::scalar_tensor(2.0)},
      {"lora_unet_down_blocks_9_attentions_0_proj_in.lora_down.weight", randn({2, 4}, 4)},
      {"lora_unet_down_blocks_9_attentions_0_proj_in.lora_up.weight", randn({4, 2}, 5)},
      {"lora_te2_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight", randn({2, 4}, 6)},
      {"lora_te2_text_model_encoder_layers_0_self_attn_q_proj.lora_up.weight", randn({4, 2}, 7)},
      {"some_training_step", at::scalar_tensor(100)},
  };
  const LoraReport report = fuse_lora(canonical, lora, 1.0, "mixed.safetensors");
  EXPECT_EQ(report.fused, 1);
  const std::vector<std::string> expected{
      "lora_te2_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight",
      "lora_te2_text_model_encoder_layers_0_self_attn_q_proj.lora_up.weight",
      "lora_unet_down_blocks_9_attentions_0_proj_in.lora_down.weight",
      "lora_unet_down_blocks_9_attentions_0_proj_in.lora_up.weight",
      "some_training_step",
  };
  EXPECT_EQ(report.unmatched, expected);
}

TEST(LoraFusion, ALoraForAnotherArchitectureNamesTheFileAndTheKey) {
  StateDict canonical{{kQ, randn({4, 4}, 1)}};
  const StateDict sdxl{
      {"lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q.lora_down.weight", randn({2, 640}, 2)},
      {"lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q.lora_up.weight", randn({640, 2}, 3)},
      {"lora_te1_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight", randn({2, 768}, 4)},
      {"lora_te1_text_model_encoder_layers_0_self_attn_q_proj.lora_up.weight", randn({768, 2}, 5)},
  };
  const std::string message = error_of([&] { fuse_lora(canonical, sdxl, 1.0, "/loras/sdxl_style.safetensors"); });
  EXPECT_NE(message.find("/loras/sdxl_style.safetensors"), std::string::npos) << message;
  EXPECT_NE(message.find("lora_te1_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight"), std::string::npos)
      << message;
}

TEST(LoraFusion, ShapesThatDoNotFitNameTheKeyAndBothShapesAndChangeNothing) {
  const std::string k = "unet.down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight";
  StateDict canonical{{kQ, randn({4, 4}, 1)}, {k, randn({4, 768}, 2)}};
  const StateDict before = canonical;
  // An SD2 LoRA: the same names, cross-attention from 1024-wide text features.
  const StateDict sd2{
      {"lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q.lora_down.weight", randn({2, 4}, 3)},
      {"lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q.lora_up.weight", randn({4, 2}, 4)},
      {"lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.lora_down.weight", randn({2, 1024}, 5)},
      {"lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.lora_up.weight", randn({4, 2}, 6)},
  };
  const std::string message = error_of([&] { fuse_lora(canonical, sd2, 1.0, "sd2.safetensors"); });
  const std::vector<std::string> parts{"sd2.safetensors", "attn2_to_k.lora_down.weight", "[2,1024]", "[4,768]", k};
  for (const std::string& part : parts) {
    EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' missing from: " << message;
  }
  // Checked before anything was written: the matching to_q was not fused either.
  for (const auto& [name, tensor] : before) EXPECT_TRUE(canonical.at(name).is_same(tensor)) << name;
}

TEST(LoraFusion, UnetPartMatchingNothingIsAnotherArchitectureEvenIfTheTextEncoderFits) {
  const std::string q_proj = "text_encoder.text_model.encoder.layers.0.self_attn.q_proj.weight";
  StateDict canonical{{kQ, randn({4, 4}, 1)}, {q_proj, randn({4, 4}, 2)}};
  const StateDict lora{
      // A FLUX transformer module in kohya spelling.
      {"lora_unet_double_blocks_0_img_attn_qkv.lora_down.weight", randn({2, 4}, 3)},
      {"lora_unet_double_blocks_0_img_attn_qkv.lora_up.weight", randn({4, 2}, 4)},
      {"lora_te_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight", randn({2, 4}, 5)},
      {"lora_te_text_model_encoder_layers_0_self_attn_q_proj.lora_up.weight", randn({4, 2}, 6)},
  };
  const std::string message = error_of([&] { fuse_lora(canonical, lora, 1.0, "flux.safetensors"); });
  EXPECT_NE(message.find("flux.safetensors"), std::string::npos) << message;
  EXPECT_NE(message.find("lora_unet_double_blocks_0_img_attn_qkv.lora_down.weight"), std::string::npos) << message;
}

// sd-scripts' SDXL naming (src/engine/io/lora_sgm_names.h): UNet modules by
// their original SGM-layout names, text encoders as lora_te1_ / lora_te2_.

// Canonical [4, 4] weights under `names` plus what makes the UNet's block
// structure readable: `levels` down/up levels of `per_level` resnets (up levels
// one more), attention where the flags say, a mid block with attention.
StateDict sgm_model(const std::vector<std::string>& names, int per_level, const std::vector<bool>& down_attention,
                    const std::vector<bool>& up_attention) {
  StateDict canonical;
  uint64_t seed = 100;
  const auto add = [&](const std::string& name) { canonical.emplace(name, randn({4, 4}, seed++)); };
  for (const std::string& name : names) add(name);
  for (size_t level = 0; level < down_attention.size(); ++level) {
    const std::string down = "unet.down_blocks." + std::to_string(level);
    const std::string up = "unet.up_blocks." + std::to_string(level);
    for (int j = 0; j <= per_level; ++j) {
      if (j < per_level) add(down + ".resnets." + std::to_string(j) + ".conv1.weight");
      add(up + ".resnets." + std::to_string(j) + ".conv1.weight");
      if (j < per_level && down_attention[level]) add(down + ".attentions." + std::to_string(j) + ".proj_in.weight");
      if (up_attention[level]) add(up + ".attentions." + std::to_string(j) + ".proj_in.weight");
    }
  }
  add("unet.mid_block.attentions.0.proj_in.weight");
  return canonical;
}

// Expects every (kohya module, canonical weight) pair to fuse as
// W + alpha/rank * up @ down, each module with its own alpha, and nothing else.
void expect_kohya_modules_fuse(const std::vector<std::pair<std::string, std::string>>& pairs, StateDict canonical) {
  const StateDict before = canonical;
  StateDict lora;
  std::map<std::string, at::Tensor> expected;
  uint64_t seed = 1000;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& [kohya, target] = pairs[i];
    const at::Tensor down = randn({2, 4}, seed++), up = randn({4, 2}, seed++);
    const double alpha = 0.5 + static_cast<double>(i);  // a different alpha per module
    lora[kohya + ".lora_down.weight"] = down;
    lora[kohya + ".lora_up.weight"] = up;
    lora[kohya + ".alpha"] = at::scalar_tensor(alpha, at::kHalf);
    expected[target] = before.at(target) + 0.8 * (alpha / 2.0) * at::matmul(up, down);
  }
  const LoraReport report = fuse_lora(canonical, lora, 0.8, "sdxl.safetensors");
  EXPECT_EQ(report.format, "kohya");
  EXPECT_EQ(report.fused, static_cast<int>(pairs.size()));
  EXPECT_TRUE(report.unmatched.empty()) << report.unmatched.front();
  for (const auto& [name, tensor] : canonical) {
    const auto want = expected.find(name);
    if (want == expected.end()) {
      EXPECT_TRUE(tensor.is_same(before.at(name))) << name << " changed";
    } else {
      EXPECT_LT(max_diff(tensor, want->second), 1e-5) << name;
    }
  }
}

// Real SDXL: 3 levels, 2 res blocks per down level (3 per up level), no
// attention in level 0; SDXL-Lightning's and most shared SDXL LoRAs use these names.
TEST(LoraFusion, SdScriptsSdxlNamesReachTheirDiffusersModules) {
  const std::vector<std::pair<std::string, std::string>> pairs{
      {"lora_unet_input_blocks_1_0_in_layers_2", "unet.down_blocks.0.resnets.0.conv1.weight"},
      {"lora_unet_input_blocks_2_0_out_layers_3", "unet.down_blocks.0.resnets.1.conv2.weight"},
      {"lora_unet_input_blocks_3_0_op", "unet.down_blocks.0.downsamplers.0.conv.weight"},
      {"lora_unet_input_blocks_4_0_skip_connection", "unet.down_blocks.1.resnets.0.conv_shortcut.weight"},
      {"lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q",
       "unet.down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_q.weight"},
      {"lora_unet_input_blocks_5_1_transformer_blocks_1_attn2_to_out_0",
       "unet.down_blocks.1.attentions.1.transformer_blocks.1.attn2.to_out.0.weight"},
      {"lora_unet_input_blocks_7_0_emb_layers_1", "unet.down_blocks.2.resnets.0.time_emb_proj.weight"},
      {"lora_unet_input_blocks_8_1_transformer_blocks_9_attn2_to_k",
       "unet.down_blocks.2.attentions.1.transformer_blocks.9.attn2.to_k.weight"},
      {"lora_unet_middle_block_0_emb_layers_1", "unet.mid_block.resnets.0.time_emb_proj.weight"},
      {"lora_unet_middle_block_1_transformer_blocks_3_attn1_to_v",
       "unet.mid_block.attentions.0.transformer_blocks.3.attn1.to_v.weight"},
      {"lora_unet_middle_block_2_in_layers_2", "unet.mid_block.resnets.1.conv1.weight"},
      {"lora_unet_output_blocks_0_1_transformer_blocks_0_ff_net_0_proj",
       "unet.up_blocks.0.attentions.0.transformer_blocks.0.ff.net.0.proj.weight"},
      {"lora_unet_output_blocks_2_2_conv", "unet.up_blocks.0.upsamplers.0.conv.weight"},
      {"lora_unet_output_blocks_5_1_proj_out", "unet.up_blocks.1.attentions.2.proj_out.weight"},
      {"lora_unet_output_blocks_5_2_conv", "unet.up_blocks.1.upsamplers.0.conv.weight"},
      {"lora_unet_output_blocks_8_0_skip_connection", "unet.up_blocks.2.resnets.2.conv_shortcut.weight"},
      {"lora_unet_input_blocks_0_0", "unet.conv_in.weight"},
      {"lora_unet_out_2", "unet.conv_out.weight"},
      {"lora_unet_time_embed_2", "unet.time_embedding.linear_2.weight"},
      {"lora_unet_label_emb_0_0", "unet.add_embedding.linear_1.weight"},
      {"lora_te1_text_model_encoder_layers_0_self_attn_q_proj",
       "text_encoder.text_model.encoder.layers.0.self_attn.q_proj.weight"},
      {"lora_te1_text_model_encoder_layers_11_mlp_fc2", "text_encoder.text_model.encoder.layers.11.mlp.fc2.weight"},
      {"lora_te2_text_model_encoder_layers_0_self_attn_out_proj",
       "text_encoder_2.text_model.encoder.layers.0.self_attn.out_proj.weight"},
      {"lora_te2_text_model_encoder_layers_31_mlp_fc1", "text_encoder_2.text_model.encoder.layers.31.mlp.fc1.weight"},
  };
  std::vector<std::string> names;
  for (const auto& pair : pairs) names.push_back(pair.second);
  expect_kohya_modules_fuse(pairs, sgm_model(names, 2, {false, true, true}, {true, true, false}));
}

// The same SGM indices mean other modules in another UNet: the mapping comes
// from the model's block structure (here 1 res block per down level, attention
// in level 1 only; then a model whose lowest-resolution up level has no
// attention, so its upsampler sits in slot 1, as SD1.5's does).
TEST(LoraFusion, SdScriptsBlockIndicesFollowTheModelsOwnLayout) {
  const std::vector<std::pair<std::string, std::string>> one_per_level{
      {"lora_unet_input_blocks_2_0_op", "unet.down_blocks.0.downsamplers.0.conv.weight"},
      {"lora_unet_input_blocks_3_1_proj_in", "unet.down_blocks.1.attentions.0.proj_in.weight"},
      {"lora_unet_output_blocks_1_0_in_layers_2", "unet.up_blocks.0.resnets.1.conv1.weight"},
      {"lora_unet_output_blocks_1_2_conv", "unet.up_blocks.0.upsamplers.0.conv.weight"},
      {"lora_unet_output_blocks_3_0_skip_connection", "unet.up_blocks.1.resnets.1.conv_shortcut.weight"},
  };
  std::vector<std::string> names;
  for (const auto& pair : one_per_level) names.push_back(pair.second);
  expect_kohya_modules_fuse(one_per_level, sgm_model(names, 1, {false, true}, {true, false}));

  const std::vector<std::pair<std::string, std::string>> sd15_like{
      {"lora_unet_output_blocks_2_1_conv", "unet.up_blocks.0.upsamplers.0.conv.weight"},
      {"lora_unet_output_blocks_3_1_transformer_blocks_0_attn2_to_k",
       "unet.up_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k.weight"},
  };
  names.clear();
  for (const auto& pair : sd15_like) names.push_back(pair.second);
  expect_kohya_modules_fuse(sd15_like, sgm_model(names, 2, {true, false}, {false, true}));
}

TEST(LoraFusion, HalfPrecisionWeightsStayHalfAndAreSummedInFloat) {
  const at::Tensor w = randn({6, 5}, 1).to(at::kHalf), down = randn({2, 5}, 2), up = randn({6, 2}, 3);
  StateDict canonical{{kQ, w}};
  const StateDict lora{{"unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight", down},
                       {"unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_B.weight", up}};
  fuse_lora(canonical, lora, 0.7, "x.safetensors");
  EXPECT_EQ(canonical.at(kQ).scalar_type(), at::kHalf);
  const at::Tensor expected = (w.to(at::kFloat) + 0.7 * at::matmul(up, down)).to(at::kHalf);
  EXPECT_EQ(max_diff(canonical.at(kQ).to(at::kFloat), expected.to(at::kFloat)), 0.0);
}

TEST(LoraFusion, PeftAlphasComeFromTheFileMetadataWhenPresent) {
  const std::string attn = "unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.";
  const std::string k = attn + "to_k.weight";
  const std::string fc1 = "text_encoder.text_model.encoder.layers.0.mlp.fc1.weight";
  const at::Tensor down = randn({2, 4}, 1), up = randn({4, 2}, 2);
  StateDict canonical{{kQ, randn({4, 4}, 3)}, {k, randn({4, 4}, 4)}, {fc1, randn({4, 4}, 5)}};
  const StateDict before = canonical;
  const StateDict lora{{attn + "to_q.lora_A.weight", down},
                       {attn + "to_q.lora_B.weight", up},
                       {attn + "to_k.lora_A.weight", down},
                       {attn + "to_k.lora_B.weight", up},
                       {"text_encoder.encoder.layers.0.mlp.fc1.lora_A.weight", down},
                       {"text_encoder.encoder.layers.0.mlp.fc1.lora_B.weight", up}};
  // As diffusers' save_lora_weights writes it: LoraConfig fields per component.
  const std::map<std::string, std::string> metadata{
      {"format", "pt"},
      {"lora_adapter_metadata",
       R"({"text_encoder.lora_alpha": 1, "text_encoder.r": 2, "unet.alpha_pattern": {"attn1.to_q": 1.0},)"
       R"( "unet.lora_alpha": 8, "unet.r": 2})"}};
  fuse_lora(canonical, lora, 1.0, "meta.safetensors", metadata);
  const at::Tensor delta = at::matmul(up, down);
  EXPECT_LT(max_diff(canonical.at(kQ), before.at(kQ) + (1.0 / 2.0) * delta), 1e-5);  // pattern
  EXPECT_LT(max_diff(canonical.at(k), before.at(k) + (8.0 / 2.0) * delta), 1e-5);    // lora_alpha
  EXPECT_LT(max_diff(canonical.at(fc1), before.at(fc1) + (1.0 / 2.0) * delta), 1e-5);

  StateDict again = before;
  const std::string message = error_of([&] {
    fuse_lora(again, lora, 1.0, "meta.safetensors", {{"lora_adapter_metadata", "{not json"}});
  });
  EXPECT_NE(message.find("meta.safetensors"), std::string::npos) << message;
}

TEST(LoraFusion, PeftUpBiasIsAddedToTheModuleBias) {
  const std::string bias = "unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.bias";
  const at::Tensor b = randn({4}, 1), up_bias = randn({4}, 2);
  StateDict canonical{{kQ, randn({4, 4}, 3)}, {bias, b}};
  const StateDict lora{
      {"unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight", randn({2, 4}, 4)},
      {"unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_B.weight", randn({4, 2}, 5)},
      {"unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_B.bias", up_bias}};
  fuse_lora(canonical, lora, 0.5, "x.safetensors");
  EXPECT_LT(max_diff(canonical.at(bias), b + 0.5 * up_bias), 1e-6);
}

TEST(LoraFusion, BrokenOrUnsupportedLorasAreRefusedByName) {
  StateDict canonical{{kQ, randn({4, 4}, 1)}};
  const std::string module = "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q";
  const std::string no_up = error_of([&] {
    fuse_lora(canonical, {{module + ".lora_down.weight", randn({2, 4}, 2)}}, 1.0, "half.safetensors");
  });
  EXPECT_NE(no_up.find("half.safetensors"), std::string::npos) << no_up;
  EXPECT_NE(no_up.find(module + ".lora_down.weight"), std::string::npos) << no_up;

  const std::string dora = error_of([&] {
    fuse_lora(canonical,
              {{module + ".lora_down.weight", randn({2, 4}, 2)},
               {module + ".lora_up.weight", randn({4, 2}, 3)},
               {module + ".dora_scale", randn({4, 1}, 4)}},
              1.0, "dora.safetensors");
  });
  EXPECT_NE(dora.find("DoRA"), std::string::npos) << dora;

  const std::string vector_alpha = error_of([&] {
    fuse_lora(canonical,
              {{module + ".lora_down.weight", randn({2, 4}, 2)},
               {module + ".lora_up.weight", randn({4, 2}, 3)},
               {module + ".alpha", randn({2}, 4)}},
              1.0, "alpha.safetensors");
  });
  EXPECT_NE(vector_alpha.find(module + ".alpha"), std::string::npos) << vector_alpha;

  const std::string empty = error_of([&] { fuse_lora(canonical, {}, 1.0, "empty.safetensors"); });
  EXPECT_NE(empty.find("empty.safetensors"), std::string::npos) << empty;
}

}  // namespace
