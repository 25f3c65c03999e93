// A real-size model: a random SD1.5-shaped fp16 single-file checkpoint
// (~2 GB) made by our make-model. Prints the load time and peak resident
// memory, and how long a stop waits inside a CPU UNet call, as JSON
// (docs/PERFORMANCE.md records them); asserts only generous bounds, since
// timings belong to benchmarks.
#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "nn/load_weights.h"
#include "pipeline/model_bundle.h"
#include "support/made_once.h"

namespace semdraw::pipeline {
namespace {

namespace fs = std::filesystem;

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// The random SD1.5-shaped fp16 single file, made on first use (once: both
// tests of this file start at the same time under ctest -j).
fs::path sd15_file() {
  const fs::path file = fs::path(SEMDRAW_BINARY_DIR) / "test-models" / "sd15-seed1.safetensors";
  return semdraw::test::made_once(file, [](const fs::path& scratch) {
    // make-model runs as a child process so its memory is not counted here;
    // its diffusers folder is a by-product (only the single file is kept: 2 GB, not 4).
    const fs::path folder = scratch.string() + "-folder";
    fs::remove_all(folder);
    const std::string command =
        std::string(SEMDRAW_BINARY_DIR "/bin/semdraw-cli make-model --preset sd15 --seed 1 --out ") + folder.string() +
        " --single-file " + scratch.string() + " > /dev/null";
    const int status = std::system(command.c_str());
    fs::remove_all(folder);
    if (status != 0) throw std::runtime_error("failed (" + std::to_string(status) + "): " + command);
  });
}

TEST(Sd15Load, SingleFileFp16CheckpointLoadsWithBoundedMemory) {
  const fs::path file = sd15_file();
  const double file_mib = static_cast<double>(fs::file_size(file)) / (1024.0 * 1024.0);
  const double rss_before = peak_rss_mib();

  ModelBundleOptions options;
  options.model = file;
  options.resources_dir = SEMDRAW_SOURCE_DIR "/resources";
  const auto start = std::chrono::steady_clock::now();
  ModelBundle bundle = load_model_bundle(options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  int64_t parameters = 0;
  for (const auto* module : std::initializer_list<const torch::nn::Module*>{
           bundle.unet.get(), bundle.text_encoder.get(), bundle.vae.get()}) {
    for (const auto& p : module->parameters()) parameters += p.numel();
  }
  const double rss = peak_rss_mib();
  std::printf("%s\n", nlohmann::json{{"benchmark", "sd15_single_file_load"},
                                     {"file_mib", file_mib},
                                     {"dtype_in_file", "fp16"},
                                     {"engine_dtype", "fp32 (CPU)"},
                                     {"load_seconds", seconds},
                                     {"peak_rss_mib", rss},
                                     {"rss_before_mib", rss_before},
                                     {"parameters", parameters}}
                          .dump()
                          .c_str());
  EXPECT_EQ(parameters, 859520964 + 123060480 + 83653863) << "UNet + CLIP text + VAE of SD1.5";
  // fp32 modules are 4.3 GB; anything near 3x that means a copy too many.
  EXPECT_LT(rss, 12 * 1024.0);

  // A tiny forward pass through the real-size UNet proves the weights are wired.
  at::NoGradGuard no_grad;
  const at::Tensor out =
      bundle.unet->forward(at::randn({1, 4, 8, 8}), at::full({1}, 999, at::kLong), at::randn({1, 77, 768}));
  EXPECT_TRUE(at::isfinite(out).all().item<bool>());
}

TEST(Sd15Interrupt, AStopIsHeardWithinOneUNetLayer) {
  // How long "stop" (Live off, Cancel, closing) waits on a CPU: the longest
  // gap between two of the UNet's between-layer checks, over one live-stream
  // call at 512x512 with one region (a batch of 5 latents).
  ModelBundleOptions options;
  options.model = sd15_file();
  options.resources_dir = SEMDRAW_SOURCE_DIR "/resources";
  ModelBundle bundle = load_model_bundle(options);
  at::NoGradGuard no_grad;
  const at::Tensor sample = at::randn({5, 4, 64, 64});
  const at::Tensor timesteps = at::tensor(std::vector<int64_t>{999, 759, 499, 259, 19});
  const at::Tensor context = at::randn({5, 77, 768});

  using Clock = std::chrono::steady_clock;
  std::vector<double> gaps_ms;
  Clock::time_point last = Clock::now();
  const Clock::time_point start = last;
  bundle.unet->set_between_layers([&] {
    const auto now = Clock::now();
    gaps_ms.push_back(std::chrono::duration<double, std::milli>(now - last).count());
    last = now;
  });
  bundle.unet->forward(sample, timesteps, context);
  gaps_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - last).count());  // after the last check
  const double call_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  const double longest = *std::max_element(gaps_ms.begin(), gaps_ms.end());
  std::printf("%s\n", nlohmann::json{{"benchmark", "sd15_cpu_stop_latency"},
                                     {"unet_call_ms", call_ms},
                                     {"checks", gaps_ms.size() - 1},
                                     {"longest_gap_ms", longest}}
                          .dump()
                          .c_str());
  EXPECT_EQ(gaps_ms.size() - 1, 38u) << "SD1.5: a check before each of its 38 resnets and transformers";
  EXPECT_LT(longest, call_ms / 4) << "one layer holds a stop for a large part of the call";

  // And a stop really ends the call there.
  struct Stop {};
  int checks = 0;
  bundle.unet->set_between_layers([&] {
    if (++checks == 10) throw Stop{};
  });
  EXPECT_THROW(bundle.unet->forward(sample, timesteps, context), Stop);
  EXPECT_EQ(checks, 10);
}

}  // namespace
}  // namespace semdraw::pipeline
