// The C++ UNet2DConditionModel against diffusers on tiny seeded models
// (goldens from tests/reference/unet_golden.py). fp32 CPU, max abs error <= 1e-4.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <cstdio>
#include <filesystem>

#include "io/safetensors.h"
#include "nn/load_weights.h"
#include "nn/unet2d_condition.h"
#include "support/tiny_model.h"

namespace {

namespace fs = std::filesystem;
using namespace semdraw;

// Runs the golden; `mutate` may change one named weight to prove the
// comparison is sensitive (the expected error is then far above tolerance).
double run_golden(const std::string& name, const std::string& mutate = "", at::ScalarType dtype = at::kFloat) {
  const fs::path folder = fs::path(SEMDRAW_SOURCE_DIR) / "tests/data/unet" / name;
  nn::UNet2DConditionModel unet(nn::UNetConfig::from_file(folder / "config.json"));
  unet->eval();
  const fs::path weights_file = folder / "diffusion_pytorch_model.safetensors";
  io::StateDict weights = io::load_safetensors(weights_file);
  if (!mutate.empty()) weights.at(mutate) = weights.at(mutate) + 0.05;
  nn::load_weights(*unet, weights, "", "unet (" + weights_file.string() + ")");
  const io::StateDict io = io::load_safetensors(folder / "io.safetensors");
  at::NoGradGuard no_grad;
  unet->to(dtype);
  const at::Tensor out =
      unet->forward(io.at("sample").to(dtype), io.at("timesteps"), io.at("encoder_hidden_states").to(dtype))
          .to(at::kFloat);
  const at::Tensor& expected = io.at("output");
  EXPECT_EQ(out.sizes(), expected.sizes());
  const double error = (out - expected).abs().max().item<double>();
  std::printf("[unet parity %s%s%s] max abs error %.3g (output max abs %.3g)\n", name.c_str(), dtype == at::kHalf ? " fp16" : "",
              mutate.empty() ? "" : (" with " + mutate + " changed").c_str(), error,
              expected.abs().max().item<double>());
  return error;
}

TEST(UNetParity, ConvProjectionIntegerTimestepsMatchDiffusers) {
  // SD1.5 layout: 1x1-conv proj_in/proj_out, int64 timesteps [999, 259].
  EXPECT_LE(run_golden("conv"), 1e-4);
}

TEST(UNetParity, LinearProjectionOddLatentMatchesDiffusers) {
  // SD2 layout: linear proj_in/proj_out; fractional timesteps; a 5x7 latent
  // whose sides are not multiples of the down factor (explicit upsample sizes).
  EXPECT_LE(run_golden("linear"), 1e-4);
}

TEST(UNetParity, MadeTinyModelMatchesDiffusers) {
  // make-model --preset tiny --seed 7 (shared with the pipeline tests), six
  // entries at six different timesteps in one batch, as the stream batch runs.
  const fs::path folder = test::tiny_model_dir();
  nn::UNet2DConditionModel unet(nn::UNetConfig::from_file(folder / "unet/config.json"));
  nn::load_weights(*unet, io::load_safetensors(folder / "unet/diffusion_pytorch_model.safetensors"), "", "tiny unet");
  const io::StateDict io =
      io::load_safetensors(fs::path(SEMDRAW_SOURCE_DIR) / "tests/data/unet/tiny_model_seed7.safetensors");
  at::NoGradGuard no_grad;
  const at::Tensor out = unet->forward(io.at("sample"), io.at("timesteps"), io.at("encoder_hidden_states"));
  const double error = (out - io.at("output")).abs().max().item<double>();
  std::printf("[unet parity made tiny model] max abs error %.3g\n", error);
  EXPECT_LE(error, 1e-4);
}

TEST(UNetParity, RunsInFp16) {
  // fp16 is the CUDA inference dtype; on CPU this checks that nothing in
  // forward assumes fp32 (integer timesteps, embedding cast). Tolerance: fp16
  // activations through ~20 layers, outputs of magnitude ~1.5.
  EXPECT_LE(run_golden("conv", "", at::kHalf), 1e-2);
}

TEST(UNetParity, ComparisonDetectsOneChangedNormBias) {
  // Identical kernels may give a bit-exact 0 above; this shows a small change
  // in one deep weight is far above the tolerance.
  EXPECT_GT(run_golden("conv", "up_blocks.1.attentions.1.transformer_blocks.0.norm3.bias"), 1e-3);
}

}  // namespace
