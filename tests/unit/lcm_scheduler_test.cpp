// LCM scheduler against the check values of docs/ALGORITHM.md §1 and against its
// own formulas written out independently (in double precision).
#include "sched/lcm_scheduler.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace {

using semdraw::sched::LcmScheduler;

TEST(LcmScheduler, OriginalScheduleIs999DownTo19InStepsOf20) {
  const LcmScheduler scheduler;
  const std::vector<int64_t> timesteps = scheduler.original_timesteps();
  ASSERT_EQ(timesteps.size(), 50u);
  for (size_t i = 0; i < timesteps.size(); ++i) EXPECT_EQ(timesteps[i], 999 - 20 * static_cast<int64_t>(i));
}

TEST(LcmScheduler, DefaultStreamIndicesSelectDesignTimestepsAndNoiseLevels) {
  const LcmScheduler scheduler;
  const std::vector<int64_t> timesteps = scheduler.timesteps_for_indices({0, 4, 12, 25, 37});
  EXPECT_EQ(timesteps, (std::vector<int64_t>{999, 919, 759, 499, 259}));
  const std::vector<double> expected{0.9977, 0.9942, 0.9735, 0.8499, 0.5840};
  for (size_t i = 0; i < timesteps.size(); ++i) {
    EXPECT_NEAR(scheduler.noise_level(timesteps[i]), expected[i], 1e-4) << "t = " << timesteps[i];
  }
}

TEST(LcmScheduler, AlphaCumprodFollowsScaledLinearBetas) {
  const LcmScheduler scheduler;
  // ᾱ(t) = Π_{s<=t} (1 − β_s), β_s = (√0.00085 + s/999·(√0.012 − √0.00085))².
  double product = 1.0;
  for (int t = 0; t < 1000; ++t) {
    const double root = std::sqrt(0.00085) + t / 999.0 * (std::sqrt(0.012) - std::sqrt(0.00085));
    product *= 1.0 - root * root;
    // fp32 cumprod, as the reference: a few ulp per factor over 1000 factors.
    ASSERT_NEAR(scheduler.alpha_cumprod(t), product, 1e-4 * product) << "t = " << t;
  }
}

TEST(LcmScheduler, BoundaryScalingsUseScaledTimestepAndSigmaData) {
  const LcmScheduler scheduler;
  for (int64_t t : {0, 19, 259, 999}) {
    const double scaled = 10.0 * static_cast<double>(t);
    const double c_skip = 0.25 / (scaled * scaled + 0.25);
    const double c_out = scaled / std::sqrt(scaled * scaled + 0.25);
    const auto scalings = scheduler.boundary_scalings(t);
    EXPECT_NEAR(scalings.c_skip, c_skip, 1e-6 * c_skip + 1e-12) << "t = " << t;
    EXPECT_NEAR(scalings.c_out, c_out, 1e-6) << "t = " << t;
  }
  // t = 0 is the boundary itself: the model output is ignored.
  EXPECT_FLOAT_EQ(scheduler.boundary_scalings(0).c_skip, 1.0f);
  EXPECT_FLOAT_EQ(scheduler.boundary_scalings(0).c_out, 0.0f);
}

TEST(LcmScheduler, StepFollowsDesignFormula) {
  const LcmScheduler scheduler;
  at::manual_seed(3);
  const at::Tensor x = at::randn({2, 4, 3, 3}, at::kDouble);
  const at::Tensor eps = at::randn({2, 4, 3, 3}, at::kDouble);
  const int64_t t = 499;
  const double alpha = scheduler.alpha_cumprod(t);
  const auto s = scheduler.boundary_scalings(t);
  const at::Tensor x0 = (x - std::sqrt(1 - alpha) * eps) / std::sqrt(alpha);
  const at::Tensor denoised = s.c_out * x0 + s.c_skip * x;
  const auto result = scheduler.step(eps, t, x);
  // The per-timestep scalars are fp32 (as in the reference): ~1e-7 relative.
  EXPECT_LT((result.x0 - x0).abs().max().item<double>(), 1e-5);
  EXPECT_LT((result.denoised - denoised).abs().max().item<double>(), 1e-5);
}

TEST(LcmScheduler, PerEntryTimestepsMatchSingleTimestepCalls) {
  const LcmScheduler scheduler;
  at::manual_seed(4);
  const at::Tensor x = at::randn({3, 4, 5, 5});
  const at::Tensor eps = at::randn({3, 4, 5, 5});
  const at::Tensor noise = at::randn({3, 4, 5, 5});
  const std::vector<int64_t> timesteps{999, 499, 19};
  const auto batched = scheduler.step(eps, timesteps, x);
  const at::Tensor noised = scheduler.add_noise(x, noise, timesteps);
  for (int64_t i = 0; i < 3; ++i) {
    const auto single = scheduler.step(eps[i], timesteps[i], x[i]);
    EXPECT_TRUE(at::allclose(batched.denoised[i], single.denoised, 1e-6, 1e-5)) << "entry " << i;
    EXPECT_TRUE(at::allclose(noised[i], scheduler.add_noise(x[i], noise[i], timesteps[i]), 1e-6, 1e-6));
  }
}

TEST(LcmScheduler, HalfPrecisionInputsKeepTheirDtype) {
  const LcmScheduler scheduler;
  at::manual_seed(5);
  const at::Tensor x = at::randn({1, 4, 4, 4});
  const at::Tensor eps = at::randn({1, 4, 4, 4});
  const auto half = scheduler.step(eps.to(at::kHalf), 759, x.to(at::kHalf));
  EXPECT_EQ(half.denoised.scalar_type(), at::kHalf);
  const auto full = scheduler.step(eps.to(at::kHalf).to(at::kFloat), 759, x.to(at::kHalf).to(at::kFloat));
  // Computed in fp32 inside; only the final rounding to fp16 differs.
  EXPECT_TRUE(at::allclose(half.denoised.to(at::kFloat), full.denoised, 2e-3, 2e-3));
}

TEST(LcmScheduler, RenoiseAfterLastStepReturnsDenoised) {
  const LcmScheduler scheduler;
  const at::Tensor denoised = at::ones({1, 4, 2, 2});
  EXPECT_TRUE(scheduler.renoise(denoised, at::zeros_like(denoised), -1).equal(denoised));
  const at::Tensor renoised = scheduler.renoise(denoised, at::zeros_like(denoised), 259);
  EXPECT_NEAR(renoised.max().item<double>(), std::sqrt(scheduler.alpha_cumprod(259)), 1e-6);
}

TEST(LcmScheduler, RejectsImpossibleRequests) {
  const LcmScheduler scheduler;
  EXPECT_THROW(scheduler.timesteps_for_steps(0), std::invalid_argument);
  EXPECT_THROW(scheduler.timesteps_for_steps(51), std::invalid_argument);
  EXPECT_THROW(scheduler.timesteps_for_indices({0, 50}), std::invalid_argument);
  EXPECT_THROW(scheduler.timesteps_for_indices({-1}), std::invalid_argument);
  EXPECT_THROW(scheduler.alpha_cumprod(1000), std::invalid_argument);
  EXPECT_THROW(scheduler.step(at::zeros({2, 4}), std::vector<int64_t>{999}, at::zeros({2, 4})), std::invalid_argument);
}

}  // namespace
