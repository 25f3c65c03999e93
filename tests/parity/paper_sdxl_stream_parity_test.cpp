// The stream batch with Euler and trailing timesteps (SDXL-Lightning's
// sampler) against the SemanticDraw paper's OWN SDXL stream class
// StreamMultiDiffusionSDXL: goldens from tests/reference/paper_sdxl_stream_golden.py
// (run-time patches only, listed in paper_sdxl_stream.json) on the tiny SDXL
// model (make-model --preset tiny-sdxl --seed 3) and its TAESD, every draw the
// paper's class made replayed through StreamBatch::inject_noise.
//
// Draw mapping as tests/parity/paper_stream_parity_test.cpp: the class's
// init_noise [T,4,h,w] is the engine's N (drawn at the reset), the torch.randn
// of its k-th __call__ is the fresh noise of the engine's k-th step() (the
// class scales it by init_noise_sigma, σ at t = 999, the first step of the
// default list; the engine by σ of its first step). The class flushes by
// itself; the test steps as many times, comparing every step latent of every
// call and the frame.
//
// Only cfg_type 'none' runs in the paper's SDXL stream class (its guided paths
// read attributes it never sets), and its prompt strengths are 1 (it does not
// lerp the pooled embedding by prompt strength; see the generator).
//
// Tolerances are the SD1.5 paper stream test's (parity/pipeline_golden_scene.h).
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "family/family_parts.h"
#include "io/safetensors.h"
#include "parity/pipeline_golden_scene.h"
#include "parity/tiny_sdxl_bundle.h"
#include "pipeline/latent_codec.h"
#include "pipeline/stream_batch.h"
#include "support/test_device.h"

namespace semdraw::pipeline {
namespace {

using nlohmann::json;
using parity::kFillingLatentTolerance;
using parity::kPaperMaskTolerance;
// The goldens, read once per test binary.
const parity::PaperGoldens& goldens() {
  static const parity::PaperGoldens g = parity::read_paper_goldens("paper_sdxl_stream");
  return g;
}

ModelBundle& sdxl_bundle() {
  static ModelBundle bundle = load_tiny_sdxl_on_target();
  return bundle;
}

Scene euler_scene(const json& j) {
  EXPECT_EQ(j.at("settings").at("sampler"), "euler-trailing");
  Scene scene = parity::golden_scene(j, goldens().tensors);
  scene.settings.sampler = SamplerChoice::EulerTrailing;
  return scene;
}

double max_abs_error(const at::Tensor& ours, const at::Tensor& golden) {
  EXPECT_EQ(ours.sizes(), golden.sizes());
  return (ours.to(at::kCPU, at::kFloat) - golden).abs().max().item<double>();
}

class PaperSdxlStreamParity : public testing::TestWithParam<std::string> {};

TEST_P(PaperSdxlStreamParity, EveryCallMatchesThePapersSdxlStream) {
  const std::string name = GetParam();
  const json& golden_case = goldens().meta.at("cases").at(name);
  const json& names = golden_case.at("tensors");
  const auto tensor = [&](const json& key) { return goldens().tensors.at(key.get<std::string>()); };
  ModelBundle& models = sdxl_bundle();
  ASSERT_TRUE(models.taesd) << "tiny-sdxl has a taesd/ folder (the paper's stream codec)";
  const family::FamilyParts parts = family::make_family_parts(models, UNetCall(models.unet, make_cuda_graph_backend()));
  TaesdCodec codec(models.taesd);
  StreamBatch stream(parts.models(&codec));

  const at::Tensor fresh = tensor(names.at("fresh_noise"));
  const at::Tensor golden = tensor(names.at("step_latents"));  // [calls, T, C, h, w]
  const int64_t calls = golden_case.at("calls");
  ASSERT_EQ(golden.size(0), calls);
  ASSERT_EQ(fresh.size(0), calls) << "one draw per call of the paper's class";
  std::deque<at::Tensor> noise = {tensor(names.at("init_noise"))};
  for (int64_t c = 0; c < calls; ++c) noise.push_back(fresh.narrow(0, c, 1));
  stream.inject_noise(std::move(noise));

  const json& scenes = golden_case.at("scenes");
  stream.update(euler_scene(scenes[0]));
  std::string masks_to_check = names.at("masks");
  double worst = 0, worst_mask = 0;
  int64_t worst_call = 0, worst_step = 0;
  double worst_steady = 0;  // entries past the pipeline filling (step k of call c with k <= c)
  for (int64_t c = 0; c < calls; ++c) {
    for (const json& edit : golden_case.at("edits")) {
      if (edit.at("before_call") != c) continue;
      stream.update(euler_scene(scenes[edit.at("scene").get<size_t>()]));
      if (!edit.at("masks").is_null()) masks_to_check = edit.at("masks");
    }
    const at::Tensor latent = stream.step();
    if (c == 0) EXPECT_EQ(stream.timesteps(), golden_case.at("timesteps").get<std::vector<int64_t>>());
    if (!masks_to_check.empty()) {
      const double error = max_abs_error(stream.masks(), goldens().tensors.at(masks_to_check));
      worst_mask = std::max(worst_mask, error);
      EXPECT_LE(error, kPaperMaskTolerance.pick()) << name << ": processed masks " << masks_to_check;
      masks_to_check.clear();
    }
    const int64_t steps = golden.size(1);
    for (int64_t k = 0; k < steps; ++k) {
      const double error = parity::relative_error(stream.step_latents()[k], golden[c][k]);
      if (error > worst) worst = error, worst_call = c, worst_step = k;
      if (k <= c) worst_steady = std::max(worst_steady, error);
      EXPECT_LE(error, (k > c ? kFillingLatentTolerance : parity::kLatentTolerance).pick())
          << name << " call " << c << " step " << k << " on " << test::target().name();
    }
    EXPECT_LE(parity::relative_error(latent, golden[c].narrow(0, steps - 1, 1)), parity::kLatentTolerance.pick())
        << name << " frame of call " << c;
    if (names.contains("last_visible_image") && c == golden_case.at("last_visible_call").get<int64_t>()) {
      const double error = max_abs_error(stream.decode(latent), tensor(names.at("last_visible_image")));
      std::printf("%s: last visible frame decoded (TAESD) max abs error %.3g (bound %.3g)\n", name.c_str(), error,
                  parity::kImageTolerance.pick());
      EXPECT_LE(error, parity::kImageTolerance.pick()) << name << " decoded frame";
    }
  }
  std::printf(
      "%s [%s]: %lld calls, worst step-latent relative error %.3g at call %lld step %lld (bound %.3g, "
      "max |latent| %.1f; past the filling %.3g), masks max abs error %.3g\n",
      name.c_str(), test::target().name().c_str(), static_cast<long long>(calls), worst,
      static_cast<long long>(worst_call), static_cast<long long>(worst_step), parity::kLatentTolerance.pick(),
      golden.abs().max().item<double>(), worst_steady, worst_mask);
}

INSTANTIATE_TEST_SUITE_P(PaperSdxl, PaperSdxlStreamParity, testing::ValuesIn(goldens().case_names()),
                         [](const testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace semdraw::pipeline
