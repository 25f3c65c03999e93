#include "pipeline/mask_processing.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

namespace semdraw::pipeline {
namespace {

const std::vector<double> kLevels = {0.9977, 0.9942, 0.9735, 0.8499, 0.5840};

TEST(CoverAlpha, ScalesOnlyWhereAHigherRegionIsPainted) {
  at::Tensor masks = at::zeros({3, 1, 4});
  masks[0].fill_(1.0);
  masks[1][0][1] = 1.0;
  masks[2][0][3] = 0.5;
  const at::Tensor out = apply_cover_alpha(masks, 0.3);
  EXPECT_FLOAT_EQ(out[0][0][0].item<float>(), 1.0f);
  EXPECT_FLOAT_EQ(out[0][0][1].item<float>(), 0.3f);
  EXPECT_FLOAT_EQ(out[0][0][3].item<float>(), 0.3f);
  EXPECT_FLOAT_EQ(out[1][0][1].item<float>(), 1.0f);  // nothing above region 1 at column 1
  EXPECT_TRUE(at::equal(out[2], masks[2]));           // the top region is unchanged
}

TEST(GaussianBlur, PreservesMassAwayFromEdgesAndZeroSigmaIsIdentity) {
  at::Tensor mask = at::zeros({41, 41});
  mask[20][20] = 1.0;
  const at::Tensor blurred = gaussian_blur(mask, 3.0);
  EXPECT_NEAR(blurred.sum().item<double>(), 1.0, 1e-5);
  EXPECT_NEAR(blurred[20][20].item<double>(), 1.0 / (2 * M_PI * 9.0), 2e-3);  // peak of a 2D Gaussian
  EXPECT_TRUE(at::equal(gaussian_blur(mask, 0.0), mask));
  EXPECT_TRUE(at::equal(gaussian_blur(mask, -1.0), mask));  // negative sigma: no blur, no crash
}

TEST(GaussianBlur, EveryRegionTakesTheWidestWindowOfTheRegionsProcessedTogether) {
  // A step edge blurred with sigma 1: a window of 7 (own sigma) cuts the
  // Gaussian's tails at 3 sigma, a window of 25 (sigma 4 beside it) keeps
  // them, which moves the normalised values slightly.
  at::Tensor step = at::zeros({9, 40}, at::kDouble);
  step.slice(1, 20, 40).fill_(1.0);
  const at::Tensor own = gaussian_blur(step, 1.0);
  const at::Tensor wide = gaussian_blur(step, 1.0, 4.0);
  EXPECT_FALSE(at::allclose(own, wide, 0.0, 1e-9)) << "the window did not change";
  EXPECT_NEAR((own - wide).abs().max().item<double>(), 0.0, 5e-3);

  at::Tensor painted = at::zeros({2, 16, 40});
  painted.select(2, 0).fill_(1.0);  // keeps region 0 non-empty
  painted[0].slice(1, 20, 40).fill_(1.0);
  painted[1].slice(0, 0, 2).fill_(1.0);
  const std::vector<RegionMaskParams> mixed = {{1.0, 1.0}, {4.0, 0.5}};
  const ProcessedMasks out = process_masks(painted, mixed, kLevels, MaskMode::Continuous, 1.0, 16, 40);
  const at::Tensor covered0 = apply_cover_alpha(painted.to(at::kDouble), 1.0)[0];
  EXPECT_TRUE(at::allclose(out.blurred[0], gaussian_blur(covered0, 1.0, 4.0), 0.0, 1e-12));
  EXPECT_FALSE(at::allclose(out.blurred[0], gaussian_blur(covered0, 1.0), 0.0, 1e-9));
  // Strength scales after the blur; `blurred` is kept before it.
  EXPECT_TRUE(at::allclose(out.strengthened[1], out.blurred[1] * 0.5, 0.0, 1e-12));
}

TEST(Quantise, DiscreteRegionsGrowAsNoiseFalls) {
  const at::Tensor masks = at::full({1, 1, 1}, 0.9);
  const at::Tensor q = quantise_masks(masks, kLevels, MaskMode::Discrete);
  ASSERT_EQ(q.sizes(), at::IntArrayRef({1, 5, 1, 1}));
  const std::vector<float> expected = {0, 0, 0, 1, 1};  // 0.9 > n_k only from 0.8499 on
  for (int k = 0; k < 5; ++k) EXPECT_EQ(q[0][k].item<float>(), expected[k]) << k;
}

TEST(Quantise, ContinuousRampsBetweenConsecutiveLevels) {
  const at::Tensor masks = at::full({1, 1, 1}, 0.2920);  // half of the last level
  const at::Tensor continuous = quantise_masks(masks, kLevels, MaskMode::Continuous);
  EXPECT_NEAR(continuous[0][4].item<float>(), 0.5, 1e-6);  // (0.292 - 0) / (0.584 - 0)
  EXPECT_EQ(continuous[0][3].item<float>(), 0.0f);
  const at::Tensor semi = quantise_masks(masks, kLevels, MaskMode::SemiContinuous);
  EXPECT_NEAR(semi[0][4].item<float>(), 0.5, 1e-6);
  EXPECT_EQ(semi[0][3].item<float>(), 0.0f);
}

TEST(ProcessMasks, ResizesCountsAndRefusesCanvasesNotMultipleOf8) {
  at::Tensor painted = at::zeros({2, 16, 16});
  painted[0].fill_(1.0);
  painted[1].slice(0, 0, 8).fill_(1.0);
  const std::vector<RegionMaskParams> params = {{0.0, 1.0}, {0.0, 1.0}};
  const ProcessedMasks out = process_masks(painted, params, kLevels, MaskMode::Discrete, 0.3, 32, 48);
  ASSERT_EQ(out.masks.sizes(), at::IntArrayRef({2, 5, 4, 6}));
  // Top half: region 0 is covered by region 1 (1.0 * 0.3 stays below every
  // noise level), so only region 1 is on; bottom half: region 0 alone.
  EXPECT_EQ(out.masks[0][4][0][0].item<float>(), 0.0f);
  EXPECT_EQ(out.masks[1][4][0][0].item<float>(), 1.0f);
  EXPECT_EQ(out.masks[0][0][3][0].item<float>(), 1.0f);
  EXPECT_EQ(out.masks[1][0][3][0].item<float>(), 0.0f);
  // The bilinear seam between them (region 1 at ~0.25 covers region 0 down to
  // 0.3, both below every level) is left to the background in discrete mode.
  EXPECT_EQ(out.count[4][0][0].item<double>(), 1.0);
  EXPECT_EQ(out.count[4][3][0].item<double>(), 1.0);
  EXPECT_EQ(out.background[4][2][0].item<double>(), 1.0);
  EXPECT_EQ(out.background.select(1, 0).sum().item<double>() + out.background.select(1, 1).sum().item<double>() +
                out.background.select(1, 3).sum().item<double>(),
            0.0);
  EXPECT_THROW(process_masks(painted, params, kLevels, MaskMode::Discrete, 0.3, 30, 48), c10::Error);
}

}  // namespace
}  // namespace semdraw::pipeline
