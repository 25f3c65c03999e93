// Layout mapping against real diffusers/transformers (tests/reference/layout_check.py).
//
// tests/data/io/tiny_sd is a diffusers folder saved by diffusers and
// transformers themselves. From it we write the original single-file layout;
// layout_check.py converted that file back with diffusers' own converters and
// from_single_file, found every tensor bit-identical to the folder's, and
// committed it as tests/data/io/tiny_sd_original.safetensors (its verdict is
// tests/data/io/layout_check.json). Here our output must still equal that
// verified file, and the file must load to the same canonical weights as the folder.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>

#include "engine/io/checkpoint_layout.h"

namespace semdraw::io {
namespace {

const std::filesystem::path kData = std::filesystem::path(SEMDRAW_SOURCE_DIR) / "tests" / "data" / "io";
const std::filesystem::path kFolder = kData / "tiny_sd";
const std::filesystem::path kVerified = kData / "tiny_sd_original.safetensors";

nlohmann::json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  EXPECT_TRUE(in.good()) << file;
  return nlohmann::json::parse(in);
}

LoadOptions keep_half() {
  LoadOptions options;
  options.dtype = at::kHalf;  // the folder is fp16; compare without conversion
  return options;
}

void expect_same(const StateDict& actual, const StateDict& expected, const std::string& what) {
  ASSERT_EQ(names_of(actual), names_of(expected)) << what;
  for (const auto& [name, tensor] : expected) {
    EXPECT_EQ(actual.at(name).sizes(), tensor.sizes()) << what << ": " << name;
    EXPECT_TRUE(at::equal(actual.at(name), tensor)) << what << ": " << name;
  }
}

TEST(CheckpointLayoutParity, WritesTheOriginalLayoutThatDiffusersAccepted) {
  const StateDict canonical = load_diffusers_folder(kFolder, keep_half());
  const auto unet = UnetLayoutInfo::from_config(read_json(kFolder / "unet" / "config.json"), "unet/config.json");
  const auto vae = VaeLayoutInfo::from_config(read_json(kFolder / "vae" / "config.json"), "vae/config.json");
  EXPECT_EQ(infer_unet_layout_from_canonical(names_of(canonical)), unet);
  EXPECT_EQ(infer_vae_layout_from_canonical(names_of(canonical)), vae);

  std::vector<std::string> ignored;
  const StateDict original = canonical_to_original(canonical, unet, vae, &ignored);
  EXPECT_TRUE(ignored.empty()) << ignored.front();
  const std::filesystem::path out =
      std::filesystem::path(SEMDRAW_BINARY_DIR) / "io_parity" / "tiny_sd_original.safetensors";
  std::filesystem::create_directories(out.parent_path());
  save_safetensors(out, original);
  std::cout << "[layout] wrote " << out << " (check it with tests/reference/layout_check.py check)\n";

  ASSERT_TRUE(std::filesystem::exists(kVerified))
      << kVerified << " is missing: run tests/reference/layout_check.py check " << out;
  expect_same(original, load_safetensors(kVerified, keep_half()), "ours vs diffusers-verified single file");

  const nlohmann::json verdict = read_json(kData / "layout_check.json");
  EXPECT_TRUE(verdict.at("ok").get<bool>()) << verdict.dump(2);
  EXPECT_EQ(verdict.at("single_file_tensors").get<std::size_t>(), original.size());
}

TEST(CheckpointLayoutParity, VerifiedSingleFileLoadsLikeTheFolder) {
  std::vector<std::string> ignored;
  const StateDict from_file = load_checkpoint(kVerified, keep_half(), &ignored);
  EXPECT_TRUE(ignored.empty());
  const StateDict from_folder = load_checkpoint(kFolder, keep_half());
  expect_same(from_file, from_folder, "single file vs folder");
  // The folder was saved by transformers >= 5.6 (no "text_model." level);
  // canonical names have it either way.
  EXPECT_TRUE(from_folder.count("text_encoder.text_model.embeddings.token_embedding.weight"));
  EXPECT_TRUE(from_folder.count("vae.decoder.mid_block.attentions.0.to_q.weight"));
  EXPECT_EQ(from_folder.at("vae.decoder.mid_block.attentions.0.to_q.weight").dim(), 2);
}

// The real SD1.5 structure (names from diffusers/transformers modules built on
// the meta device; tests/reference/layout_check.py names): every canonical
// name goes to the original layout and back, and the original names are the
// ones diffusers' converters verified (layout_check.py check-names).
TEST(CheckpointLayoutParity, Sd15NamesMapLikeDiffusers) {
  const nlohmann::json record = read_json(kData / "sd15_layout_names.json");
  const auto unet = UnetLayoutInfo::from_config(record.at("unet_config"), "sd15_layout_names.json unet_config");
  const auto vae = VaeLayoutInfo::from_config(record.at("vae_config"), "sd15_layout_names.json vae_config");
  EXPECT_EQ(unet, UnetLayoutInfo::sd15());
  EXPECT_EQ(vae, VaeLayoutInfo::sd15());

  // Tensor i holds i: the Python check uses it to see that each weight went
  // to its own name. [1,1] lets the VAE attention linear<->1x1 conv reshape apply.
  StateDict canonical;
  double index = 0;
  for (const auto& name : record.at("canonical")) canonical[name.get<std::string>()] = at::full({1, 1}, index++);
  ASSERT_EQ(canonical.size(), 1130u);  // UNet 686 + VAE 248 + CLIP text 196

  std::vector<std::string> ignored;
  const StateDict original = canonical_to_original(canonical, unet, vae, &ignored);
  EXPECT_TRUE(ignored.empty()) << ignored.size() << " unmapped, e.g. " << ignored.front();
  EXPECT_EQ(infer_unet_layout_from_original(names_of(original)), unet);
  EXPECT_EQ(infer_vae_layout_from_original(names_of(original)), vae);
  expect_same(original_to_canonical(original, unet, vae), canonical, "SD1.5 names round trip");

  const std::filesystem::path out =
      std::filesystem::path(SEMDRAW_BINARY_DIR) / "io_parity" / "sd15_names_original.safetensors";
  std::filesystem::create_directories(out.parent_path());
  save_safetensors(out, original);
  std::cout << "[layout] wrote " << out << " (check it with tests/reference/layout_check.py check-names)\n";

  const auto verified = record.at("original").get<std::vector<std::string>>();
  ASSERT_FALSE(verified.empty()) << "no verified original names yet: run tests/reference/layout_check.py check-names "
                                 << out;
  EXPECT_EQ(names_of(original), verified);
  const nlohmann::json verdict = read_json(kData / "layout_check.json");
  EXPECT_TRUE(verdict.at("sd15_names").at("ok").get<bool>()) << verdict.at("sd15_names").dump(2);
}

}  // namespace
}  // namespace semdraw::io
