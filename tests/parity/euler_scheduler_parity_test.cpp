// Euler (trailing) scheduler against diffusers' EulerDiscreteScheduler with
// timestep_spacing="trailing" (golden written by
// tests/reference/euler_scheduler_golden.py): timesteps and σ bit for bit for
// every step count 1..50 (σ_max is diffusers' init_noise_sigma), and the input
// scaling and ODE step of a 4-step run to 1e-6 relative (diffusers forms the
// step through x0 and a derivative; we add ε·dt, the paper's form).
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "io/safetensors.h"
#include "parity/golden_compare.h"
#include "sched/euler_scheduler.h"
#include "sched/lcm_scheduler.h"

namespace {

using namespace semdraw;

class EulerSchedulerParity : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto folder = semdraw::testing::golden_dir("scheduler");
    std::ifstream in(folder / "euler.json");
    ASSERT_TRUE(in) << "cannot open euler.json";
    golden_ = nlohmann::json::parse(in);
    tensors_ = io::load_safetensors(folder / "euler.safetensors");
  }
  nlohmann::json golden_;
  io::StateDict tensors_;
  sched::EulerScheduler scheduler_{sched::LcmScheduler().alphas_cumprod()};
};

TEST_F(EulerSchedulerParity, TimestepsAndSigmasMatchForEveryStepCount) {
  const auto& schedules = golden_.at("schedules");
  ASSERT_EQ(schedules.size(), 50u);
  for (const auto& [count, expected] : schedules.items()) {
    const sched::EulerSchedule schedule = scheduler_.schedule_for_steps(std::stoi(count));
    EXPECT_EQ(schedule.timesteps, expected.at("timesteps").get<std::vector<int64_t>>()) << count << " steps";
    std::vector<float> sigmas = schedule.sigmas;
    sigmas.push_back(0.f);  // diffusers lists the final σ = 0
    EXPECT_EQ(sigmas, expected.at("sigmas").get<std::vector<float>>()) << count << " steps";
    EXPECT_EQ(schedule.sigmas.front(), expected.at("init_noise_sigma").get<float>()) << count << " steps";
    for (size_t k = 0; k < schedule.size(); ++k) {
      EXPECT_EQ(schedule.dt[k], sigmas[k + 1] - sigmas[k]) << count << " steps, step " << k;
      const double sigma = sigmas[k];
      EXPECT_NEAR(schedule.levels[k], sigma / std::sqrt(sigma * sigma + 1.0), 1e-12);
    }
  }
}

TEST_F(EulerSchedulerParity, StreamIndicesPickTheLcmTimesteps) {
  // The live schedule's indices into 50 trailing steps are LCM's timesteps too.
  EXPECT_EQ(scheduler_.schedule_for_indices({0, 4, 12, 25, 37}).timesteps,
            (std::vector<int64_t>{999, 919, 759, 499, 259}));
  EXPECT_THROW(scheduler_.schedule_for_indices({0, 50}), std::invalid_argument);
  EXPECT_THROW(scheduler_.schedule_for_steps(0), std::invalid_argument);
}

TEST_F(EulerSchedulerParity, InputScalingAndStepsMatchAFourStepRun) {
  const sched::EulerSchedule schedule = scheduler_.schedule_for_steps(4);
  for (size_t k = 0; k < schedule.size(); ++k) {
    const std::string prefix = "step" + std::to_string(k) + ".";
    const at::Tensor sample = tensors_.at(prefix + "sample");
    const at::Tensor input = sched::EulerScheduler::scale_input(sample, schedule.sigmas[k]);
    EXPECT_LE(semdraw::testing::max_abs_error(prefix + "model_input", input, tensors_.at(prefix + "model_input")),
              1e-6);
    const at::Tensor next = sched::EulerScheduler::step(tensors_.at(prefix + "model_output"), sample, schedule.dt[k]);
    const at::Tensor expected = tensors_.at(prefix + "prev_sample");
    const double scale = expected.abs().max().item<double>();
    EXPECT_LE(semdraw::testing::max_abs_error(prefix + "prev_sample", next, expected) / scale, 1e-6);
  }
}

}  // namespace
