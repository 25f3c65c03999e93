// Checkpoint layouts: a synthetic SD1.5-shaped original (CompVis/LDM) key
// set goes to canonical names and back; diffusers folders and single files
// load to the same canonical StateDict.
#include "engine/io/checkpoint_layout.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "support/safetensors_test_util.h"

namespace semdraw::io {
namespace {

using semdraw::testing::expect_format_error;
using semdraw::testing::ScratchDir;

// Builds original-layout names the way the LDM code names its modules, for
// SD1.5's structure (4 levels, 2 resnets per level, attention on levels
// 0-2), written independently of the library's rule table. Every tensor
// holds a distinct value so that a misrouted tensor is detected.
class OriginalSd15 {
 public:
  OriginalSd15() {
    const std::string u = "model.diffusion_model.";
    linear(u + "time_embed.0");
    linear(u + "time_embed.2");
    conv(u + "input_blocks.0.0");
    int block = 1;
    for (int level = 0; level < 4; ++level) {
      for (int j = 0; j < 2; ++j, ++block) {
        resnet(u + "input_blocks." + std::to_string(block) + ".0", level > 0 && j == 0);
        if (level < 3) transformer(u + "input_blocks." + std::to_string(block) + ".1");
      }
      if (level < 3) conv(u + "input_blocks." + std::to_string(block++) + ".0.op");
    }
    resnet(u + "middle_block.0", false);
    transformer(u + "middle_block.1");
    resnet(u + "middle_block.2", false);
    block = 0;
    for (int up = 0; up < 4; ++up) {
      for (int j = 0; j < 3; ++j, ++block) {
        const std::string prefix = u + "output_blocks." + std::to_string(block);
        resnet(prefix + ".0", true);
        if (up > 0) transformer(prefix + ".1");
        if (j == 2 && up < 3) conv(prefix + (up > 0 ? ".2" : ".1") + ".conv");
      }
    }
    norm(u + "out.0");
    conv(u + "out.2");

    const std::string v = "first_stage_model.";
    for (const std::string part : {"encoder", "decoder"}) {
      conv(v + part + ".conv_in");
      resnet_vae(v + part + ".mid.block_1", false);
      vae_attention(v + part + ".mid.attn_1");
      resnet_vae(v + part + ".mid.block_2", false);
      norm(v + part + ".norm_out");
      conv(v + part + ".conv_out");
    }
    for (int level = 0; level < 4; ++level) {
      const std::string down = v + "encoder.down." + std::to_string(level);
      for (int j = 0; j < 2; ++j) resnet_vae(down + ".block." + std::to_string(j), level > 0 && level < 3 && j == 0);
      if (level < 3) conv(down + ".downsample.conv");
      const std::string up = v + "decoder.up." + std::to_string(level);
      for (int j = 0; j < 3; ++j) resnet_vae(up + ".block." + std::to_string(j), level < 2 && j == 0);
      if (level > 0) conv(up + ".upsample.conv");
    }
    conv(v + "quant_conv");
    conv(v + "post_quant_conv");

    const std::string t = "cond_stage_model.transformer.text_model.";
    add(t + "embeddings.token_embedding.weight", {10, 4});
    add(t + "embeddings.position_embedding.weight", {7, 4});
    for (int layer = 0; layer < 2; ++layer) {
      const std::string l = t + "encoder.layers." + std::to_string(layer) + ".";
      for (const std::string p :
           {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj", "mlp.fc1", "mlp.fc2"}) {
        linear(l + p);
      }
      norm(l + "layer_norm1");
      norm(l + "layer_norm2");
    }
    norm(t + "final_layer_norm");
  }

  StateDict weights;

 private:
  void add(const std::string& name, std::vector<int64_t> shape) {
    weights[name] = at::full(shape, static_cast<double>(weights.size() + 1));
  }
  void linear(const std::string& m) { add(m + ".weight", {4, 4}), add(m + ".bias", {4}); }
  void conv(const std::string& m) { add(m + ".weight", {4, 4, 3, 3}), add(m + ".bias", {4}); }
  void norm(const std::string& m) { add(m + ".weight", {4}), add(m + ".bias", {4}); }
  void resnet(const std::string& m, bool shortcut) {
    norm(m + ".in_layers.0");
    conv(m + ".in_layers.2");
    linear(m + ".emb_layers.1");
    norm(m + ".out_layers.0");
    conv(m + ".out_layers.3");
    if (shortcut) conv(m + ".skip_connection");
  }
  void transformer(const std::string& m) {
    norm(m + ".norm");
    conv(m + ".proj_in");
    const std::string b = m + ".transformer_blocks.0.";
    for (const std::string a : {"attn1", "attn2"}) {
      add(b + a + ".to_q.weight", {4, 4});
      add(b + a + ".to_k.weight", {4, 4});
      add(b + a + ".to_v.weight", {4, 4});
      linear(b + a + ".to_out.0");
    }
    norm(b + "norm1"), norm(b + "norm2"), norm(b + "norm3");
    linear(b + "ff.net.0.proj"), linear(b + "ff.net.2");
    conv(m + ".proj_out");
  }
  void resnet_vae(const std::string& m, bool shortcut) {
    norm(m + ".norm1"), conv(m + ".conv1"), norm(m + ".norm2"), conv(m + ".conv2");
    if (shortcut) add(m + ".nin_shortcut.weight", {4, 4, 1, 1}), add(m + ".nin_shortcut.bias", {4});
  }
  void vae_attention(const std::string& m) {
    norm(m + ".norm");
    for (const std::string p : {"q", "k", "v", "proj_out"})
      add(m + "." + p + ".weight", {4, 4, 1, 1}), add(m + "." + p + ".bias", {4});
  }
};

// Leftovers that real single files carry besides the three networks.
StateDict leftovers() {
  return {{"model_ema.decay", at::ones({})},
          {"model_ema.num_updates", at::ones({}, at::kInt)},
          {"model_ema.diffusion_modelinput_blocks00weight", at::ones({4, 4, 3, 3})},
          {"alphas_cumprod", at::ones({1000})},
          {"betas", at::ones({1000})},
          {"cond_stage_model.transformer.text_model.embeddings.position_ids", at::arange(7, at::kLong).unsqueeze(0)}};
}

TEST(CheckpointLayout, InfersSd15ShapesFromOriginalNames) {
  const OriginalSd15 original;
  EXPECT_EQ(infer_unet_layout_from_original(names_of(original.weights)), UnetLayoutInfo::sd15());
  EXPECT_EQ(infer_vae_layout_from_original(names_of(original.weights)), VaeLayoutInfo::sd15());
}

TEST(CheckpointLayout, OriginalToCanonicalNamesWhatDiffusersNames) {
  const OriginalSd15 original;
  StateDict with_extras = original.weights;
  for (const auto& [name, tensor] : leftovers()) with_extras[name] = tensor;
  std::vector<std::string> ignored;
  const StateDict canonical =
      original_to_canonical(with_extras, UnetLayoutInfo::sd15(), VaeLayoutInfo::sd15(), &ignored);
  EXPECT_EQ(canonical.size(), original.weights.size());
  std::sort(ignored.begin(), ignored.end());
  EXPECT_EQ(ignored, names_of(leftovers()));

  // Correspondences as diffusers' converter makes them.
  const std::vector<std::pair<std::string, std::string>> expected{
      {"model.diffusion_model.time_embed.0.weight", "unet.time_embedding.linear_1.weight"},
      {"model.diffusion_model.input_blocks.0.0.bias", "unet.conv_in.bias"},
      {"model.diffusion_model.input_blocks.1.0.in_layers.0.weight", "unet.down_blocks.0.resnets.0.norm1.weight"},
      {"model.diffusion_model.input_blocks.2.1.transformer_blocks.0.attn2.to_k.weight",
       "unet.down_blocks.0.attentions.1.transformer_blocks.0.attn2.to_k.weight"},
      {"model.diffusion_model.input_blocks.3.0.op.weight", "unet.down_blocks.0.downsamplers.0.conv.weight"},
      {"model.diffusion_model.input_blocks.4.0.skip_connection.weight",
       "unet.down_blocks.1.resnets.0.conv_shortcut.weight"},
      {"model.diffusion_model.input_blocks.11.0.emb_layers.1.bias", "unet.down_blocks.3.resnets.1.time_emb_proj.bias"},
      {"model.diffusion_model.middle_block.1.proj_in.weight", "unet.mid_block.attentions.0.proj_in.weight"},
      {"model.diffusion_model.middle_block.2.out_layers.3.weight", "unet.mid_block.resnets.1.conv2.weight"},
      {"model.diffusion_model.output_blocks.2.1.conv.weight", "unet.up_blocks.0.upsamplers.0.conv.weight"},
      {"model.diffusion_model.output_blocks.5.2.conv.bias", "unet.up_blocks.1.upsamplers.0.conv.bias"},
      {"model.diffusion_model.output_blocks.5.1.norm.weight", "unet.up_blocks.1.attentions.2.norm.weight"},
      {"model.diffusion_model.output_blocks.11.0.out_layers.0.bias", "unet.up_blocks.3.resnets.2.norm2.bias"},
      {"model.diffusion_model.out.0.weight", "unet.conv_norm_out.weight"},
      {"model.diffusion_model.out.2.bias", "unet.conv_out.bias"},
      {"first_stage_model.encoder.norm_out.weight", "vae.encoder.conv_norm_out.weight"},
      {"first_stage_model.encoder.down.1.block.0.nin_shortcut.weight",
       "vae.encoder.down_blocks.1.resnets.0.conv_shortcut.weight"},
      {"first_stage_model.encoder.down.2.downsample.conv.weight",
       "vae.encoder.down_blocks.2.downsamplers.0.conv.weight"},
      {"first_stage_model.encoder.mid.attn_1.norm.bias", "vae.encoder.mid_block.attentions.0.group_norm.bias"},
      {"first_stage_model.decoder.mid.attn_1.proj_out.weight", "vae.decoder.mid_block.attentions.0.to_out.0.weight"},
      {"first_stage_model.decoder.up.3.block.2.conv1.weight", "vae.decoder.up_blocks.0.resnets.2.conv1.weight"},
      {"first_stage_model.decoder.up.0.block.0.nin_shortcut.bias",
       "vae.decoder.up_blocks.3.resnets.0.conv_shortcut.bias"},
      {"first_stage_model.decoder.up.1.upsample.conv.weight", "vae.decoder.up_blocks.2.upsamplers.0.conv.weight"},
      {"first_stage_model.post_quant_conv.weight", "vae.post_quant_conv.weight"},
      {"cond_stage_model.transformer.text_model.embeddings.token_embedding.weight",
       "text_encoder.text_model.embeddings.token_embedding.weight"},
      {"cond_stage_model.transformer.text_model.encoder.layers.1.mlp.fc2.bias",
       "text_encoder.text_model.encoder.layers.1.mlp.fc2.bias"},
  };
  for (const auto& [from, to] : expected) {
    ASSERT_TRUE(original.weights.count(from)) << "test key set lacks " << from;
    ASSERT_TRUE(canonical.count(to)) << from << " should become " << to;
    const at::Tensor& source = original.weights.at(from);
    const at::Tensor& target = canonical.at(to);
    EXPECT_TRUE(at::equal(source.flatten(), target.flatten())) << from << " -> " << to << " moved another tensor";
  }
  // VAE attention projections: 1x1 conv [C,C,1,1] becomes linear [C,C].
  for (const std::string part : {"encoder", "decoder"}) {
    for (const std::string p : {"to_q", "to_k", "to_v", "to_out.0"}) {
      const std::string name = "vae." + part + ".mid_block.attentions.0." + p + ".weight";
      EXPECT_EQ(canonical.at(name).sizes().vec(), (std::vector<int64_t>{4, 4})) << name;
    }
  }
}

TEST(CheckpointLayout, OriginalCanonicalRoundTripIsTheIdentity) {
  const OriginalSd15 original;
  const StateDict canonical = original_to_canonical(original.weights, UnetLayoutInfo::sd15());
  EXPECT_EQ(infer_unet_layout_from_canonical(names_of(canonical)), UnetLayoutInfo::sd15());
  EXPECT_EQ(infer_vae_layout_from_canonical(names_of(canonical)), VaeLayoutInfo::sd15());
  std::vector<std::string> ignored;
  const StateDict back = canonical_to_original(canonical, UnetLayoutInfo::sd15(), VaeLayoutInfo::sd15(), &ignored);
  EXPECT_TRUE(ignored.empty());
  ASSERT_EQ(names_of(back), names_of(original.weights));
  for (const auto& [name, tensor] : original.weights) {
    EXPECT_EQ(back.at(name).sizes(), tensor.sizes()) << name;  // 1x1 convs restored
    EXPECT_TRUE(at::equal(back.at(name), tensor)) << name;
  }
}

TEST(CheckpointLayout, TextEncoderWithoutTextModelLevelMapsTheSame) {
  const StateDict old_style{{"cond_stage_model.transformer.embeddings.token_embedding.weight", at::ones({3, 2})},
                            {"cond_stage_model.transformer.final_layer_norm.bias", at::ones({2})}};
  const StateDict canonical = original_to_canonical(old_style, UnetLayoutInfo::sd15());
  EXPECT_EQ(names_of(canonical), (std::vector<std::string>{"text_encoder.text_model.embeddings.token_embedding.weight",
                                                           "text_encoder.text_model.final_layer_norm.bias"}));
  StateDict both = old_style;
  both["cond_stage_model.transformer.text_model.final_layer_norm.bias"] = at::ones({2});
  expect_format_error([&] { original_to_canonical(both, UnetLayoutInfo::sd15()); },
                      {"final_layer_norm.bias", "both map to"});
}

TEST(CheckpointLayout, VaeAttentionShapeThatIsNotA1x1ConvIsAnError) {
  const StateDict bad{{"first_stage_model.encoder.mid.attn_1.q.weight", at::ones({4, 4, 3, 3})}};
  expect_format_error([&] { original_to_canonical(bad, UnetLayoutInfo::sd15()); },
                      {"first_stage_model.encoder.mid.attn_1.q.weight", "1x1"});
}

TEST(CheckpointLayout, LayoutFromDiffusersConfigs) {
  const nlohmann::json unet{
      {"layers_per_block", 2},
      {"down_block_types", {"CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"}},
      {"up_block_types", {"UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"}},
      {"mid_block_type", "UNetMidBlock2DCrossAttn"}};
  EXPECT_EQ(UnetLayoutInfo::from_config(unet, "unet/config.json"), UnetLayoutInfo::sd15());
  const nlohmann::json vae{{"block_out_channels", {128, 256, 512, 512}}, {"layers_per_block", 2}};
  EXPECT_EQ(VaeLayoutInfo::from_config(vae, "vae/config.json"), VaeLayoutInfo::sd15());
  nlohmann::json broken = unet;
  broken.erase("down_block_types");
  expect_format_error([&] { UnetLayoutInfo::from_config(broken, "unet/config.json"); },
                      {"unet/config.json", "down_block_types"});
}

// ---- loading from disk -----------------------------------------------------

// Splits a canonical StateDict into a diffusers folder (one file per component).
// The VAE attention names of diffusers before 0.14 (query/key/value/proj_attn).
std::string old_vae_attention_name(std::string name) {
  for (const auto& [now, before] : std::vector<std::pair<std::string, std::string>>{
           {".to_q.", ".query."}, {".to_k.", ".key."}, {".to_v.", ".value."}, {".to_out.0.", ".proj_attn."}}) {
    if (const size_t at = name.find(now); at != std::string::npos && name.find(".attentions.") < at)
      return name.replace(at, now.size(), before);
  }
  return name;
}

void write_diffusers_folder(const std::filesystem::path& folder, const StateDict& canonical, bool fp16_names = false,
                            bool transformers5_text_names = false, bool old_vae_attention_names = false) {
  const std::vector<std::tuple<std::string, std::string, std::string>> parts{
      {"unet.", "unet", "diffusion_pytorch_model"},
      {"text_encoder.", "text_encoder", "model"},
      {"vae.", "vae", "diffusion_pytorch_model"}};
  for (const auto& [prefix, sub, base] : parts) {
    StateDict component;
    for (const auto& [name, tensor] : canonical) {
      if (name.rfind(prefix, 0) != 0) continue;
      std::string local = name.substr(prefix.size());
      if (transformers5_text_names && local.rfind("text_model.", 0) == 0) local = local.substr(11);
      if (old_vae_attention_names && prefix == "vae.") local = old_vae_attention_name(local);
      component[local] = tensor;
    }
    std::filesystem::create_directories(folder / sub);
    save_safetensors(folder / sub / (base + (fp16_names ? ".fp16" : "") + ".safetensors"), component);
  }
  semdraw::testing::write_bytes(folder / "model_index.json", "{}");
}

void expect_same(const StateDict& actual, const StateDict& expected) {
  ASSERT_EQ(names_of(actual), names_of(expected));
  for (const auto& [name, tensor] : expected) EXPECT_TRUE(at::equal(actual.at(name), tensor)) << name;
}

TEST(CheckpointLayout, FolderAndSingleFileLoadToTheSameCanonicalWeights) {
  ScratchDir dir;
  const OriginalSd15 original;
  const StateDict canonical = original_to_canonical(original.weights, UnetLayoutInfo::sd15());
  StateDict single = original.weights;
  for (const auto& [name, tensor] : leftovers()) single[name] = tensor;
  save_safetensors(dir / "model.safetensors", single);
  write_diffusers_folder(dir / "folder", canonical);

  EXPECT_EQ(detect_layout(dir / "model.safetensors"), CheckpointLayout::kSingleFile);
  EXPECT_EQ(detect_layout(dir / "folder"), CheckpointLayout::kDiffusersFolder);
  std::vector<std::string> ignored;
  expect_same(load_checkpoint(dir / "model.safetensors", {}, &ignored), canonical);
  std::sort(ignored.begin(), ignored.end());
  EXPECT_EQ(ignored, names_of(leftovers()));
  expect_same(load_checkpoint(dir / "folder"), canonical);

  LoadOptions unet_only;
  unet_only.prefix = "unet.";
  const StateDict unet = load_checkpoint(dir / "model.safetensors", unet_only);
  EXPECT_FALSE(unet.empty());
  EXPECT_TRUE(
      std::all_of(unet.begin(), unet.end(), [](const auto& item) { return item.first.rfind("unet.", 0) == 0; }));
  EXPECT_EQ(names_of(load_checkpoint(dir / "folder", unet_only)), names_of(unet));
}

TEST(CheckpointLayout, FolderVariantsFp16FilesAndTransformers5TextNames) {
  ScratchDir dir;
  const OriginalSd15 original;
  const StateDict canonical = original_to_canonical(original.weights, UnetLayoutInfo::sd15());
  write_diffusers_folder(dir / "folder", canonical, /*fp16_names=*/true, /*transformers5_text_names=*/true);
  expect_same(load_diffusers_folder(dir / "folder"), canonical);
}

TEST(CheckpointLayout, OldDiffusersVaeAttentionNamesLoadAsTheCurrentOnes) {
  ScratchDir dir;
  const OriginalSd15 original;
  const StateDict canonical = original_to_canonical(original.weights, UnetLayoutInfo::sd15());
  write_diffusers_folder(dir / "folder", canonical, false, false, /*old_vae_attention_names=*/true);
  const StateDict vae = load_safetensors(dir / "folder" / "vae" / "diffusion_pytorch_model.safetensors");
  ASSERT_TRUE(vae.count("encoder.mid_block.attentions.0.query.weight")) << "the folder really has the old names";
  ASSERT_TRUE(vae.count("decoder.mid_block.attentions.0.proj_attn.bias"));
  expect_same(load_diffusers_folder(dir / "folder"), canonical);
}

TEST(CheckpointLayout, ShardedComponentsLoadThroughTheirIndex) {
  ScratchDir dir;
  const OriginalSd15 original;
  const StateDict canonical = original_to_canonical(original.weights, UnetLayoutInfo::sd15());
  write_diffusers_folder(dir / "folder", canonical);
  // Re-write the UNet as two shards plus an index, as large models are saved.
  const auto unet_dir = dir / "folder" / "unet";
  const StateDict unet = load_safetensors(unet_dir / "diffusion_pytorch_model.safetensors");
  std::filesystem::remove(unet_dir / "diffusion_pytorch_model.safetensors");
  StateDict first, second;
  nlohmann::json index{{"metadata", {{"total_size", 0}}}, {"weight_map", nlohmann::json::object()}};
  for (const auto& [name, tensor] : unet) {
    const bool early = name < "mid";
    (early ? first : second)[name] = tensor;
    index["weight_map"][name] = early ? "part-1.safetensors" : "part-2.safetensors";
  }
  save_safetensors(unet_dir / "part-1.safetensors", first);
  save_safetensors(unet_dir / "part-2.safetensors", second);
  semdraw::testing::write_bytes(unet_dir / "diffusion_pytorch_model.safetensors.index.json", index.dump());
  expect_same(load_diffusers_folder(dir / "folder"), canonical);

  // An index may only name files beside it.
  index["weight_map"]["conv_in.weight"] = "../../elsewhere.safetensors";
  semdraw::testing::write_bytes(unet_dir / "diffusion_pytorch_model.safetensors.index.json", index.dump());
  expect_format_error(
      [&] { load_diffusers_folder(dir / "folder"); },
      {"diffusion_pytorch_model.safetensors.index.json", "conv_in.weight", "not a file beside the index"});
}

TEST(CheckpointLayout, MissingComponentsAreFatal) {
  ScratchDir dir;
  const OriginalSd15 original;
  StateDict no_vae;
  for (const auto& [name, tensor] : original.weights) {
    if (name.rfind("first_stage_model.", 0) != 0) no_vae[name] = tensor;
  }
  save_safetensors(dir / "unet_text.safetensors", no_vae);
  expect_format_error([&] { load_checkpoint(dir / "unet_text.safetensors"); }, {"unet_text.safetensors", "VAE"});
  LoadOptions unet_only;
  unet_only.prefix = "unet.";
  EXPECT_FALSE(load_checkpoint(dir / "unet_text.safetensors", unet_only).empty());

  write_diffusers_folder(dir / "folder", original_to_canonical(original.weights, UnetLayoutInfo::sd15()));
  std::filesystem::remove_all(dir / "folder" / "vae");
  expect_format_error([&] { load_checkpoint(dir / "folder"); }, {"folder", "missing VAE weights"});
  expect_format_error([&] { detect_layout(dir / "absent"); }, {"absent", "no such"});
}

TEST(CheckpointLayout, PickleWeightsInAFolderAreRefused) {
  ScratchDir dir;
  const OriginalSd15 original;
  write_diffusers_folder(dir / "folder", original_to_canonical(original.weights, UnetLayoutInfo::sd15()));
  std::filesystem::remove(dir / "folder" / "unet" / "diffusion_pytorch_model.safetensors");
  semdraw::testing::write_bytes(dir / "folder" / "unet" / "diffusion_pytorch_model.bin", "PK\x03\x04");
  expect_format_error([&] { load_checkpoint(dir / "folder"); }, {"diffusion_pytorch_model.bin", "pickle"});
  semdraw::testing::write_bytes(dir / "model.ckpt", "\x80\x02");
  expect_format_error([&] { load_checkpoint(dir / "model.ckpt"); }, {"model.ckpt", "pickle"});
}

}  // namespace
}  // namespace semdraw::io
