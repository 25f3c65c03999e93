// AutoencoderKL against diffusers on a tiny seeded model
// (tests/reference/networks_golden.py): encode -> latent mean and decode, fp16
// weights loaded into fp32, max abs error <= 1e-4 on CPU. Runs on
// SEMDRAW_TEST_DEVICE (support/test_device.h) under kNetworkTolerance; with
// SEMDRAW_TEST_DTYPE=fp16 in the dtype the engine gives this VAE then: fp32
// when its config says force_upcast (SD1.5's VAE overflows in fp16), as here;
// RunsInHalfPrecision covers fp16. With SEMDRAW_TEST_DTYPE=bf16 it runs in bf16
// (bf16 has fp32's range; the engine runs the VAE in bf16 then).
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
    dtype_ = vae_->config().force_upcast && test::target().half() ? at::kFloat : test::target().dtype;
    vae_->to(test::target().device, dtype_);
    golden_ = io::load_safetensors(folder / "golden.safetensors");
  }
  at::Tensor input(const std::string& name, at::ScalarType dtype) const {
    return golden_.at(name).to(test::target().device, dtype);
  }
  nn::AutoencoderKL vae_{nullptr};
  io::StateDict golden_;
  at::ScalarType dtype_ = at::kFloat;
};

TEST_F(AutoencoderKLParity, ConfigMatchesTheFolder) {
  EXPECT_EQ(vae_->config().downscale_factor(), 2);
  EXPECT_DOUBLE_EQ(vae_->config().scaling_factor, 0.18215);
  EXPECT_TRUE(vae_->config().mid_block_add_attention);
}

TEST_F(AutoencoderKLParity, EncodeGivesTheLatentMean) {
  at::NoGradGuard no_grad;
  const at::Tensor mean = vae_->encode(input("image", dtype_));
  semdraw::testing::expect_close("vae encode (latent mean)", mean, golden_.at("latent_mean"),
                                 semdraw::testing::kNetworkTolerance);
}

TEST_F(AutoencoderKLParity, DecodeMatchesDiffusers) {
  at::NoGradGuard no_grad;
  const at::Tensor image = vae_->decode(input("latent", dtype_));
  semdraw::testing::expect_close("vae decode", image, golden_.at("decoded"), semdraw::testing::kNetworkTolerance);
}

TEST_F(AutoencoderKLParity, RejectsImagesTheEncoderCannotHalve) {
  const auto options = at::TensorOptions().device(test::target().device).dtype(dtype_);
  EXPECT_THROW(vae_->encode(at::zeros({1, 3, 31, 32}, options)), std::invalid_argument);
  EXPECT_THROW(vae_->decode(at::zeros({1, 3, 8, 8}, options)), std::invalid_argument);
}

// fp16 is the CUDA inference dtype; running it here checks that nothing in
// forward assumes fp32 (tolerance: fp16 activations).
TEST_F(AutoencoderKLParity, RunsInHalfPrecision) {
  // Under bf16 the fixture's weights are already rounded to bf16.
  if (test::target().bf16()) GTEST_SKIP() << "SEMDRAW_TEST_DTYPE=bf16: the fp32 and fp16 runs cover fp16";
  at::NoGradGuard no_grad;
  vae_->to(at::kHalf);
  const at::Tensor mean = vae_->encode(input("image", at::kHalf));
  const at::Tensor image = vae_->decode(input("latent", at::kHalf));
  EXPECT_EQ(image.scalar_type(), at::kHalf);
  EXPECT_LE(semdraw::testing::max_abs_error("vae fp16 encode", mean.to(at::kFloat), golden_.at("latent_mean")), 5e-2);
  EXPECT_LE(semdraw::testing::max_abs_error("vae fp16 decode", image.to(at::kFloat), golden_.at("decoded")), 5e-2);
}

}  // namespace
