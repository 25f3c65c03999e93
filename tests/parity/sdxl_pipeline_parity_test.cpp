// The one-shot render and the live stream on SDXL against diffusers'
// StableDiffusionXLPipeline + LCMScheduler (tests/reference/sdxl_pipeline_golden.py)
// on the tiny SDXL model make-model writes, with one region over the whole
// canvas, no bootstrapping, no guidance and the same noise in the same order:
//  * one-shot, 4 steps: the final latent is diffusers' (docs/ALGORITHM.md §7);
//  * stream, the default 5-step live schedule: the frame of call T-1 is call
//    0's fresh noise taken through all T steps, re-noised with N_1..N_{T-1}:
//    diffusers with the stream's timesteps (docs/ALGORITHM.md §8).
// The same two with Euler and trailing timesteps (SDXL-Lightning's sampler),
// against diffusers' EulerDiscreteScheduler(timestep_spacing="trailing"): the
// 4-step one-shot with classifier-free guidance, and the stream's frame T-1
// (Euler's steps are deterministic, so call 0's fresh noise scaled to σ_max,
// taken through the stream's T steps, is diffusers' run on those timesteps).
// This exercises SDXL's conditioning through both pipelines: both text
// encoders, the pooled embedding and the time ids. Relative to the largest
// latent value: 1e-5 on the CPU in fp32 (as the SD1.5 goldens), 1e-4 on CUDA
// fp32, 1e-2 in fp16.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <deque>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "family/family_parts.h"
#include "io/safetensors.h"
#include "parity/golden_compare.h"
#include "parity/tiny_sdxl_bundle.h"
#include "pipeline/latent_codec.h"
#include "pipeline/noise_source.h"
#include "pipeline/one_shot.h"
#include "pipeline/stream_batch.h"

namespace semdraw::pipeline {
namespace {

constexpr test::Tolerance kSdxlLatentTolerance{1e-5, 1e-4, 1e-2};

struct Golden {
  nlohmann::json meta;
  io::StateDict tensors;
  explicit Golden(const std::string& name) {
    const auto folder = semdraw::testing::golden_dir(name);
    meta = nlohmann::json::parse(std::ifstream(folder / "meta.json"));
    tensors = io::load_safetensors(folder / "golden.safetensors");
  }
  // One region with the golden's prompt over the whole canvas.
  Scene scene() const {
    const int size = meta.at("size");
    Scene scene;
    scene.width = scene.height = size;
    RegionSpec region;
    region.prompt = meta.at("prompt");
    region.mask = {size, size, std::vector<float>(static_cast<size_t>(size * size), 1.f)};
    scene.regions.push_back(region);
    scene.settings.bootstrap_steps = 0;
    scene.settings.guidance = 1.0;
    return scene;
  }
  void expect_latent(const std::string& what, const at::Tensor& latent) const {
    const at::Tensor expected = tensors.at("latent");
    const double scale = expected.abs().max().item<double>();
    const double error = (latent.to(at::kCPU, at::kFloat) - expected).abs().max().item<double>() / scale;
    std::printf("sdxl %s [%s]: relative error vs diffusers' StableDiffusionXLPipeline %.3g (max |latent| %.1f)\n",
                what.c_str(), test::target().name().c_str(), error, scale);
    EXPECT_LE(error, kSdxlLatentTolerance.pick()) << what << " on " << test::target().name();
  }
};

family::FamilyParts family_parts(const ModelBundle& bundle) {
  return family::make_family_parts(bundle, UNetCall(bundle.unet, make_cuda_graph_backend()));
}

// Renders `scene` one-shot on the tiny SDXL with `draws` as its noise, in
// order, and compares the final latent with the golden's.
void expect_one_shot_matches(const Golden& golden, const Scene& scene, std::deque<at::Tensor> draws,
                             const std::string& what) {
  ModelBundle bundle = load_tiny_sdxl_on_target();
  const family::FamilyParts parts = family_parts(bundle);
  KlCodec codec(bundle.vae);
  NoiseSource noise(0);
  noise.inject(std::move(draws));
  const OneShotResult result = render_one_shot(parts.models(&codec), scene, noise, {});
  EXPECT_EQ(noise.injected_left(), 0u) << "the noise draws did not follow diffusers' order";
  EXPECT_EQ(result.timesteps, golden.meta.at("timesteps").get<std::vector<int64_t>>());
  golden.expect_latent(what, result.latent);
}

TEST(SdxlPipelineParity, OneShotWithOneFullRegionMatchesDiffusers) {
  const Golden golden("sdxl_oneshot");
  Scene scene = golden.scene();
  scene.settings.steps = golden.meta.at("steps");
  // Diffusers' draw order: the initial latent, then one noise per non-final step.
  const at::Tensor renoise = golden.tensors.at("noise.renoise");
  std::deque<at::Tensor> draws = {golden.tensors.at("noise.initial")};
  for (int64_t k = 0; k < renoise.size(0); ++k) draws.push_back(renoise.narrow(0, k, 1));
  expect_one_shot_matches(golden, scene, std::move(draws), "oneshot");
}

TEST(SdxlPipelineParity, EulerOneShotWithGuidanceMatchesDiffusers) {
  const Golden golden("sdxl_oneshot_euler");
  ASSERT_EQ(golden.meta.at("scheduler"), "EulerDiscreteScheduler");
  Scene scene = golden.scene();
  scene.settings.sampler = SamplerChoice::EulerTrailing;
  scene.settings.steps = golden.meta.at("steps");
  scene.settings.guidance = golden.meta.at("guidance");
  // Euler draws once: the initial latent (scaled to σ_max by the sampler).
  expect_one_shot_matches(golden, scene, {golden.tensors.at("noise.initial")}, "euler oneshot");
}

// Streams `scene` on the tiny SDXL with `draws` as its noise, in order, and
// compares the frame of call T-1 with the golden's latent.
void expect_stream_frame_matches(const Golden& golden, const Scene& scene, std::deque<at::Tensor> draws,
                                 const std::string& what) {
  ModelBundle bundle = load_tiny_sdxl_on_target();
  ASSERT_TRUE(bundle.taesd) << "tiny-sdxl has a taesd/ folder";
  const family::FamilyParts parts = family_parts(bundle);
  TaesdCodec codec(bundle.taesd);
  StreamBatch stream(parts.models(&codec));
  stream.inject_noise(std::move(draws));
  stream.update(scene);
  at::Tensor frame;
  for (size_t call = 0; call < scene.settings.step_indices.size(); ++call) frame = stream.step();
  EXPECT_EQ(stream.timesteps(), golden.meta.at("timesteps").get<std::vector<int64_t>>());
  golden.expect_latent(what, frame);
}

TEST(SdxlPipelineParity, EulerStreamFrameTMinusOneMatchesDiffusers) {
  const Golden golden("sdxl_stream_euler");
  Scene scene = golden.scene();
  scene.settings.sampler = SamplerChoice::EulerTrailing;
  scene.settings.step_indices = golden.meta.at("step_indices").get<std::vector<int>>();
  // The T per-step noises only feed the background, which a full-canvas
  // region covers; call 0's fresh noise is diffusers' initial latent.
  const at::Tensor initial = golden.tensors.at("noise.initial");
  const int64_t steps = static_cast<int64_t>(scene.settings.step_indices.size());
  std::deque<at::Tensor> draws = {at::zeros({steps, initial.size(1), initial.size(2), initial.size(3)}), initial};
  for (int64_t k = 1; k < steps; ++k) draws.push_back(at::zeros_like(initial));
  expect_stream_frame_matches(golden, scene, std::move(draws), "euler stream frame T-1");
}

TEST(SdxlPipelineParity, StreamFrameTMinusOneMatchesDiffusers) {
  const Golden golden("sdxl_stream");
  Scene scene = golden.scene();
  scene.settings.step_indices = golden.meta.at("step_indices").get<std::vector<int>>();
  scene.settings.cfg_type = CfgType::None;
  // The stream's draw order: the T per-step noises N (N_0 unused here), then
  // one fresh noise per call: diffusers' initial latent for call 0; what
  // follows does not reach frame T-1.
  const at::Tensor steps = golden.tensors.at("noise.steps");
  const at::Tensor zero = at::zeros_like(golden.tensors.at("noise.initial"));
  std::deque<at::Tensor> draws = {at::cat({zero, steps}, 0), golden.tensors.at("noise.initial")};
  for (int64_t k = 0; k < steps.size(0); ++k) draws.push_back(zero);
  expect_stream_frame_matches(golden, scene, std::move(draws), "stream frame T-1");
}

}  // namespace
}  // namespace semdraw::pipeline
