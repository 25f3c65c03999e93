// Loading a real-size model: a random SD1.5-shaped fp16 single-file
// checkpoint (~2 GB) made by our make-model. Prints the load time and the
// peak resident memory as JSON (docs/PERFORMANCE.md records them); asserts
// only generous bounds, since timings belong to benchmarks.
#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "nn/load_weights.h"
#include "pipeline/model_bundle.h"

namespace semdraw::pipeline {
namespace {

namespace fs = std::filesystem;

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

TEST(Sd15Load, SingleFileFp16CheckpointLoadsWithBoundedMemory) {
  const fs::path root = fs::path(SEMDRAW_BINARY_DIR) / "test-models";
  const fs::path file = root / "sd15-seed1.safetensors";
  if (!fs::exists(file)) {
    // make-model runs as a child process so its memory is not counted here.
    const fs::path folder = root / "sd15-seed1";
    fs::remove_all(folder);
    fs::create_directories(root);
    const std::string command = std::string(SEMDRAW_BINARY_DIR "/bin/semdraw-cli make-model --preset sd15 --seed 1 --out ") +
                                folder.string() + " --single-file " + file.string() + ".tmp > /dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    fs::rename(file.string() + ".tmp", file);
    fs::remove_all(folder);  // only the single file is kept (2 GB, not 4)
  }
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
  const at::Tensor out = bundle.unet->forward(at::randn({1, 4, 8, 8}), at::full({1}, 999, at::kLong),
                                              at::randn({1, 77, 768}));
  EXPECT_TRUE(at::isfinite(out).all().item<bool>());
}

}  // namespace
}  // namespace semdraw::pipeline
