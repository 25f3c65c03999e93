#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "semdraw/engine/scene.h"

namespace semdraw {
namespace {

Scene two_region_scene() {
  Scene scene;
  scene.width = 64;
  scene.height = 48;
  for (int i = 0; i < 2; ++i) {
    RegionSpec region;
    region.prompt = "region " + std::to_string(i);
    region.mask = {64, 48, std::vector<float>(64 * 48, 0.5f)};
    scene.regions.push_back(region);
  }
  return scene;
}

std::string error_of(Scene scene) {
  try {
    validate_scene(scene);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST(SceneValidation, AcceptsAPlainSceneWithoutWarnings) {
  Scene scene = two_region_scene();
  EXPECT_TRUE(validate_scene(scene).empty());
}

TEST(SceneValidation, RefusesSidesNotMultipleOf8AndSaysWhich) {
  Scene scene = two_region_scene();
  scene.width = 100;
  const std::string error = error_of(scene);
  EXPECT_NE(error.find("width 100"), std::string::npos) << error;
  EXPECT_NE(error.find("multiple of 8"), std::string::npos) << error;
  scene.width = 64;
  scene.height = 0;
  EXPECT_NE(error_of(scene).find("height 0"), std::string::npos);
}

TEST(SceneValidation, RefusesMoreThan64Regions) {
  Scene scene = two_region_scene();
  scene.regions.resize(65, scene.regions[0]);
  EXPECT_NE(error_of(scene).find("65 regions"), std::string::npos);
  scene.regions.resize(64);
  EXPECT_EQ(error_of(scene), "");
}

TEST(SceneValidation, NonFiniteSettingsNameTheField) {
  Scene scene = two_region_scene();
  scene.settings.guidance = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(error_of(scene).find("settings.guidance"), std::string::npos);
  scene = two_region_scene();
  scene.regions[1].blur_sigma = std::numeric_limits<double>::infinity();
  EXPECT_NE(error_of(scene).find("regions[1].blur_sigma"), std::string::npos);
  scene = two_region_scene();
  scene.regions[0].mask.values[7] = std::nanf("");
  EXPECT_NE(error_of(scene).find("regions[0].mask"), std::string::npos);
}

// Before, guidance 1e308 rendered an all-black image without a word and a blur
// sigma of 1e8 asked LibTorch for a kernel of 6e8 taps.
TEST(SceneValidation, AbsurdGuidanceIsRefusedAndAHugeBlurIsCappedWithAWarning) {
  Scene scene = two_region_scene();
  scene.settings.guidance = 1e308;
  EXPECT_NE(error_of(scene).find("settings.guidance"), std::string::npos);
  scene = two_region_scene();
  scene.settings.delta = -1e6;
  EXPECT_NE(error_of(scene).find("settings.delta"), std::string::npos);
  scene = two_region_scene();
  scene.settings.guidance = 30;  // high but meaningful
  EXPECT_EQ(error_of(scene), "");
  scene = two_region_scene();
  scene.regions[1].blur_sigma = 1e8;
  const auto warnings = validate_scene(scene);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("regions[1].blur_sigma"), std::string::npos) << warnings[0];
  EXPECT_EQ(scene.regions[1].blur_sigma, kMaxCanvasSide);
}

TEST(SceneValidation, NegativeSigmaAndStrengthsBecomeZeroWithAWarning) {
  Scene scene = two_region_scene();
  scene.regions[0].blur_sigma = -2;
  scene.regions[1].mask_strength = -0.5;
  scene.regions[1].prompt_strength = -1;
  const auto warnings = validate_scene(scene);
  EXPECT_EQ(warnings.size(), 3u);
  EXPECT_EQ(scene.regions[0].blur_sigma, 0.0);
  EXPECT_EQ(scene.regions[1].mask_strength, 0.0);
  EXPECT_EQ(scene.regions[1].prompt_strength, 0.0);
}

TEST(SceneValidation, MasksOfAnotherSizeAreResizedWithAWarningButMustBeWhole) {
  Scene scene = two_region_scene();
  scene.regions[0].mask = {32, 24, std::vector<float>(32 * 24, 1.0f)};
  const auto warnings = validate_scene(scene);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("resized"), std::string::npos);
  scene.regions[0].mask.values.pop_back();
  EXPECT_NE(error_of(scene).find("do not fill"), std::string::npos);
}

TEST(SceneValidation, ZeroRegionsIsAValidBackgroundOnlyScene) {
  Scene scene = two_region_scene();
  scene.regions.clear();
  EXPECT_EQ(error_of(scene), "");
}

TEST(SceneValidation, StepIndicesMustIncreaseInsideTheSchedule) {
  Scene scene = two_region_scene();
  scene.settings.step_indices = {0, 12, 4};
  EXPECT_NE(error_of(scene).find("step_indices"), std::string::npos);
  scene.settings.step_indices = {0, 50};
  EXPECT_NE(error_of(scene).find("step_indices"), std::string::npos);
}

}  // namespace
}  // namespace semdraw
