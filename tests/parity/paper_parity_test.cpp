// The one-shot render against the SemanticDraw paper's OWN code: goldens from
// its StableMultiDiffusionPipeline.__call__ (tests/reference/paper_golden.py,
// run-time patches only, listed in paper.json) on the same tiny model
// (make-model --preset tiny --seed 7), with every random draw the paper's code
// made replayed through NoiseSource injection.
//
// Draw mapping: the paper draws the initial latent, then per step one
// bootstrap noise per tile view (while bootstrapping) and the re-noise (all
// steps but the last); the engine draws one canvas-size bootstrap noise per
// step. The goldens use one view whenever they bootstrap, where the two
// coincide one to one (the generator asserts it, and so does this test).
//
// Deviations the generator patches in (both sides then compute the same thing):
// the photo and the white bootstrap image are encoded with the VAE posterior
// mean (the paper samples it), and the white latent is encoded at canvas size
// (the paper crops the latent of a 768x768 white image).
//
// Tolerances as tests/parity/pipeline_parity_test.cpp: latents relative to
// max(1, max|golden|), 1e-5 on the CPU in fp32; images absolute in [0, 1].
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <deque>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "family/family_parts.h"
#include "io/safetensors.h"
#include "parity/pipeline_golden_scene.h"
#include "pipeline/mask_processing.h"
#include "pipeline/model_bundle.h"
#include "pipeline/one_shot.h"
#include "pipeline/scene_tensors.h"
#include "support/test_device.h"

namespace semdraw::pipeline {
namespace {

using nlohmann::json;
using parity::kImageTolerance;
using parity::kLatentTolerance;
using parity::kPaperMaskTolerance;
using parity::relative_error;
// The goldens, read once per test binary.
const parity::PaperGoldens& goldens() {
  static const parity::PaperGoldens g = parity::read_paper_goldens("paper");
  return g;
}

// The engine's draw order (one_shot.h) as the generator labels draws.
std::vector<std::string> engine_draw_order(int64_t steps, int64_t bootstrap_steps) {
  std::vector<std::string> order = {"initial"};
  for (int64_t k = 0; k < steps; ++k) {
    if (k < bootstrap_steps) order.push_back("bootstrap[" + std::to_string(k) + "]");
    if (k + 1 < steps) order.push_back("renoise[" + std::to_string(k) + "]");
  }
  return order;
}

class PaperOneShotParity : public testing::TestWithParam<std::string> {};

TEST_P(PaperOneShotParity, MatchesThePapersPipeline) {
  const std::string name = GetParam();
  const json& meta = goldens().meta.at("cases").at(name);
  const auto& tensors = goldens().tensors;
  const json& golden_tensors = meta.at("tensors");
  ModelBundle& models = parity::tiny_bundle();
  const family::FamilyParts parts = family::make_family_parts(models, models.unet);
  KlCodec codec(models.vae);
  const Scene scene = parity::golden_scene(meta.at("scene"), tensors);
  OneShotOptions options;  // leak suppression on, as the paper always runs it
  options.leak_sensitivity = meta.at("scene").at("settings").at("leak_sensitivity");

  const auto timesteps = meta.at("timesteps").get<std::vector<int64_t>>();
  const int64_t steps = static_cast<int64_t>(timesteps.size());

  // Processed masks [p,T,h,w] against the paper's process_mask.
  {
    std::vector<at::Tensor> painted;
    std::vector<RegionMaskParams> params;
    for (const RegionSpec& region : scene.regions) {
      painted.push_back(mask_to_tensor(region.mask, scene.height, scene.width));
      params.push_back({region.blur_sigma, region.mask_strength});
    }
    std::vector<double> levels;
    for (const int64_t t : timesteps)
      levels.push_back(std::sqrt(1.0 - static_cast<double>(models.scheduler.alpha_cumprod(t))));
    const ProcessedMasks processed = process_masks(at::stack(painted, 0), params, levels, scene.settings.mask_mode,
                                                   scene.settings.cover_alpha, scene.height, scene.width);
    const double mask_error =
        (processed.masks.to(at::kFloat) - tensors.at(golden_tensors.at("masks").get<std::string>()))
            .abs()
            .max()
            .item<double>();
    std::printf("%s: processed masks max abs error %.3g (bound %.3g)\n", name.c_str(), mask_error,
                kPaperMaskTolerance.pick());
    EXPECT_LE(mask_error, kPaperMaskTolerance.pick()) << name << ": processed masks";
  }

  // The paper's draws, in its call order, which must be the engine's order.
  std::vector<std::string> labels;
  for (const json& draw : meta.at("draws")) labels.push_back(draw.at("label"));
  ASSERT_EQ(labels, engine_draw_order(steps, scene.settings.bootstrap_steps))
      << name << ": the paper's draws do not map one to one onto the engine's";
  const at::Tensor draws = tensors.at(golden_tensors.at("draws").get<std::string>());
  ASSERT_EQ(draws.size(0), static_cast<int64_t>(labels.size()));
  std::deque<at::Tensor> noise;
  for (int64_t i = 0; i < draws.size(0); ++i) noise.push_back(draws.narrow(0, i, 1));
  NoiseSource source(0);
  source.inject(std::move(noise));

  const OneShotResult result = render_one_shot(parts.models(&codec), scene, source, options);
  EXPECT_EQ(source.injected_left(), 0u) << "the engine drew fewer times than the paper";
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

INSTANTIATE_TEST_SUITE_P(Paper, PaperOneShotParity, testing::Values("paper_photo", "paper_photo_late", "paper_tiled"),
                         [](const testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace semdraw::pipeline
