// The one-shot render with Euler and trailing timesteps (SDXL-Lightning's
// sampler) against the SemanticDraw paper's OWN SDXL code: goldens from its
// StableMultiDiffusionSDXLPipeline.__call__ (tests/reference/paper_sdxl_golden.py,
// run-time patches only, listed in paper_sdxl.json) on the same tiny SDXL model
// (make-model --preset tiny-sdxl --seed 3), with the paper's draws replayed
// through NoiseSource injection.
//
// Draw mapping: the paper draws the initial noise; when it starts from noise
// alone (timesteps[0] >= 999) it draws a second that replaces the first (the
// first is never used). Euler draws nothing else: the photo at each step's σ
// and the white bootstrap image are noised with that same noise. The engine
// draws once, so it is handed the paper's last draw.
//
// Deviations the generator patches in (both sides then compute the same thing):
// the VAE posterior mean instead of a sample, and the white latent encoded at
// canvas size (the paper crops the latent of a 1024x1024 white image). The
// guided case passes guidance_rescale=0 and non-empty negative prompts (the
// engine neither rescales nor encodes an empty SDXL negative prompt). The tiled
// case runs the paper's own time ids (the canvas size, the view's offset as the
// crop), which the engine gives its tiles too. Every case the json holds is run
// (the generator's --diagnose cases measure the differences and fail here on
// purpose).
//
// Tolerances are the SD1.5 paper parity tests' (parity/pipeline_golden_scene.h).
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <deque>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "family/family_parts.h"
#include "io/safetensors.h"
#include "parity/pipeline_golden_scene.h"
#include "parity/tiny_sdxl_bundle.h"
#include "pipeline/latent_codec.h"
#include "pipeline/mask_processing.h"
#include "pipeline/noise_source.h"
#include "pipeline/one_shot.h"
#include "pipeline/scene_tensors.h"
#include "sched/training_schedule_scheduler.h"

namespace semdraw::pipeline {
namespace {

using nlohmann::json;
using parity::kImageTolerance;
using parity::kLatentTolerance;
using parity::kPaperMaskTolerance;
using parity::relative_error;
// The goldens, read once per test binary.
const parity::PaperGoldens& goldens() {
  static const parity::PaperGoldens g = parity::read_paper_goldens("paper_sdxl");
  return g;
}

ModelBundle& sdxl_bundle() {
  static ModelBundle bundle = load_tiny_sdxl_on_target();
  return bundle;
}

class PaperSdxlOneShotParity : public testing::TestWithParam<std::string> {};

TEST_P(PaperSdxlOneShotParity, MatchesThePapersSdxlPipeline) {
  const std::string name = GetParam();
  const json& meta = goldens().meta.at("cases").at(name);
  const auto& tensors = goldens().tensors;
  const json& golden_tensors = meta.at("tensors");
  ModelBundle& models = sdxl_bundle();
  const family::FamilyParts parts = family::make_family_parts(models, UNetCall(models.unet, make_cuda_graph_backend()));
  KlCodec codec(models.vae);
  Scene scene = parity::golden_scene(meta.at("scene"), tensors);
  ASSERT_EQ(meta.at("scene").at("settings").at("sampler"), "euler-trailing");
  scene.settings.sampler = SamplerChoice::EulerTrailing;
  OneShotOptions options;  // leak suppression on, as the paper always runs it
  options.leak_sensitivity = meta.at("scene").at("settings").at("leak_sensitivity");

  const auto timesteps = meta.at("timesteps").get<std::vector<int64_t>>();
  const auto sampler = sched::TrainingScheduleScheduler(models.scheduler)
                           .schedule(SamplerChoice::EulerTrailing, 0, scene.settings.step_indices);
  ASSERT_EQ(sampler->timesteps(), timesteps);

  // Processed masks [p,T,h,w] against the paper's process_mask (quantised at
  // σ/sqrt(σ²+1)).
  {
    std::vector<at::Tensor> painted;
    std::vector<RegionMaskParams> params;
    for (const RegionSpec& region : scene.regions) {
      painted.push_back(mask_to_tensor(region.mask, scene.height, scene.width));
      params.push_back({region.blur_sigma, region.mask_strength});
    }
    const ProcessedMasks processed =
        process_masks(at::stack(painted, 0), params, sampler->levels(), scene.settings.mask_mode,
                      scene.settings.cover_alpha, scene.height, scene.width);
    const double mask_error =
        (processed.masks.to(at::kCPU, at::kFloat) - tensors.at(golden_tensors.at("masks").get<std::string>()))
            .abs()
            .max()
            .item<double>();
    std::printf("%s: processed masks max abs error %.3g (bound %.3g)\n", name.c_str(), mask_error,
                kPaperMaskTolerance.pick());
    EXPECT_LE(mask_error, kPaperMaskTolerance.pick()) << name << ": processed masks";
  }

  // The paper's draws: "initial" is the one it uses (last); a "discarded" one
  // before it (from noise alone) is never used.
  const json& draw_list = meta.at("draws");
  ASSERT_FALSE(draw_list.empty());
  ASSERT_EQ(draw_list.back().at("label"), "initial");
  const bool from_photo = meta.at("from_photo");
  EXPECT_EQ(from_photo, timesteps.front() < 999);
  ASSERT_EQ(draw_list.size(), from_photo ? 1u : 2u) << name << ": the paper's draws";
  const at::Tensor draws = tensors.at(golden_tensors.at("draws").get<std::string>());
  ASSERT_EQ(draws.size(0), static_cast<int64_t>(draw_list.size()));
  NoiseSource source(0);
  source.inject({draws.narrow(0, draws.size(0) - 1, 1)});

  const OneShotResult result = render_one_shot(parts.models(&codec), scene, source, options);
  EXPECT_EQ(source.injected_left(), 0u) << "the engine drew fewer times than the paper used";
  EXPECT_EQ(result.timesteps, timesteps);

  const at::Tensor golden_latent = tensors.at(golden_tensors.at("latent").get<std::string>());
  const double error = relative_error(result.latent, golden_latent);
  std::printf("%s [%s]: final latent relative error %.3g (bound %.3g, max |latent| %.1f)\n", name.c_str(),
              test::target().name().c_str(), error, kLatentTolerance.pick(), golden_latent.abs().max().item<double>());
  EXPECT_LE(error, kLatentTolerance.pick()) << name << " latent on " << test::target().name();

  const at::Tensor golden_image = tensors.at(golden_tensors.at("image").get<std::string>());
  ASSERT_EQ(result.image.sizes(), golden_image.sizes());
  const double image_error = (result.image.to(at::kCPU, at::kFloat) - golden_image).abs().max().item<double>();
  std::printf("%s [%s]: final image max abs error %.3g (bound %.3g)\n", name.c_str(), test::target().name().c_str(),
              image_error, kImageTolerance.pick());
  EXPECT_LE(image_error, kImageTolerance.pick()) << name << " image on " << test::target().name();
}

INSTANTIATE_TEST_SUITE_P(PaperSdxl, PaperSdxlOneShotParity, testing::ValuesIn(goldens().case_names()),
                         [](const testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace semdraw::pipeline
