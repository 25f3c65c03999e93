// At the real SD1.5 / TAESD sizes, our modules have exactly the parameter
// names and shapes of the reference state dicts (written by
// tests/reference/networks_golden.py from diffusers/transformers), so real
// checkpoints load by name. Builds each full-size network once (~0.5 GB).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "nn/autoencoder_kl.h"
#include "nn/clip_text_encoder.h"
#include "nn/config_reader.h"
#include "nn/load_weights.h"
#include "nn/taesd.h"
#include "parity/golden_compare.h"

namespace {

using namespace semdraw;

struct Layout {
  nn::ConfigReader config;
  std::map<std::string, std::vector<int64_t>> tensors;
};

Layout read_layout(const std::string& topic) {
  const auto file = semdraw::testing::golden_dir(topic) / "sd15_layout.json";
  std::ifstream in(file);
  const nlohmann::json json = nlohmann::json::parse(in);
  return {nn::ConfigReader(json.at("config"), file.string() + " (config)"),
          json.at("tensors").get<std::map<std::string, std::vector<int64_t>>>()};
}

// Lists every difference (missing, extra, mis-shaped) in one failure.
void expect_same_layout(const torch::nn::Module& module, const Layout& layout,
                        const std::set<std::string>& ours_only = {}) {
  std::vector<std::string> problems;
  const io::StateDict state = nn::module_state(module);
  for (const auto& [name, tensor] : state) {
    if (ours_only.count(name)) continue;
    const auto found = layout.tensors.find(name);
    if (found == layout.tensors.end()) {
      problems.push_back("not in the reference: " + name);
    } else if (tensor.sizes().vec() != found->second) {
      problems.push_back("shape differs: " + name);
    }
  }
  for (const auto& [name, shape] : layout.tensors) {
    if (!state.count(name)) problems.push_back("missing here: " + name);
  }
  std::string text;
  for (const auto& problem : problems) text += "\n  " + problem;
  EXPECT_TRUE(problems.empty()) << problems.size() << " differences:" << text;
  EXPECT_GT(layout.tensors.size(), 100u);
}

TEST(Sd15Layout, ClipTextEncoderMatchesTransformers) {
  const Layout layout = read_layout("clip_text");
  nn::ClipTextEncoder encoder(nn::ClipTextConfig::from_reader(layout.config));
  const auto optional = nn::ClipTextEncoderImpl::optional_weights();
  expect_same_layout(*encoder, layout, {optional.begin(), optional.end()});
}

TEST(Sd15Layout, AutoencoderKLMatchesDiffusers) {
  const Layout layout = read_layout("vae");
  nn::AutoencoderKL vae(nn::AutoencoderKLConfig::from_reader(layout.config));
  EXPECT_EQ(vae->config().downscale_factor(), 8);
  expect_same_layout(*vae, layout);
}

TEST(Sd15Layout, TaesdMatchesDiffusers) {
  const Layout layout = read_layout("taesd");
  nn::Taesd taesd(nn::TaesdConfig::from_reader(layout.config));
  EXPECT_EQ(taesd->config().downscale_factor(), 8);
  expect_same_layout(*taesd, layout);
}

}  // namespace
