// TAESD (AutoencoderTiny) against diffusers on a tiny seeded model
// (tests/reference/networks_golden.py): the public encode/decode contract
// (images in [-1, 1]), fp16 weights loaded into fp32, max abs error <= 1e-4.
// Runs on SEMDRAW_TEST_DEVICE in SEMDRAW_TEST_DTYPE (support/test_device.h)
// under kNetworkTolerance.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "io/safetensors.h"
#include "nn/load_weights.h"
#include "nn/taesd.h"
#include "parity/golden_compare.h"

namespace {

using namespace semdraw;

class TaesdParity : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto folder = semdraw::testing::golden_dir("taesd");
    taesd_ = nn::Taesd(nn::TaesdConfig::from_file(folder / "config.json"));
    taesd_->eval();
    const auto weights_file = folder / "diffusion_pytorch_model.safetensors";
    io::LoadOptions options;
    options.dtype = at::kFloat;
    nn::load_weights(*taesd_, io::load_safetensors(weights_file, options), "", "taesd (" + weights_file.string() + ")");
    taesd_->to(test::target().device, test::target().dtype);
    golden_ = io::load_safetensors(folder / "golden.safetensors");
  }
  nn::Taesd taesd_{nullptr};
  io::StateDict golden_;
};

TEST_F(TaesdParity, EncodeMatchesDiffusers) {
  at::NoGradGuard no_grad;
  const at::Tensor latents = taesd_->encode(test::on_target(golden_.at("image")));
  semdraw::testing::expect_close("taesd encode", latents, golden_.at("latents"), semdraw::testing::kNetworkTolerance);
}

TEST_F(TaesdParity, DecodeMatchesDiffusersIncludingTheLatentClamp) {
  at::NoGradGuard no_grad;
  // The golden latents exceed ±3 in places, where the tanh clamp bites.
  ASSERT_GT(golden_.at("latent").abs().max().item<double>(), 3.0);
  const at::Tensor image = taesd_->decode(test::on_target(golden_.at("latent")));
  semdraw::testing::expect_close("taesd decode", image, golden_.at("decoded"), semdraw::testing::kNetworkTolerance);
}

// fp16 is the CUDA inference dtype; running it here checks that nothing in
// forward assumes fp32 (tolerance: fp16 activations).
TEST_F(TaesdParity, RunsInHalfPrecision) {
  if (test::main_tests_already_half()) GTEST_SKIP() << "SEMDRAW_TEST_DTYPE=fp16: the tests above already run fp16";
  at::NoGradGuard no_grad;
  taesd_->to(at::kHalf);
  const at::Tensor latents = taesd_->encode(golden_.at("image").to(test::target().device, at::kHalf));
  const at::Tensor image = taesd_->decode(golden_.at("latent").to(test::target().device, at::kHalf));
  EXPECT_EQ(image.scalar_type(), at::kHalf);
  EXPECT_LE(semdraw::testing::max_abs_error("taesd fp16 encode", latents.to(at::kFloat), golden_.at("latents")), 5e-2);
  EXPECT_LE(semdraw::testing::max_abs_error("taesd fp16 decode", image.to(at::kFloat), golden_.at("decoded")), 5e-2);
}

}  // namespace
