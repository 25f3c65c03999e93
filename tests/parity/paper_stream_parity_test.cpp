// The stream batch (docs/ALGORITHM.md §8) against the SemanticDraw paper's OWN
// stream class StreamMultiDiffusion: goldens from
// tests/reference/paper_stream_golden.py (run-time patches only, listed in
// paper_stream.json) on the same tiny model and its TAESD, every draw the
// paper's class made replayed through StreamBatch::inject_noise.
//
// Draw mapping: the class's per-step noises `init_noise` [T,4,h,w] (drawn from
// its generator at construction) are the engine's N, drawn at the reset; the
// torch.randn of its k-th __call__ is the fresh noise of the engine's k-th
// step(). The class flushes by itself (T calls without decoding) before its
// first visible frame and after every committed edit; the test steps exactly
// as many times, so every call, hidden or visible, is compared: the latent of
// every step of every call (step_latents) and the frame.
//
// Edits: the paper's per-layer update re-processes an edited mask alone (a
// deliberate difference, docs/ALGORITHM.md §10); the goldens change masks only
// through its all-masks paths (update_masks, update_layers) and use its
// update()/commit() only for prompt edits. The engine gets the edited scene
// before the call that the paper's edit first affects.
//
// Tolerances: latents as tests/parity/pipeline_parity_test.cpp (relative to
// max(1, max|golden|), 1e-5 on the CPU in fp32; entries still filling the
// pipeline after the reset use its wider bound off the CPU); masks as
// tests/parity/paper_parity_test.cpp (the paper quantises in fp32).
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
#include "pipeline/model_bundle.h"
#include "pipeline/stream_batch.h"
#include "support/test_device.h"

namespace semdraw::pipeline {
namespace {

using nlohmann::json;
using parity::kFillingLatentTolerance;
using parity::kPaperMaskTolerance;

// The goldens, read once per test binary.
const parity::PaperGoldens& goldens() {
  static const parity::PaperGoldens g = parity::read_paper_goldens("paper_stream");
  return g;
}

double max_abs_error(const at::Tensor& ours, const at::Tensor& golden) {
  EXPECT_EQ(ours.sizes(), golden.sizes());
  return (ours.to(at::kCPU, at::kFloat) - golden).abs().max().item<double>();
}

class PaperStreamParity : public testing::TestWithParam<std::string> {};

TEST_P(PaperStreamParity, EveryCallMatchesThePapersStream) {
  const std::string name = GetParam();
  const json& golden_case = goldens().meta.at("cases").at(name);
  const json& names = golden_case.at("tensors");
  const auto tensor = [&](const json& key) { return goldens().tensors.at(key.get<std::string>()); };
  ModelBundle& models = parity::tiny_bundle();
  ASSERT_TRUE(models.taesd) << "the tiny model has a taesd/ folder (the paper's stream codec)";
  const family::FamilyParts parts = family::make_family_parts(models, models.unet);
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
  stream.update(parity::golden_scene(scenes[0], goldens().tensors));
  std::string masks_to_check = names.at("masks");
  double worst = 0, worst_mask = 0;
  for (int64_t c = 0; c < calls; ++c) {
    for (const json& edit : golden_case.at("edits")) {
      if (edit.at("before_call") != c) continue;
      stream.update(parity::golden_scene(scenes[edit.at("scene").get<size_t>()], goldens().tensors));
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
      worst = std::max(worst, error);
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
      "%s [%s]: %lld calls, worst step-latent relative error %.3g (bound %.3g, max |latent| %.1f), "
      "masks max abs error %.3g\n",
      name.c_str(), test::target().name().c_str(), static_cast<long long>(calls), worst,
      parity::kLatentTolerance.pick(), golden.abs().max().item<double>(), worst_mask);
}

INSTANTIATE_TEST_SUITE_P(Paper, PaperStreamParity,
                         testing::Values("paper_stream_none", "paper_stream_self", "paper_stream_full",
                                         "paper_stream_initialize"),
                         [](const testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace semdraw::pipeline
