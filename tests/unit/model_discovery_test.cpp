#include "semdraw/engine/model_discovery.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace semdraw {
namespace {

namespace fs = std::filesystem;

class ModelDiscovery : public testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("semdraw-discovery-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "models");
    fs::create_directories(root_ / "hub");
    unsetenv("SEMDRAW_MODEL");
    setenv("HF_HUB_CACHE", (root_ / "hub").c_str(), 1);
  }
  void TearDown() override {
    unsetenv("HF_HUB_CACHE");
    unsetenv("SEMDRAW_MODEL");
    fs::remove_all(root_);
  }
  fs::path make_pipeline(const fs::path& dir) {
    fs::create_directories(dir);
    std::ofstream(dir / "model_index.json") << "{}";
    return dir;
  }
  fs::path make_file(const fs::path& file) {
    std::ofstream(file) << "x";
    return file;
  }
  fs::path root_;
};

TEST_F(ModelDiscovery, FollowsTheDocumentedOrder) {
  const fs::path hub = make_pipeline(root_ / "hub/models--someone--sd15/snapshots/abc");
  EXPECT_EQ(discover_model(std::nullopt, root_ / "models")->path, hub);

  const fs::path single = make_file(root_ / "models/dreamshaper.safetensors");
  make_file(root_ / "models/lcm-lora-sdv1-5.safetensors");  // a LoRA is not a model
  EXPECT_EQ(discover_model(std::nullopt, root_ / "models")->path, single);

  const fs::path folder = make_pipeline(root_ / "models/my-sd15");
  EXPECT_EQ(discover_model(std::nullopt, root_ / "models")->path, folder);

  const fs::path env = make_pipeline(root_ / "elsewhere");
  setenv("SEMDRAW_MODEL", env.c_str(), 1);
  auto found = discover_model(std::nullopt, root_ / "models");
  EXPECT_EQ(found->path, env);
  EXPECT_EQ(found->source, "SEMDRAW_MODEL");

  found = discover_model(single, root_ / "models");
  EXPECT_EQ(found->path, single);
  EXPECT_EQ(found->source, "argument");
  EXPECT_EQ(find_models(single, root_ / "models").size(), 5u);
}

TEST_F(ModelDiscovery, NothingFoundIsNotAnError) {
  EXPECT_FALSE(discover_model(std::nullopt, root_ / "models").has_value());
  EXPECT_FALSE(discover_model(std::nullopt, root_ / "does-not-exist").has_value());
}

TEST_F(ModelDiscovery, AMistypedExplicitPathIsAnErrorNamingIt) {
  try {
    discover_model(root_ / "models/typo", root_ / "models");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("typo"), std::string::npos) << error.what();
  }
  setenv("SEMDRAW_MODEL", (root_ / "nope.ckpt").c_str(), 1);
  EXPECT_THROW(discover_model(std::nullopt, root_ / "models"), std::runtime_error);
}

// Before, a .ckpt given with --model got "neither a diffusers folder nor a
// .safetensors file"; now it gets the pickle explanation --lora gives.
TEST_F(ModelDiscovery, APickleCheckpointIsRefusedWithThePickleExplanation) {
  const fs::path checkpoint = make_file(root_ / "models" / "v1-5-pruned.ckpt");
  try {
    discover_model(checkpoint, root_ / "models");
    FAIL() << "accepted a .ckpt";
  } catch (const std::runtime_error& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find("v1-5-pruned.ckpt"), std::string::npos) << what;
    EXPECT_NE(what.find("pickle"), std::string::npos) << what;
  }
}

TEST_F(ModelDiscovery, AMissingPathSaysItDoesNotExist) {
  try {
    discover_model(root_ / "models" / "gone", root_ / "models");
    FAIL() << "accepted a missing path";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("does not exist"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace semdraw
