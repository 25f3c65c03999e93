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

// A golden folder's encoder, on the test target, and its goldens.
struct GoldenEncoder {
  nn::ClipTextEncoder encoder{nullptr};
  io::StateDict golden;
  at::Tensor ids;

  explicit GoldenEncoder(const std::string& name) {
    const auto folder = semdraw::testing::golden_dir(name);
    encoder = nn::ClipTextEncoder(nn::ClipTextConfig::from_file(folder / "config.json"));
    encoder->eval();
    const auto weights_file = folder / "model.safetensors";
    io::LoadOptions options;
    options.dtype = at::kFloat;  // the file is fp16
    nn::load_weights(*encoder, io::load_safetensors(weights_file, options), "",
                     "text encoder (" + weights_file.string() + ")", nn::ClipTextEncoderImpl::optional_weights());
    encoder->to(test::target().device, test::target().dtype);
    golden = io::load_safetensors(folder / "golden.safetensors");
    ids = test::on_target(golden.at("input_ids"));
  }
};

class ClipTextParity : public ::testing::Test {
 protected:
  void SetUp() override {
    GoldenEncoder loaded("clip_text");
    encoder_ = loaded.encoder;
    golden_ = std::move(loaded.golden);
    ids_ = loaded.ids;
  }
  nn::ClipTextEncoder encoder_{nullptr};
  io::StateDict golden_;
  at::Tensor ids_;
};

TEST(ClipTextProjectionParity, SdxlPooledAndPenultimateMatchTransformers) {
  // SDXL's second encoder (CLIPTextModelWithProjection, gelu, padded with a
  // non-EOS token, legacy eos_token_id): the projected pooled token
  // (text_embeds) and hidden_states[-2] without the final norm.
  GoldenEncoder sdxl("clip_text_projection");
  ASSERT_TRUE(sdxl.encoder->config().with_projection);
  at::NoGradGuard no_grad;
  const auto penultimate = sdxl.encoder->encode(sdxl.ids, /*clip_skip=*/1, /*final_norm=*/false);
  semdraw::testing::expect_close("clip_text_projection text_embeds", penultimate.pooled, sdxl.golden.at("text_embeds"),
                                 semdraw::testing::kNetworkTolerance);
  semdraw::testing::expect_close("clip_text_projection hidden_states[-2]", penultimate.hidden,
                                 sdxl.golden.at("penultimate"), semdraw::testing::kNetworkTolerance);
  const auto last = sdxl.encoder->encode(sdxl.ids, 0, /*final_norm=*/true);
  semdraw::testing::expect_close("clip_text_projection last_hidden_state", last.hidden,
                                 sdxl.golden.at("last_hidden_state"), semdraw::testing::kNetworkTolerance);
  EXPECT_TRUE(at::equal(last.pooled, penultimate.pooled)) << "the pooled output does not depend on clip skip";
}

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
