// CLIP text encoder against transformers' CLIPTextModel on a tiny seeded model
// (tests/reference/networks_golden.py): fp16-stored weights loaded into fp32,
// max abs error <= 1e-4 on CPU, for the last hidden state and for clip-skip 1.
// Runs on SEMDRAW_TEST_DEVICE in SEMDRAW_TEST_DTYPE (support/test_device.h)
// under kNetworkTolerance.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "io/safetensors.h"
#include "nn/clip_text_encoder.h"
#include "nn/load_weights.h"
#include "parity/golden_compare.h"

namespace {

using namespace semdraw;

class ClipTextParity : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto folder = semdraw::testing::golden_dir("clip_text");
    encoder_ = nn::ClipTextEncoder(nn::ClipTextConfig::from_file(folder / "config.json"));
    encoder_->eval();
    const auto weights_file = folder / "model.safetensors";
    io::LoadOptions options;
    options.dtype = at::kFloat;  // the file is fp16
    nn::load_weights(*encoder_, io::load_safetensors(weights_file, options), "",
                     "text encoder (" + weights_file.string() + ")", nn::ClipTextEncoderImpl::optional_weights());
    encoder_->to(test::target().device, test::target().dtype);
    golden_ = io::load_safetensors(folder / "golden.safetensors");
    ids_ = test::on_target(golden_.at("input_ids"));
  }
  nn::ClipTextEncoder encoder_{nullptr};
  io::StateDict golden_;
  at::Tensor ids_;
};

TEST_F(ClipTextParity, LastHiddenStateMatchesTransformers) {
  at::NoGradGuard no_grad;
  const at::Tensor out = encoder_->forward(ids_);
  semdraw::testing::expect_close("clip_text last_hidden_state", out, golden_.at("last_hidden_state"),
                                 semdraw::testing::kNetworkTolerance);
}

TEST_F(ClipTextParity, ClipSkipOneMatchesDiffusersEncodePrompt) {
  at::NoGradGuard no_grad;
  const at::Tensor out = encoder_->forward(ids_, /*clip_skip=*/1);
  semdraw::testing::expect_close("clip_text clip_skip=1", out, golden_.at("clip_skip1"),
                                 semdraw::testing::kNetworkTolerance);
  // And it really is a different output.
  EXPECT_GT((out.to(at::kCPU, at::kFloat) - golden_.at("last_hidden_state")).abs().max().item<double>(), 1e-2);
}

TEST_F(ClipTextParity, EachPromptIsEncodedIndependentlyOfTheBatch) {
  at::NoGradGuard no_grad;
  const at::Tensor second = encoder_->forward(ids_.narrow(0, 1, 1));
  semdraw::testing::expect_close("clip_text batch-of-one", second, golden_.at("last_hidden_state").narrow(0, 1, 1),
                                 semdraw::testing::kNetworkTolerance);
}

// fp16 is the CUDA inference dtype; running it here checks that nothing in
// forward assumes fp32 (tolerance: fp16 activations, ~1e-3 relative).
TEST_F(ClipTextParity, RunsInHalfPrecision) {
  if (test::main_tests_already_half()) GTEST_SKIP() << "SEMDRAW_TEST_DTYPE=fp16: the tests above already run fp16";
  at::NoGradGuard no_grad;
  encoder_->to(at::kHalf);
  const at::Tensor out = encoder_->forward(ids_);
  EXPECT_EQ(out.scalar_type(), at::kHalf);
  EXPECT_LE(semdraw::testing::max_abs_error("clip_text fp16", out.to(at::kFloat), golden_.at("last_hidden_state")),
            5e-2);
}

}  // namespace
