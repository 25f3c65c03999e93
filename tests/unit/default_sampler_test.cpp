// Which sampler a model runs when the scene leaves it to the model
// (docs/ALGORITHM.md §12): Euler for a trailing Euler scheduler config or an
// SDXL-Lightning model/LoRA by name, LCM otherwise.
#include "pipeline/default_sampler.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
using semdraw::SamplerChoice;
using semdraw::pipeline::choose_default_sampler;

class DefaultSampler : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("semdraw_default_sampler_" + std::to_string(::getpid()) + "_" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(folder_ / "model" / "scheduler");
  }
  void TearDown() override { fs::remove_all(folder_); }
  void write_scheduler(const std::string& json) {
    std::ofstream(folder_ / "model" / "scheduler" / "scheduler_config.json") << json;
  }
  fs::path model() const { return folder_ / "model"; }
  fs::path folder_;
};

TEST_F(DefaultSampler, LcmWithoutAnyHint) {
  write_scheduler(R"({"_class_name": "LCMScheduler"})");
  const auto chosen = choose_default_sampler(model(), {"/loras/lcm-lora-sdxl.safetensors"});
  EXPECT_EQ(chosen.sampler, SamplerChoice::Lcm);
  EXPECT_FALSE(chosen.reason.empty());
}

TEST_F(DefaultSampler, EulerWhenTheSchedulerConfigIsTrailingEuler) {
  write_scheduler(R"({"_class_name": "EulerDiscreteScheduler", "timestep_spacing": "trailing"})");
  EXPECT_EQ(choose_default_sampler(model(), {}).sampler, SamplerChoice::EulerTrailing);
}

TEST_F(DefaultSampler, SdxlBasesLeadingEulerConfigStaysLcm) {
  // SDXL base ships a leading-spacing Euler config; with LCM-LoRA-SDXL it runs LCM.
  write_scheduler(R"({"_class_name": "EulerDiscreteScheduler", "timestep_spacing": "leading"})");
  EXPECT_EQ(choose_default_sampler(model(), {}).sampler, SamplerChoice::Lcm);
}

TEST_F(DefaultSampler, EulerForALightningLoraAndNamesIt) {
  const auto chosen =
      choose_default_sampler(model(), {"/x/style.safetensors", "/x/sdxl_lightning_4step_lora.safetensors"});
  EXPECT_EQ(chosen.sampler, SamplerChoice::EulerTrailing);
  EXPECT_NE(chosen.reason.find("sdxl_lightning_4step_lora.safetensors"), std::string::npos) << chosen.reason;
}

TEST_F(DefaultSampler, EulerForALightningCheckpointByName) {
  EXPECT_EQ(choose_default_sampler(folder_ / "SDXL-Lightning_8step.safetensors", {}).sampler,
            SamplerChoice::EulerTrailing);
}

}  // namespace
