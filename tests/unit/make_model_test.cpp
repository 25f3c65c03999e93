// make-model: the tiny preset writes a folder our loaders read back, and the
// same (preset, seed) gives byte-identical files.
#include "semdraw/model_maker/make_model.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "io/safetensors.h"
#include "model/presets.h"
#include "model_maker/seeded_init.h"
#include "nn/autoencoder_kl.h"
#include "nn/clip_text_encoder.h"
#include "nn/load_weights.h"
#include "nn/taesd.h"
#include "nn/unet2d_condition.h"

namespace {

namespace fs = std::filesystem;
using namespace semdraw;

class MakeModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("semdraw_make_model_test_" + std::to_string(::getpid()));
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  MakeModelResult make(const std::string& name, uint64_t seed, const std::string& preset = "tiny") {
    MakeModelOptions options;
    options.preset = preset;
    options.seed = seed;
    options.out = (root_ / name).string();
    options.resources_dir = std::string(SEMDRAW_SOURCE_DIR) + "/resources";
    return make_model(options);
  }

  static std::string bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  fs::path root_;
};

TEST_F(MakeModelTest, SameSeedGivesIdenticalBytesAndOtherSeedDiffers) {
  const MakeModelResult first = make("a", 7);
  const MakeModelResult second = make("b", 7);
  ASSERT_EQ(first.files, second.files);
  EXPECT_GT(first.parameters, 1000000);
  for (const auto& file : first.files)
    EXPECT_TRUE(bytes(root_ / "a" / file) == bytes(root_ / "b" / file)) << file << " differs between two runs";
  make("c", 8);
  EXPECT_FALSE(bytes(root_ / "a/unet/diffusion_pytorch_model.safetensors") ==
               bytes(root_ / "c/unet/diffusion_pytorch_model.safetensors"));
}

TEST_F(MakeModelTest, EveryComponentLoadsBackWithOurLoaders) {
  make("m", 3);
  const fs::path dir = root_ / "m";
  for (const char* file :
       {"model_index.json", "scheduler/scheduler_config.json", "tokenizer/vocab.json", "tokenizer/merges.txt"})
    EXPECT_TRUE(fs::exists(dir / file)) << file;

  nn::UNet2DConditionModel unet(nn::UNetConfig::from_file(dir / "unet/config.json"));
  nn::load_weights(*unet, io::load_safetensors(dir / "unet/diffusion_pytorch_model.safetensors"), "", "unet");
  nn::ClipTextEncoder text(nn::ClipTextConfig::from_file(dir / "text_encoder/config.json"));
  nn::load_weights(*text, io::load_safetensors(dir / "text_encoder/model.safetensors"), "", "text_encoder",
                   nn::ClipTextEncoderImpl::optional_weights());
  nn::AutoencoderKL vae(nn::AutoencoderKLConfig::from_file(dir / "vae/config.json"));
  nn::load_weights(*vae, io::load_safetensors(dir / "vae/diffusion_pytorch_model.safetensors"), "", "vae");
  nn::Taesd taesd(nn::TaesdConfig::from_file(dir / "taesd/config.json"));
  nn::load_weights(*taesd, io::load_safetensors(dir / "taesd/diffusion_pytorch_model.safetensors"), "", "taesd");

  // The weights are "sane": a text -> UNet -> decoders pass stays finite and O(1)-ish.
  at::NoGradGuard no_grad;
  const at::Tensor ids = at::full({1, 77}, 49407, at::kLong);
  const at::Tensor context = text->forward(ids);
  const at::Tensor noise = model::seeded_normal(1, "test noise", {1, 4, 8, 8});
  const at::Tensor eps = unet->forward(noise, at::tensor({999}), context);
  EXPECT_TRUE(at::isfinite(eps).all().item<bool>());
  const double spread = eps.std().item<double>();
  EXPECT_GT(spread, 0.05);
  EXPECT_LT(spread, 50.0);
  EXPECT_EQ(vae->decode(noise).sizes(), (at::IntArrayRef{1, 3, 64, 64}));
  EXPECT_EQ(taesd->decode(noise).sizes(), (at::IntArrayRef{1, 3, 64, 64}));
}

TEST_F(MakeModelTest, TinySdxlHasBothTextEncodersAndAddedConditioning) {
  // tests/reference/load_made_model.py shows StableDiffusionXLPipeline loads
  // this folder and runs an LCM step; here our own networks read it back.
  make("xl", 3, "tiny-sdxl");
  const fs::path dir = root_ / "xl";
  for (const char* file : {"text_encoder_2/config.json", "text_encoder_2/model.safetensors", "tokenizer_2/vocab.json"})
    EXPECT_TRUE(fs::exists(dir / file)) << file;
  const auto special = nlohmann::json::parse(std::ifstream(dir / "tokenizer_2/special_tokens_map.json"));
  EXPECT_EQ(special.at("pad_token"), "!") << "SDXL's second tokenizer pads with '!'";

  nn::UNet2DConditionModel unet(nn::UNetConfig::from_file(dir / "unet/config.json"));
  ASSERT_TRUE(unet->config().text_time());
  nn::load_weights(*unet, io::load_safetensors(dir / "unet/diffusion_pytorch_model.safetensors"), "", "unet");
  nn::ClipTextEncoder text(nn::ClipTextConfig::from_file(dir / "text_encoder/config.json"));
  nn::load_weights(*text, io::load_safetensors(dir / "text_encoder/model.safetensors"), "", "text_encoder",
                   nn::ClipTextEncoderImpl::optional_weights());
  nn::ClipTextEncoder text2(nn::ClipTextConfig::from_file(dir / "text_encoder_2/config.json"));
  ASSERT_TRUE(text2->config().with_projection);
  nn::load_weights(*text2, io::load_safetensors(dir / "text_encoder_2/model.safetensors"), "", "text_encoder_2",
                   nn::ClipTextEncoderImpl::optional_weights());

  // SDXL's conditioning: both encoders' penultimate states side by side, the
  // second's pooled embedding and the six time ids.
  at::NoGradGuard no_grad;
  at::Tensor ids = at::full({1, 77}, 0, at::kLong);
  ids[0][0] = 49406;
  ids[0][1] = 320;
  ids[0][2] = 49407;
  const auto first = text->encode(ids, 1, /*final_norm=*/false);
  const auto second = text2->encode(ids, 1, /*final_norm=*/false);
  const at::Tensor context = at::cat({first.hidden, second.hidden}, -1);
  const nn::AddedConditions added{second.pooled, at::tensor({64.0f, 64.0f, 0.0f, 0.0f, 64.0f, 64.0f}).view({1, 6})};
  const at::Tensor eps =
      unet->forward(model::seeded_normal(1, "test noise", {1, 4, 8, 8}), at::tensor({999}), context, added);
  EXPECT_TRUE(at::isfinite(eps).all().item<bool>());
  EXPECT_GT(eps.std().item<double>(), 0.05);

  MakeModelOptions single;
  single.preset = "tiny-sdxl";
  single.out = (root_ / "xl-single").string();
  single.single_file = (root_ / "xl.safetensors").string();
  single.resources_dir = std::string(SEMDRAW_SOURCE_DIR) + "/resources";
  EXPECT_THROW(make_model(single), std::invalid_argument) << "no SDXL single-file layout yet";
}

TEST_F(MakeModelTest, RefusesToOverwriteAndUnknownPresets) {
  make("x", 1);
  EXPECT_THROW(make("x", 1), std::runtime_error);
  MakeModelOptions options;
  options.preset = "sdxl";
  options.out = (root_ / "y").string();
  try {
    make_model(options);
    FAIL() << "an unknown preset was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("sdxl"), std::string::npos);
  }
}

TEST(SeededInit, ValuesAreAFunctionOfSeedAndNameOnly) {
  const at::Tensor a = model::seeded_normal(5, "w", {3, model::kChunk + 7});
  EXPECT_TRUE(at::equal(a, model::seeded_normal(5, "w", {3, model::kChunk + 7})));
  EXPECT_FALSE(at::equal(a, model::seeded_normal(6, "w", {3, model::kChunk + 7})));
  EXPECT_FALSE(at::equal(a, model::seeded_normal(5, "v", {3, model::kChunk + 7})));
  // Standard normal: mean ~0, std ~1 over ~200k values.
  EXPECT_NEAR(a.mean().item<double>(), 0.0, 0.01);
  EXPECT_NEAR(a.std().item<double>(), 1.0, 0.01);
  // Pinned first values: if the generator ever changes, every made model
  // (and any golden made from one) silently changes with it.
  const at::Tensor head = model::seeded_normal(0, "unet.conv_in.weight", {4});
  const double pinned[4] = {0.188552, 1.149122, -0.749438, -0.991889};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(head[i].item<double>(), pinned[i], 1e-6) << "value " << i;
}

TEST(ModelPresets, Sd15ConfigsHaveTheRealShapes) {
  const auto preset = model::find_preset("sd15");
  EXPECT_EQ(preset.unet["block_out_channels"], nlohmann::json({320, 640, 1280, 1280}));
  EXPECT_EQ(preset.unet["cross_attention_dim"], 768);
  EXPECT_EQ(preset.text_encoder["hidden_size"], 768);
  EXPECT_EQ(preset.text_encoder["num_hidden_layers"], 12);
  EXPECT_EQ(preset.vae["block_out_channels"], nlohmann::json({128, 256, 512, 512}));
  // The UNet config builds the network with SD1.5's 859,520,964 parameters.
  nn::UNet2DConditionModel unet(nn::UNetConfig::read(nn::ConfigReader(preset.unet, "sd15 unet")));
  int64_t count = 0;
  for (const auto& p : unet->parameters()) count += p.numel();
  EXPECT_EQ(count, 859520964);
}

}  // namespace
