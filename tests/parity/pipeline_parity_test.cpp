// docs/ALGORITHM.md §7 / §8 against tests/reference/pipeline_golden.py: a
// reference written from docs/ALGORITHM.md on diffusers components, on the same tiny model
// (make-model --preset tiny --seed 7) and the same injected noise.
//
// Tolerance (parity/pipeline_golden_scene.h): relative to the largest golden
// value, max|a-b| <= 1e-5 * max|b| (fp32, CPU), i.e. about 1e-3 absolute on
// these latents.
//
// The pipelines run on SEMDRAW_TEST_DEVICE in SEMDRAW_TEST_DTYPE
// (support/test_device.h), the same goldens under kLatentTolerance. On CUDA
// the UNet runs as the engine runs it there, replayed from CUDA graphs, and
// each test checks that graphs served some of its calls.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "family/family_parts.h"
#include "io/safetensors.h"
#include "parity/pipeline_golden_scene.h"
#include "pipeline/model_bundle.h"
#include "pipeline/one_shot.h"
#include "pipeline/stream_batch.h"
#include "support/test_device.h"

namespace semdraw::pipeline {
namespace {

using nlohmann::json;
using parity::kFillingLatentTolerance;
using parity::kImageTolerance;
using parity::kLatentTolerance;
using parity::relative_error;

// Processed masks in [0, 1]: 1e-6 on the CPU; fp16 stores them with a step of
// 2^-11 near 1 (rounding error up to 2.5e-4), so 1e-3; cuda fp32 1e-5 (the
// Gaussian blur is a convolution, see above).
constexpr semdraw::test::Tolerance kMaskTolerance{1e-6, 1e-5, 1e-3};
const std::string kData = SEMDRAW_SOURCE_DIR "/tests/data/pipeline/";

struct Goldens {
  json meta;
  io::StateDict inputs, stream, oneshot;
};

const Goldens& goldens() {
  static const Goldens g = [] {
    Goldens out;
    std::ifstream in(kData + "pipeline.json");
    out.meta = json::parse(in);
    out.inputs = io::load_safetensors(kData + "inputs.safetensors");
    out.stream = io::load_safetensors(kData + "stream.safetensors");
    out.oneshot = io::load_safetensors(kData + "oneshot.safetensors");
    return out;
  }();
  return g;
}

Scene golden_scene_of(const json& scene) { return parity::golden_scene(scene, goldens().inputs); }

// The UNet as the engine calls it on the target: through CUDA graphs on CUDA
// (captured from a signature's second call on), op by op on the CPU.
UNetCall& target_unet() {
  static UNetCall unet(parity::tiny_bundle().unet, make_cuda_graph_backend(), {.capacity = 2, .capture_after = 1});
  return unet;
}

// On CUDA, that graphs served some of the calls since `before`.
void expect_graph_replays_since(const GraphedCallStats& before) {
  if (!test::target().cuda()) return;
  const GraphedCallStats now = target_unet().stats();
  EXPECT_FALSE(now.disabled) << "a CUDA graph capture failed";
  EXPECT_GT(now.replays, before.replays) << "no UNet call was replayed from a CUDA graph";
  std::printf("  (UNet calls: %lld eager, %lld graph captures, %lld replays so far)\n",
              static_cast<long long>(now.eager), static_cast<long long>(now.captures),
              static_cast<long long>(now.replays));
}

class StreamParity : public testing::TestWithParam<std::string> {};

TEST_P(StreamParity, FramesMatchTheReference) {
  const std::string name = GetParam();
  const json& meta = goldens().meta.at(name);
  const auto& tensors = goldens().stream;
  ModelBundle& models = parity::tiny_bundle();
  ASSERT_TRUE(models.taesd) << "the tiny model has a taesd/ folder";
  const family::FamilyParts parts = family::make_family_parts(models, target_unet());
  TaesdCodec codec(models.taesd);
  const GraphedCallStats before = target_unet().stats();
  StreamBatch stream(parts.models(&codec));

  const at::Tensor per_step = tensors.at(name + ".noise.per_step");
  const at::Tensor fresh = tensors.at(name + ".noise.fresh");
  const at::Tensor frames = tensors.at(name + ".frames");
  std::deque<at::Tensor> noise = {per_step};
  for (int64_t f = 0; f < fresh.size(0); ++f) noise.push_back(fresh.narrow(0, f, 1));
  stream.inject_noise(std::move(noise));
  stream.update(golden_scene_of(meta.at("scenes")[0]));
  const int edit_at = meta.at("edit_before_frame").is_null() ? -1 : meta.at("edit_before_frame").get<int>();
  double worst = 0, worst_filling = 0;
  for (int64_t f = 0; f < frames.size(0); ++f) {
    if (f == edit_at) stream.update(golden_scene_of(meta.at("scenes")[1]));
    const at::Tensor latent = stream.step();
    if (f == 0) {
      const double mask_error = relative_error(stream.masks(), tensors.at(name + ".frame0.masks"));
      EXPECT_LE(mask_error, kMaskTolerance.pick()) << name << ": processed masks on " << test::target().name();
    }
    const at::Tensor golden_steps = tensors.at(name + ".step_latents")[f];
    const auto bound = [&](int64_t k) { return (k > f ? kFillingLatentTolerance : kLatentTolerance).pick(); };
    const int64_t last = golden_steps.size(0) - 1;
    for (int64_t k = 0; k <= last; ++k) {
      const double step_error = relative_error(stream.step_latents()[k], golden_steps[k]);
      double& worst_so_far = k > f ? worst_filling : worst;
      worst_so_far = std::max(worst_so_far, step_error);
      EXPECT_LE(step_error, bound(k)) << name << " frame " << f << " step " << k << " on " << test::target().name();
    }
    const double error = relative_error(latent, frames.narrow(0, f, 1));
    EXPECT_LE(error, bound(last)) << name << " frame " << f << " on " << test::target().name();
  }
  std::printf(
      "%s [%s]: %lld frames, worst relative error %.3g, while filling %.3g (max |latent| %.1f, bounds %.3g, %.3g)\n",
      name.c_str(), test::target().name().c_str(), static_cast<long long>(frames.size(0)), worst, worst_filling,
      frames.abs().max().item<double>(), kLatentTolerance.pick(), kFillingLatentTolerance.pick());
  expect_graph_replays_since(before);
}

INSTANTIATE_TEST_SUITE_P(Golden, StreamParity,
                         testing::Values("stream_a", "stream_self", "stream_init", "stream_full"));

class OneShotParity : public testing::TestWithParam<std::string> {};

TEST_P(OneShotParity, FinalLatentMatchesTheReference) {
  const std::string name = GetParam();
  const json& meta = goldens().meta.at(name);
  const auto& tensors = goldens().oneshot;
  ModelBundle& models = parity::tiny_bundle();
  const family::FamilyParts parts = family::make_family_parts(models, target_unet());
  KlCodec codec(models.vae);
  Scene scene = golden_scene_of(meta.at("scene"));
  if (!meta.at("steps").is_null()) scene.settings.steps = meta.at("steps");
  scene.settings.tile_size = meta.at("tile_size");
  OneShotOptions options;
  options.leak_suppression = meta.at("scene").at("settings").at("leak_suppression");
  options.leak_sensitivity = meta.at("scene").at("settings").at("leak_sensitivity");

  // Noise order: initial; then per step k: bootstrap[k] while bootstrapping, renoise[k] but after the last.
  std::deque<at::Tensor> noise = {tensors.at(name + ".noise.initial")};
  const bool has_bootstrap = tensors.count(name + ".noise.bootstrap") > 0;
  const at::Tensor renoise = tensors.at(name + ".noise.renoise");
  const int64_t steps = renoise.size(0) + 1;
  for (int64_t k = 0; k < steps; ++k) {
    if (has_bootstrap && k < scene.settings.bootstrap_steps)
      noise.push_back(tensors.at(name + ".noise.bootstrap").narrow(0, k, 1));
    if (k + 1 < steps) noise.push_back(renoise.narrow(0, k, 1));
  }
  NoiseSource source(0);
  source.inject(std::move(noise));
  const GraphedCallStats before = target_unet().stats();
  const OneShotResult result = render_one_shot(parts.models(&codec), scene, source, options);
  EXPECT_EQ(source.injected_left(), 0u) << "the noise draws did not follow the documented order";
  EXPECT_EQ(result.timesteps, meta.at("timesteps").get<std::vector<int64_t>>());
  const double error = relative_error(result.latent, tensors.at(name + ".latent"));
  std::printf("%s [%s]: relative error %.3g (bound %.3g)\n", name.c_str(), test::target().name().c_str(), error,
              kLatentTolerance.pick());
  EXPECT_LE(error, kLatentTolerance.pick()) << name << " on " << test::target().name();
  if (!scene.background.image.empty()) {
    // Over a photo the decoded render is blended over it (masks before strength).
    const double image_error =
        (result.image.to(at::kCPU, at::kFloat) - tensors.at(name + ".image")).abs().max().item<double>();
    std::printf("%s [%s]: image max abs error %.3g (bound %.3g)\n", name.c_str(), test::target().name().c_str(),
                image_error, kImageTolerance.pick());
    EXPECT_LE(image_error, kImageTolerance.pick()) << name << " image on " << test::target().name();
  }
  if (tensors.count(name + ".diffusers_latent")) {
    // docs/ALGORITHM.md §7: one full-canvas region, no bootstrapping, no guidance (or
    // plain CFG) must be diffusers' own LCM text-to-image pipeline.
    const double vs_diffusers = relative_error(result.latent, tensors.at(name + ".diffusers_latent"));
    std::printf("%s: relative error vs diffusers' pipeline %.3g\n", name.c_str(), vs_diffusers);
    EXPECT_LE(vs_diffusers, kLatentTolerance.pick());
  }
  expect_graph_replays_since(before);
}

// The engine's renders use the default options: leak suppression on, as the
// paper's code always runs it (the goldens above set it explicitly).
TEST(OneShotDefaults, LeakSuppressionIsOnAtThePapersSensitivity) {
  const OneShotOptions defaults;
  EXPECT_TRUE(defaults.leak_suppression);
  EXPECT_EQ(defaults.leak_sensitivity, 0.2);
}

INSTANTIATE_TEST_SUITE_P(Golden, OneShotParity,
                         testing::Values("check", "check_cfg", "oneshot_single", "oneshot_tiled", "oneshot_leak",
                                         "oneshot_photo", "oneshot_photo_late"));

}  // namespace
}  // namespace semdraw::pipeline
