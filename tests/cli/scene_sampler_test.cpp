// The sampler in scene files and on the command line (docs/SCENE_FORMAT.md).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "cli/scene_file.h"

namespace semdraw::cli {
namespace {

namespace fs = std::filesystem;

fs::path write_scene(const std::string& settings) {
  const fs::path file =
      fs::temp_directory_path() / ("semdraw_scene_sampler_" + std::to_string(::getpid()) + "_" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".json");
  std::ofstream(file) << R"({"width": 64, "height": 64, "settings": )" << settings << "}";
  return file;
}

TEST(SceneSampler, ReadsEachSpellingAndDefaultsToTheModels) {
  EXPECT_EQ(read_scene_file(write_scene("{}")).settings.sampler, SamplerChoice::ModelDefault);
  EXPECT_EQ(read_scene_file(write_scene(R"({"sampler": "lcm"})")).settings.sampler, SamplerChoice::Lcm);
  EXPECT_EQ(read_scene_file(write_scene(R"({"sampler": "euler-trailing"})")).settings.sampler,
            SamplerChoice::EulerTrailing);
  EXPECT_EQ(read_scene_file(write_scene(R"({"sampler": "model"})")).settings.sampler, SamplerChoice::ModelDefault);
}

TEST(SceneSampler, AnUnknownSamplerNamesTheFieldAndTheChoices) {
  try {
    read_scene_file(write_scene(R"({"sampler": "ddim"})"));
    FAIL() << "accepted sampler ddim";
  } catch (const std::runtime_error& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find("settings.sampler"), std::string::npos) << what;
    EXPECT_NE(what.find("lcm, euler-trailing"), std::string::npos) << what;
  }
  EXPECT_THROW(parse_sampler("--sampler", "euler"), std::runtime_error);
  EXPECT_EQ(parse_sampler("--sampler", "euler-trailing"), SamplerChoice::EulerTrailing);
}

TEST(SceneSampler, WrittenSettingsReadBackAndNameTheResolvedSampler) {
  GenerationSettings settings;
  settings.sampler = SamplerChoice::EulerTrailing;
  EXPECT_EQ(settings_to_json(settings).at("sampler"), "euler-trailing");
  const GenerationSettings back = read_scene_file(write_scene(settings_to_json(settings).dump())).settings;
  EXPECT_EQ(back, settings);
  settings.sampler = SamplerChoice::ModelDefault;
  EXPECT_EQ(resolved_sampler_name(settings, SamplerChoice::EulerTrailing), "euler-trailing");
  EXPECT_EQ(resolved_sampler_name(settings, SamplerChoice::Lcm), "lcm");
}

}  // namespace
}  // namespace semdraw::cli
