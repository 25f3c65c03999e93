// The engine options every engine-running subcommand shares.
#include "cli/engine_options.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "support/tiny_model.h"

namespace semdraw::cli {
namespace {

EngineOptions parse(std::vector<std::string> extra) {
  std::vector<std::string> raw = {"--model", test::tiny_model_dir().string()};
  raw.insert(raw.end(), extra.begin(), extra.end());
  return engine_options_from(Args(raw, engine_option_names()));
}

TEST(EngineOptionsFromArgs, CudaGraphsAreOnUnlessTurnedOff) {
  EXPECT_TRUE(parse({}).cuda_graphs);
  EXPECT_TRUE(parse({"--cuda-graphs", "on"}).cuda_graphs);
  EXPECT_FALSE(parse({"--cuda-graphs", "off"}).cuda_graphs);
}

TEST(EngineOptionsFromArgs, AnUnknownCudaGraphsValueIsNamed) {
  try {
    parse({"--cuda-graphs", "maybe"});
    FAIL() << "accepted --cuda-graphs maybe";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("--cuda-graphs must be on or off, got 'maybe'"), std::string::npos)
        << error.what();
  }
}

TEST(EngineOptionsFromArgs, DeviceAndLoraScale) {
  const EngineOptions options = parse({"--device", "cpu", "--lora", "style.safetensors:0.7"});
  EXPECT_EQ(options.device, DeviceChoice::Cpu);
  ASSERT_EQ(options.loras.size(), 1u);
  EXPECT_EQ(options.loras[0].first, "style.safetensors");
  EXPECT_DOUBLE_EQ(options.loras[0].second, 0.7);
}

}  // namespace
}  // namespace semdraw::cli
