// LCM scheduler against diffusers' LCMScheduler (golden written by
// tests/reference/scheduler_golden.py): timesteps exactly for every step
// count, and c_skip/c_out, denoised and prev_sample for N = 1..8 to 1e-6
// (relative to the magnitude of the values; x0 reaches ~50 at t = 999).
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "io/safetensors.h"
#include "parity/golden_compare.h"
#include "sched/lcm_scheduler.h"

namespace {

using namespace semdraw;

nlohmann::json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot open " + file.string());
  return nlohmann::json::parse(in);
}

// Error relative to max(1, |golden|) per element, so one bound fits values
// near 1 and values near 50.
double scaled_error(const at::Tensor& actual, const at::Tensor& expected) {
  return ((actual.to(at::kDouble) - expected.to(at::kDouble)).abs() / expected.to(at::kDouble).abs().clamp_min(1.0))
      .max()
      .item<double>();
}

class LcmSchedulerParity : public ::testing::Test {
 protected:
  void SetUp() override {
    golden_ = read_json(semdraw::testing::golden_dir("scheduler") / "lcm.json");
    tensors_ = io::load_safetensors(semdraw::testing::golden_dir("scheduler") / "lcm.safetensors");
  }
  nlohmann::json golden_;
  io::StateDict tensors_;
  sched::LcmScheduler scheduler_;
};

TEST_F(LcmSchedulerParity, AlphaTableMatches) {
  const double error = semdraw::testing::max_abs_error("scheduler alphas_cumprod", scheduler_.alphas_cumprod(),
                                                       tensors_.at("alphas_cumprod"));
  EXPECT_LE(error, 1e-7);
}

TEST_F(LcmSchedulerParity, TimestepsMatchForEveryStepCount) {
  const auto& by_steps = golden_.at("timesteps_by_steps");
  ASSERT_EQ(by_steps.size(), 50u);
  for (const auto& [steps, expected] : by_steps.items()) {
    EXPECT_EQ(scheduler_.timesteps_for_steps(std::stoi(steps)), expected.get<std::vector<int64_t>>())
        << steps << " steps";
  }
}

TEST_F(LcmSchedulerParity, StepsMatchForOneToEightSteps) {
  double worst_scaling = 0, worst_denoised = 0, worst_prev = 0;
  for (int n = 1; n <= 8; ++n) {
    const auto& run = golden_.at("runs").at(std::to_string(n));
    const std::vector<int64_t> timesteps = scheduler_.timesteps_for_steps(n);
    ASSERT_EQ(timesteps, run.at("timesteps").get<std::vector<int64_t>>()) << n << " steps";
    for (int k = 0; k < n; ++k) {
      const auto& expected = run.at("steps").at(k);
      const int64_t t = timesteps[k];
      const auto scalings = scheduler_.boundary_scalings(t);
      const double c_skip = expected.at("c_skip").get<double>(), c_out = expected.at("c_out").get<double>();
      worst_scaling = std::max({worst_scaling, std::abs(scalings.c_skip - c_skip) / std::max(c_skip, 1e-12),
                                std::abs(scalings.c_out - c_out)});

      const std::string prefix = "n" + std::to_string(n) + ".step" + std::to_string(k) + ".";
      const auto result = scheduler_.step(tensors_.at(prefix + "model_output"), t, tensors_.at(prefix + "sample"));
      worst_denoised = std::max(worst_denoised, scaled_error(result.denoised, tensors_.at(prefix + "denoised")));
      const int64_t next = k + 1 < n ? timesteps[k + 1] : -1;
      const at::Tensor prev = scheduler_.renoise(result.denoised, tensors_.at(prefix + "noise"), next);
      worst_prev = std::max(worst_prev, scaled_error(prev, tensors_.at(prefix + "prev_sample")));
    }
  }
  std::printf("[parity] scheduler c_skip (relative) / c_out max error %.3g\n", worst_scaling);
  std::printf("[parity] scheduler denoised max error %.3g, prev_sample %.3g (relative to max(1,|x|))\n", worst_denoised,
              worst_prev);
  EXPECT_LE(worst_scaling, 1e-6);
  EXPECT_LE(worst_denoised, 1e-6);
  EXPECT_LE(worst_prev, 1e-6);
}

TEST_F(LcmSchedulerParity, AddNoiseWithPerEntryTimesteps) {
  const auto timesteps = golden_.at("add_noise_timesteps").get<std::vector<int64_t>>();
  const at::Tensor noisy =
      scheduler_.add_noise(tensors_.at("add_noise.original"), tensors_.at("add_noise.noise"), timesteps);
  EXPECT_LE(semdraw::testing::max_abs_error("scheduler add_noise", noisy, tensors_.at("add_noise.noisy")), 1e-6);
}

}  // namespace
