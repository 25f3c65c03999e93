// Numbers in scene files are read strictly and a syntax error says where it is
// (before, a width of 64.9 became 64, 4294967360 wrapped to 64, and a missing
// brace said only "not a JSON object").
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "cli/scene_file.h"

namespace semdraw::cli {
namespace {

namespace fs = std::filesystem;

fs::path write_text(const std::string& text) {
  const fs::path file =
      fs::temp_directory_path() / ("semdraw_scene_numbers_" + std::to_string(::getpid()) + "_" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".json");
  std::ofstream(file) << text;
  return file;
}

std::string refusal(const std::string& text) {
  const fs::path file = write_text(text);
  try {
    read_scene_file(file);
  } catch (const std::runtime_error& error) {
    fs::remove(file);
    return error.what();
  }
  fs::remove(file);
  return "";
}

TEST(SceneFileNumbers, AFractionalOrOversizedWidthIsRefusedNamingTheField) {
  for (const char* width : {"64.9", "4294967360", "-3000000000", "\"64\"", "true"}) {
    const std::string message = refusal(std::string(R"({"height": 64, "width": )") + width + "}");
    EXPECT_NE(message.find("width"), std::string::npos) << width << ": " << message;
  }
}

TEST(SceneFileNumbers, WholeNumbersWrittenAsFloatsStillRead) {
  const fs::path file = write_text(R"({"width": 64.0, "height": 1.28e2})");
  const Scene scene = read_scene_file(file);
  fs::remove(file);
  EXPECT_EQ(scene.width, 64);
  EXPECT_EQ(scene.height, 128);
}

TEST(SceneFileNumbers, ARegionStrengthMustBeAFiniteNumber) {
  const std::string message =
      refusal(R"({"width": 64, "height": 64, "regions": [{"prompt": "a", "prompt_strength": "strong"}]})");
  EXPECT_NE(message.find("regions[0].prompt_strength"), std::string::npos) << message;
}

TEST(SceneFileNumbers, ASyntaxErrorSaysWhereItIs) {
  const std::string message = refusal("{\n  \"width\": 64,\n  \"height\": 64\n");
  EXPECT_NE(message.find("not valid JSON"), std::string::npos) << message;
  EXPECT_NE(message.find("line 4"), std::string::npos) << message;
}

}  // namespace
}  // namespace semdraw::cli
