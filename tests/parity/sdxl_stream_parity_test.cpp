// The live stream on SDXL against diffusers' StableDiffusionXLPipeline
// (tests/reference/sdxl_stream_golden.py) on the tiny SDXL model make-model
// writes: with one region over the whole canvas, no bootstrapping and no
// guidance, the frame of call T-1 is call 0's fresh noise taken through all T
// steps, re-noised with N_1..N_{T-1}: diffusers' pipeline with the stream's
// timesteps and the same noise (DESIGN 4.7). This exercises SDXL's pooled
// embeddings and time ids through the stream batch. Bounds as the one-shot's.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <deque>
#include <fstream>
#include <nlohmann/json.hpp>

#include "io/safetensors.h"
#include "parity/golden_compare.h"
#include "parity/tiny_sdxl_bundle.h"
#include "pipeline/latent_codec.h"
#include "pipeline/sdxl_prompt_encoder.h"
#include "pipeline/stream_batch.h"

namespace semdraw::pipeline {
namespace {

constexpr test::Tolerance kSdxlLatentTolerance{1e-5, 1e-4, 1e-2};

TEST(SdxlStreamParity, FrameTMinusOneMatchesDiffusersSdxlPipeline) {
  ModelBundle bundle = load_tiny_sdxl_on_target();
  ASSERT_TRUE(bundle.taesd) << "tiny-sdxl has a taesd/ folder";
  SdxlPromptEncoder prompts(bundle.tokenizer.get(), bundle.text_encoder, bundle.tokenizer_2.get(),
                            bundle.text_encoder_2, bundle.device, bundle.dtype);
  TaesdCodec codec(bundle.taesd);
  StreamBatch stream({UNetCall(bundle.unet, make_cuda_graph_backend()), nullptr, &codec, &bundle.scheduler,
                      bundle.device, bundle.dtype, &prompts});

  const auto folder = semdraw::testing::golden_dir("sdxl_stream");
  const auto meta = nlohmann::json::parse(std::ifstream(folder / "meta.json"));
  const io::StateDict golden = io::load_safetensors(folder / "golden.safetensors");
  const int size = meta.at("size");

  Scene scene;
  scene.width = scene.height = size;
  RegionSpec region;
  region.prompt = meta.at("prompt");
  region.mask = {size, size, std::vector<float>(static_cast<size_t>(size * size), 1.f)};
  scene.regions.push_back(region);
  scene.settings.step_indices = meta.at("step_indices").get<std::vector<int>>();
  scene.settings.bootstrap_steps = 0;
  scene.settings.guidance = 1.0;
  scene.settings.cfg_type = CfgType::None;

  // Draw order: the T per-step noises N (N_0 unused here), then one fresh
  // noise per call: diffusers' initial latent for call 0, nothing that
  // matters to frame T-1 after it.
  const at::Tensor steps = golden.at("noise.steps");
  const at::Tensor zero = at::zeros_like(golden.at("noise.initial"));
  std::deque<at::Tensor> draws = {at::cat({zero, steps}, 0), golden.at("noise.initial")};
  for (int64_t k = 0; k < steps.size(0); ++k) draws.push_back(zero);
  stream.inject_noise(std::move(draws));
  stream.update(scene);

  at::Tensor frame;
  for (int64_t call = 0; call <= steps.size(0); ++call) frame = stream.step();
  EXPECT_EQ(stream.timesteps(), meta.at("timesteps").get<std::vector<int64_t>>());
  const at::Tensor expected = golden.at("latent");
  const double scale = expected.abs().max().item<double>();
  const double error = (frame.to(at::kCPU, at::kFloat) - expected).abs().max().item<double>() / scale;
  std::printf("sdxl stream [%s]: frame T-1, relative error vs diffusers' StableDiffusionXLPipeline %.3g "
              "(max |latent| %.1f)\n", test::target().name().c_str(), error, scale);
  EXPECT_LE(error, kSdxlLatentTolerance.pick()) << "on " << test::target().name();
}

}  // namespace
}  // namespace semdraw::pipeline
