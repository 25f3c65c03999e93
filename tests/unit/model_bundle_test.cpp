#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "io/checkpoint_layout.h"
#include "nn/load_weights.h"
#include "pipeline/model_bundle.h"
#include "semdraw/engine/engine.h"
#include "semdraw/engine/make_model.h"
#include "support/tiny_model.h"

namespace semdraw::pipeline {
namespace {

namespace fs = std::filesystem;

TEST(ModelBundle, FolderAndSingleFileLoadToIdenticalParameters) {
  const fs::path dir = fs::temp_directory_path() / ("semdraw-layouts-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  MakeModelOptions make;
  make.preset = "tiny";
  make.seed = 3;
  make.out = (dir / "folder").string();
  make.single_file = (dir / "single.safetensors").string();
  make.resources_dir = SEMDRAW_SOURCE_DIR "/resources";
  make_model(make);

  ModelBundleOptions folder_options;
  folder_options.model = dir / "folder";
  ModelBundleOptions file_options;
  file_options.model = dir / "single.safetensors";
  file_options.resources_dir = SEMDRAW_SOURCE_DIR "/resources";
  // The single file carries no config: the SD1.5 configuration is assumed, so
  // a tiny single file must be refused with a message naming the file.
  try {
    load_model_bundle(file_options);
    FAIL() << "a tiny single file cannot load as SD1.5";
  } catch (const std::exception& error) {
    EXPECT_NE(std::string(error.what()).find("single.safetensors"), std::string::npos) << error.what();
  }
  // With the folder's own configs (as a converter would provide them), the
  // single file maps onto exactly the folder's parameters.
  const ModelBundle from_folder = load_model_bundle(folder_options);
  const io::StateDict canonical_folder = io::load_checkpoint(dir / "folder");
  const io::StateDict canonical_file = io::load_checkpoint(dir / "single.safetensors");
  ASSERT_EQ(canonical_folder.size(), canonical_file.size());
  for (const auto& [name, tensor] : canonical_folder) {
    ASSERT_TRUE(canonical_file.count(name)) << name;
    EXPECT_TRUE(at::equal(tensor, canonical_file.at(name))) << name;
  }
  // And what the folder loads into the networks is exactly its canonical weights.
  const io::StateDict unet_state = nn::module_state(*from_folder.unet, "unet.");
  for (const auto& [name, tensor] : unet_state) EXPECT_TRUE(at::equal(tensor, canonical_file.at(name))) << name;
  fs::remove_all(dir);
}

TEST(Engine, LoadsRendersAndStreamsThroughThePublicApi) {
  EngineOptions options;
  options.model = test::tiny_model_dir().string();
  options.device = "cpu";
  auto engine = Engine::load(options);
  EXPECT_EQ(engine->device_name(), "cpu");
  Scene scene;
  scene.width = 64;
  scene.height = 48;
  RegionSpec region;
  region.prompt = "";  // empty prompts are valid (the unconditional embedding)
  region.mask = {64, 48, std::vector<float>(64 * 48, 1.f)};
  scene.regions.push_back(region);
  const Frame still = engine->render(scene);
  EXPECT_EQ(still.width, 64);
  EXPECT_EQ(still.height, 48);
  EXPECT_EQ(still.rgb.size(), 64u * 48 * 3);

  engine->update(scene);
  const Frame first = engine->step();
  const Frame second = engine->step();
  EXPECT_EQ(second.id, first.id + 1);
  EXPECT_EQ(engine->stream_steps(), 5);
  EXPECT_GT(second.total_ms, 0);

  // Zero regions: the background alone, in both pipelines.
  scene.regions.clear();
  EXPECT_EQ(engine->render(scene).rgb.size(), 64u * 48 * 3);
  engine->update(scene);
  EXPECT_EQ(engine->step().rgb.size(), 64u * 48 * 3);

  // A bad scene is refused with the field named, and the stream keeps going.
  scene.width = 60;
  EXPECT_THROW(engine->update(scene), std::invalid_argument);
  EXPECT_EQ(engine->step().width, 64);
  scene.settings.vae = VaeChoice::Full;  // also when the bad scene asks for another decoder
  EXPECT_THROW(engine->update(scene), std::invalid_argument);
  EXPECT_EQ(engine->step().width, 64);
}

TEST(Engine, RenderReportsProgressAndCanBeCancelled) {
  EngineOptions options;
  options.model = test::tiny_model_dir().string();
  options.device = "cpu";
  auto engine = Engine::load(options);
  Scene scene;
  scene.width = 64;
  scene.height = 48;
  RegionSpec region;
  region.prompt = "a red eagle";
  region.mask = {64, 48, std::vector<float>(64 * 48, 1.f)};
  scene.regions.push_back(region);
  std::vector<double> fractions;
  const Frame full = engine->render(scene, [&](double f) {
    fractions.push_back(f);
    return true;
  });
  // One report per UNet call (5 steps, one tile), increasing to exactly 1.
  ASSERT_EQ(fractions.size(), 5u);
  for (size_t i = 1; i < fractions.size(); ++i) EXPECT_GT(fractions[i], fractions[i - 1]);
  EXPECT_DOUBLE_EQ(fractions.back(), 1.0);
  int calls = 0;
  EXPECT_THROW(engine->render(scene, [&](double) { return ++calls < 2; }), Cancelled);
  EXPECT_EQ(calls, 2) << "stops at the first refusal";
  // A cancelled render leaves nothing behind: the next one is the same picture.
  EXPECT_EQ(engine->render(scene).rgb, full.rgb);
}

TEST(Engine, UnknownDeviceAndMissingModelAreClearErrors) {
  EngineOptions options;
  options.model = test::tiny_model_dir().string();
  options.device = "tpu";
  EXPECT_THROW(Engine::load(options), std::runtime_error);
  options.device = "cpu";
  options.model = "/nonexistent/model";
  try {
    Engine::load(options);
    FAIL();
  } catch (const std::exception& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/model"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace semdraw::pipeline
