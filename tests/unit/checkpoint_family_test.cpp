// Checkpoints of families the engine does not run, and files that are not a
// whole model, are named for what they are when an artist picks them.
#include "io/checkpoint_family.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "io/checkpoint_layout.h"
#include "io/safetensors.h"
#include "pipeline/model_bundle.h"
#include "support/safetensors_test_util.h"
#include "support/tiny_model.h"

namespace semdraw::io {
namespace {

using Shapes = std::map<std::string, std::vector<int64_t>>;
using semdraw::testing::ScratchDir;

// The SD1.x single-file names that matter here (all three components).
Shapes sd15_like() {
  return {{"model.diffusion_model.input_blocks.0.0.weight", {320, 4, 3, 3}},
          {"model.diffusion_model.time_embed.0.weight", {1280, 320}},
          {"cond_stage_model.transformer.text_model.final_layer_norm.weight", {768}},
          {"first_stage_model.encoder.down.0.block.0.conv1.weight", {128, 128, 3, 3}}};
}

std::string what_of(const Shapes& shapes) {
  const auto found = recognise_unsupported_checkpoint(shapes);
  return found ? found->what + " | " + found->evidence : "";
}

TEST(CheckpointFamily, Sd15IsNotFlagged) { EXPECT_EQ(what_of(sd15_like()), ""); }

TEST(CheckpointFamily, OtherFamiliesAreNamedWithTheTensorThatShowsIt) {
  Shapes sdxl = sd15_like();
  sdxl.erase("cond_stage_model.transformer.text_model.final_layer_norm.weight");
  sdxl["conditioner.embedders.1.model.ln_final.weight"] = {1280};
  EXPECT_EQ(what_of(sdxl),
            "an SDXL checkpoint (or one based on SDXL, such as Pony or Illustrious) in one file | "
            "conditioner.embedders.1.model.ln_final.weight");
  Shapes sd2 = sd15_like();
  sd2.erase("cond_stage_model.transformer.text_model.final_layer_norm.weight");
  sd2["cond_stage_model.model.ln_final.weight"] = {1024};
  EXPECT_NE(what_of(sd2).find("Stable Diffusion 2.x"), std::string::npos) << what_of(sd2);
  EXPECT_NE(
      what_of({{"model.diffusion_model.joint_blocks.0.x_block.attn.qkv.weight", {1, 1}}}).find("Stable Diffusion 3"),
      std::string::npos);
  EXPECT_NE(what_of({{"double_blocks.0.img_attn.qkv.weight", {1, 1}}}).find("FLUX"), std::string::npos);
}

TEST(CheckpointFamily, InpaintingUNetsAreNamedByTheirInputChannels) {
  Shapes inpainting = sd15_like();
  inpainting["model.diffusion_model.input_blocks.0.0.weight"] = {320, 9, 3, 3};
  EXPECT_NE(what_of(inpainting).find("a UNet with 9 input channels"), std::string::npos) << what_of(inpainting);
}

TEST(CheckpointFamily, ALoraOrOneComponentIsNotAWholeModel) {
  EXPECT_NE(what_of({{"lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight", {4, 320}}}).find("a LoRA"),
            std::string::npos);
  EXPECT_NE(what_of({{"unet.down_blocks.0.attentions.0.proj_in.lora_A.weight", {4, 320}}}).find("a LoRA"),
            std::string::npos);
  EXPECT_NE(what_of({{"encoder.down_blocks.0.resnets.0.conv1.weight", {128, 128, 3, 3}}}).find("a VAE on its own"),
            std::string::npos);
  EXPECT_NE(what_of({{"encoder.down.0.block.0.conv1.weight", {128, 128, 3, 3}}}).find("a VAE on its own"),
            std::string::npos);
  EXPECT_NE(what_of({{"time_embedding.linear_1.weight", {1280, 320}}, {"conv_in.weight", {320, 4, 3, 3}}})
                .find("the UNet of a diffusers folder"),
            std::string::npos);
}

TEST(CheckpointFamily, LoadingSaysWhatTheFileIs) {
  ScratchDir dir;
  const auto file = dir / "ponyDiffusion.safetensors";
  save_safetensors(file, {{"conditioner.embedders.0.transformer.text_model.final_layer_norm.weight", at::zeros({2})},
                          {"model.diffusion_model.input_blocks.0.0.weight", at::zeros({2, 4, 3, 3})}});
  try {
    load_checkpoint(file);
    FAIL() << "loaded an SDXL file as SD1.5";
  } catch (const FormatError& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find(file.string() + ": this is an SDXL checkpoint"), std::string::npos) << what;
    EXPECT_NE(what.find("SDXL runs from a diffusers folder"), std::string::npos) << what;
  }
}

// A copy of the tiny model with one config field changed.
std::filesystem::path tiny_with(const ScratchDir& dir, const std::string& config, const std::string& field,
                                const nlohmann::json& value) {
  const auto copy = dir / "model";
  std::filesystem::copy(semdraw::test::tiny_model_dir(), copy, std::filesystem::copy_options::recursive);
  nlohmann::json json = nlohmann::json::parse(std::ifstream(copy / config));
  json[field] = value;
  std::ofstream(copy / config) << json.dump(2);
  return copy;
}

std::string load_error(const std::filesystem::path& model) {
  pipeline::ModelBundleOptions options;
  options.model = model;
  try {
    pipeline::load_model_bundle(options);
  } catch (const std::exception& error) {
    return error.what();
  }
  return "";
}

TEST(CheckpointFamily, AFolderWithAnInpaintingUNetIsRefusedBeforeLoading) {
  ScratchDir dir;
  const std::string error = load_error(tiny_with(dir, "unet/config.json", "in_channels", 9));
  EXPECT_NE(error.find("unet/config.json"), std::string::npos) << error;
  EXPECT_NE(error.find("in_channels"), std::string::npos) << error;
  EXPECT_NE(error.find("inpainting"), std::string::npos) << error;
}

TEST(CheckpointFamily, ATaesdForOtherLatentsIsRefusedNamingTheOneThatFits) {
  ScratchDir dir;
  const std::string error = load_error(tiny_with(dir, "taesd/config.json", "latent_channels", 16));
  EXPECT_NE(error.find("taesd/config.json: latent_channels is 16"), std::string::npos) << error;
  EXPECT_NE(error.find("TAESD (madebyollin/taesd)"), std::string::npos) << error;
}

TEST(CheckpointFamily, AFolderThatPredictsVIsRefused) {
  ScratchDir dir;
  const std::string error =
      load_error(tiny_with(dir, "scheduler/scheduler_config.json", "prediction_type", "v_prediction"));
  EXPECT_NE(error.find("scheduler_config.json"), std::string::npos) << error;
  EXPECT_NE(error.find("'v_prediction'"), std::string::npos) << error;
}

}  // namespace
}  // namespace semdraw::io
