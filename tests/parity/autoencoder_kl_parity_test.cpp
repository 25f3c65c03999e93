// AutoencoderKL against diffusers on a tiny seeded model
// (tests/reference/networks_golden.py): encode -> latent mean and decode, fp16
// weights loaded into fp32, max abs error <= 1e-4 on CPU.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "io/safetensors.h"
#include "nn/autoencoder_kl.h"
#include "nn/load_weights.h"
#include "parity/golden_compare.h"

namespace {

using namespace semdraw;

class AutoencoderKLParity : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto folder = semdraw::testing::golden_dir("vae");
    vae_ = nn::AutoencoderKL(nn::AutoencoderKLConfig::from_file(folder / "config.json"));
    vae_->eval();
    const auto weights_file = folder / "diffusion_pytorch_model.safetensors";
    io::LoadOptions options;
    options.dtype = at::kFloat;
    nn::load_weights(*vae_, io::load_safetensors(weights_file, options), "", "vae (" + weights_file.string() + ")");
    golden_ = io::load_safetensors(folder / "golden.safetensors");
  }
  nn::AutoencoderKL vae_{nullptr};
  io::StateDict golden_;
};

TEST_F(AutoencoderKLParity, ConfigMatchesTheFolder) {
  EXPECT_EQ(vae_->config().downscale_factor(), 2);
  EXPECT_DOUBLE_EQ(vae_->config().scaling_factor, 0.18215);
  EXPECT_TRUE(vae_->config().mid_block_add_attention);
}

TEST_F(AutoencoderKLParity, EncodeGivesTheLatentMean) {
  at::NoGradGuard no_grad;
  const at::Tensor mean = vae_->encode(golden_.at("image"));
  EXPECT_LE(semdraw::testing::max_abs_error("vae encode (latent mean)", mean, golden_.at("latent_mean")), 1e-4);
}

TEST_F(AutoencoderKLParity, DecodeMatchesDiffusers) {
  at::NoGradGuard no_grad;
  const at::Tensor image = vae_->decode(golden_.at("latent"));
  EXPECT_LE(semdraw::testing::max_abs_error("vae decode", image, golden_.at("decoded")), 1e-4);
}

TEST_F(AutoencoderKLParity, RejectsImagesTheEncoderCannotHalve) {
  EXPECT_THROW(vae_->encode(at::zeros({1, 3, 31, 32})), std::invalid_argument);
  EXPECT_THROW(vae_->decode(at::zeros({1, 3, 8, 8})), std::invalid_argument);
}

// fp16 is the CUDA inference dtype; running it here checks that nothing in
// forward assumes fp32 (tolerance: fp16 activations).
TEST_F(AutoencoderKLParity, RunsInHalfPrecision) {
  at::NoGradGuard no_grad;
  vae_->to(at::kHalf);
  const at::Tensor mean = vae_->encode(golden_.at("image").to(at::kHalf));
  const at::Tensor image = vae_->decode(golden_.at("latent").to(at::kHalf));
  EXPECT_EQ(image.scalar_type(), at::kHalf);
  EXPECT_LE(semdraw::testing::max_abs_error("vae fp16 encode", mean.to(at::kFloat), golden_.at("latent_mean")), 5e-2);
  EXPECT_LE(semdraw::testing::max_abs_error("vae fp16 decode", image.to(at::kFloat), golden_.at("decoded")), 5e-2);
}

}  // namespace
