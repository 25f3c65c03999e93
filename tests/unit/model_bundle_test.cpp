#include "pipeline/model_bundle.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "io/checkpoint_layout.h"
#include "nn/load_weights.h"
#include "semdraw/engine/device.h"
#include "semdraw/engine/engine.h"
#include "semdraw/model_maker/make_model.h"
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
  options.device = DeviceChoice::Cpu;
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
  options.device = DeviceChoice::Cpu;
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

// One region over the left half: the background shows on the right, so the
// stream's stock noise (which re-noises the background) matters.
Scene one_region_scene() {
  Scene scene;
  scene.width = 64;
  scene.height = 48;
  scene.background.prompt = "snowy mountains";
  RegionSpec region;
  region.prompt = "a red eagle";
  region.mask = {64, 48, std::vector<float>(64 * 48, 0.f)};
  for (int y = 0; y < 48; ++y)
    for (int x = 0; x < 32; ++x) region.mask.values[static_cast<size_t>(y * 64 + x)] = 1.f;
  scene.regions.push_back(region);
  return scene;
}

std::unique_ptr<Engine> tiny_cpu_engine() {
  EngineOptions options;
  options.model = test::tiny_model_dir().string();
  options.device = DeviceChoice::Cpu;
  return Engine::load(options);
}

TEST(Engine, AStreamStepInterruptedInsideTheUNetLeavesTheStreamAsItWas) {
  // Reference: frames of an engine that is never interrupted.
  auto reference = tiny_cpu_engine();
  reference->update(one_region_scene());
  std::vector<std::vector<uint8_t>> expected;
  for (int i = 0; i < 7; ++i) expected.push_back(reference->step().rgb);

  auto engine = tiny_cpu_engine();
  engine->update(one_region_scene());
  int asked = 0;
  bool stop = false;
  engine->set_interrupt([&] {
    ++asked;
    return stop;
  });
  for (int i = 0; i < 7; ++i) {
    if (i == 2 || i == 5) {
      // Stop in the middle of the UNet (after a few blocks), as closing does.
      const int before = asked;
      stop = false;
      int blocks = 0;
      engine->set_interrupt([&] {
        ++asked;
        return ++blocks > 3;
      });
      EXPECT_THROW(engine->step(), Cancelled) << "frame " << i;
      EXPECT_EQ(asked - before, 4) << "asked between blocks, stopped at the 4th";
      engine->set_interrupt([&] {
        ++asked;
        return stop;
      });
    }
    EXPECT_EQ(engine->step().rgb, expected[static_cast<size_t>(i)]) << "frame " << i;
  }
  EXPECT_GT(asked, 7 * 5) << "the UNet asks between its blocks on every call";
}

TEST(Engine, ARenderInterruptedInsideTheUNetThrowsCancelled) {
  auto engine = tiny_cpu_engine();
  const Frame full = engine->render(one_region_scene());
  int blocks = 0;
  engine->set_interrupt([&] { return ++blocks > 10; });
  EXPECT_THROW(engine->render(one_region_scene()), Cancelled);
  EXPECT_EQ(blocks, 11);
  engine->set_interrupt({});
  EXPECT_EQ(engine->render(one_region_scene()).rgb, full.rgb);
}

TEST(Engine, PrecisionAutoIsBf16OnCpusThatComputeItElseFp32) {
  EngineOptions options;
  options.model = test::tiny_model_dir().string();
  options.device = DeviceChoice::Cpu;
  EXPECT_EQ(Engine::load(options)->dtype_name(), cpu_computes_bf16_natively() ? "bf16" : "fp32");
  options.precision = Precision::Fp32;
  EXPECT_EQ(Engine::load(options)->dtype_name(), "fp32");
  options.precision = Precision::Bf16;
  auto bf16 = Engine::load(options);
  EXPECT_EQ(bf16->dtype_name(), "bf16");
  EXPECT_EQ(bf16->render(one_region_scene()).width, 64) << "the whole render runs in bf16 on the CPU";
  options.precision = Precision::Fp16;
  try {
    Engine::load(options);
    FAIL() << "fp16 on the CPU was accepted";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("fp16 needs a CUDA GPU"), std::string::npos) << error.what();
  }
  EXPECT_THROW(precision_from_name("double"), std::invalid_argument);
  EXPECT_EQ(precision_from_name(precision_name(Precision::Bf16)), Precision::Bf16);
  EXPECT_THROW(device_choice_from_name("gpu"), std::invalid_argument);
}

TEST(Engine, RunsAnSdxlFolderLiveAndOneShot) {
  // make-model's tiny SDXL (tests/parity/sdxl_pipeline_parity_test.cpp checks
  // the pipelines against diffusers; this is the engine around them).
  EngineOptions options;
  options.model = test::tiny_sdxl_model_dir().string();
  options.device = DeviceChoice::Cpu;
  options.precision = Precision::Fp32;
  auto engine = Engine::load(options);
  Scene scene = one_region_scene();
  const Frame eagle = engine->render(scene);
  EXPECT_EQ(eagle.width, 64);
  EXPECT_EQ(eagle.height, 48);
  scene.regions[0].prompt = "a blue whale";
  EXPECT_NE(engine->render(scene).rgb, eagle.rgb) << "the prompt does not reach the SDXL image";
  engine->update(scene);
  std::vector<uint8_t> first;
  for (int i = 0; i < engine->stream_steps(); ++i) {
    const Frame frame = engine->step();
    EXPECT_EQ(frame.width, 64);
    if (i == 0) first = frame.rgb;
  }
  EXPECT_NE(engine->step().rgb, first) << "the stream does not move";

  // The same model under SDXL-Lightning's sampler: its own default is LCM
  // (an LCM scheduler config, no Lightning LoRA), Euler is the scene's choice.
  EXPECT_EQ(engine->default_sampler(), SamplerChoice::Lcm);
  scene.settings.sampler = SamplerChoice::EulerTrailing;
  scene.settings.steps = 4;
  const Frame euler = engine->render(scene);
  EXPECT_EQ(euler.width, 64);
  EXPECT_NE(euler.rgb, engine
                           ->render([&] {
                             Scene lcm = scene;
                             lcm.settings.sampler = SamplerChoice::Lcm;
                             return lcm;
                           }())
                           .rgb)
      << "the sampler choice does not reach the one-shot";
  engine->update(scene);
  for (int i = 0; i < engine->stream_steps(); ++i) EXPECT_EQ(engine->step().height, 48);
}

TEST(Engine, UnknownDeviceAndMissingModelAreClearErrors) {
  EngineOptions options;
  options.model = test::tiny_model_dir().string();
  try {
    options.device = device_choice_from_name("tpu");
    FAIL() << "device 'tpu' was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("expected one of auto, cpu, cuda"), std::string::npos) << error.what();
  }
  options.device = DeviceChoice::Cpu;
  options.model = "/nonexistent/model";
  try {
    Engine::load(options);
    FAIL();
  } catch (const std::exception& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/model"), std::string::npos) << error.what();
  }
}

TEST(Engine, ACancelledLoadThrowsCancelledLikeACancelledRender) {
  EngineOptions options;
  options.model = test::tiny_model_dir().string();
  options.device = DeviceChoice::Cpu;
  int asked = 0;
  EXPECT_THROW(Engine::load(options, [&](const std::string&, double) { return ++asked < 2; }), Cancelled);
  EXPECT_EQ(asked, 2) << "the load went on after its progress said stop";
}

TEST(Engine, TheEnvironmentTurnsCudaGraphsOffOnlyWhereTheCallerAsks) {
  ::setenv("SEMDRAW_CUDA_GRAPHS", "0", 1);
  EngineOptions options;
  EXPECT_TRUE(options.cuda_graphs) << "the options read no environment by themselves";
  EXPECT_FALSE(with_environment(options).cuda_graphs);
  ::setenv("SEMDRAW_CUDA_GRAPHS", "1", 1);
  EXPECT_TRUE(with_environment(options).cuda_graphs);
  ::unsetenv("SEMDRAW_CUDA_GRAPHS");
}

}  // namespace
}  // namespace semdraw::pipeline
