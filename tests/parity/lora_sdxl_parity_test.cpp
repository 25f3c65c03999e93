// LoRAs in sd-scripts' SDXL naming (lora_unet_input_blocks_*, middle_block_*,
// output_blocks_*, lora_te1_/lora_te2_; as SDXL-Lightning's LoRA has) against
// diffusers' StableDiffusionXLPipeline.load_lora_weights + fuse_lora(lora_scale=0.7)
// (tests/reference/lora_sdxl_golden.py) on the tiny SDXL (make-model --preset
// tiny-sdxl --seed 3: 2 levels, so its block indices differ from real SDXL's).
// Every weight the LoRA touches is compared with diffusers' fused weight; no
// key of the file may be left unmatched. Tolerance: fp32 on the CPU, max abs
// error <= 1e-4 per weight, as for the other LoRA parity tests.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "io/checkpoint_layout.h"
#include "io/lora.h"
#include "io/safetensors.h"
#include "parity/golden_compare.h"
#include "pipeline/model_bundle.h"
#include "support/tiny_model.h"

namespace {

using namespace semdraw;

std::filesystem::path lora_file() { return semdraw::testing::golden_dir("lora") / "sdxl_kohya.safetensors"; }
std::filesystem::path golden_file() { return semdraw::testing::golden_dir("lora") / "sdxl_golden.safetensors"; }

io::StateDict load_fp32(const std::filesystem::path& path) {
  io::LoadOptions fp32;
  fp32.dtype = at::kFloat;
  return io::load_safetensors(path, fp32);
}

TEST(LoraSdxlParity, SdScriptsNamesFuseEveryModuleAsDiffusersDoes) {
  const io::StateDict golden = io::load_safetensors(golden_file());
  const auto metadata = io::read_safetensors_header(golden_file()).metadata;
  const double scale = std::stod(metadata.at("scale"));
  ASSERT_DOUBLE_EQ(scale, 0.7);
  const io::StateDict lora = load_fp32(lora_file());
  ASSERT_EQ(std::to_string(lora.size()), metadata.at("lora_keys"))
      << "the LoRA is not the one the golden was made from";

  io::LoadOptions fp32;
  fp32.dtype = at::kFloat;
  io::StateDict weights = io::load_checkpoint(test::tiny_sdxl_model_dir(), fp32);
  const io::StateDict base = weights;  // the same tensors: fusing replaces the changed ones with new tensors
  const io::LoraReport report = io::fuse_lora(weights, lora, scale, lora_file().string());

  EXPECT_EQ(report.format, "kohya");
  EXPECT_TRUE(report.unmatched.empty()) << report.unmatched.size() << " unmatched keys, first "
                                        << (report.unmatched.empty() ? "" : report.unmatched.front());
  EXPECT_EQ(std::to_string(report.fused), metadata.at("modules"));
  ASSERT_EQ(static_cast<size_t>(report.fused), golden.size());

  double worst = 0.0;
  for (const auto& [name, expected] : golden) {
    const auto fused = weights.find(name);
    ASSERT_NE(fused, weights.end()) << name << " is not a weight of the tiny SDXL";
    worst = std::max(worst, semdraw::testing::max_abs_error("sdxl lora " + name, fused->second, expected));
    // Each module moved its weight far beyond the tolerance: an unapplied one cannot pass.
    EXPECT_GT((expected - base.at(name)).abs().max().item<double>(), 1e-2) << name;
  }
  EXPECT_LE(worst, 1e-4);
  std::printf("[parity] sdxl lora: %d weights, worst max abs error %.3g\n", report.fused, worst);
  // Nothing outside the golden changed.
  for (const auto& [name, tensor] : weights) {
    if (!golden.count(name)) EXPECT_TRUE(tensor.is_same(base.at(name))) << name << " changed";
  }
}

// The real loading path: load_model_bundle's note says every module fused and nothing ignored.
TEST(LoraSdxlParity, TheBundleReportsEveryModuleFusedAndNoKeyIgnored) {
  const auto metadata = io::read_safetensors_header(golden_file()).metadata;
  pipeline::ModelBundleOptions options;
  options.model = test::tiny_sdxl_model_dir();
  options.loras = {{lora_file(), 0.7}};
  const pipeline::ModelBundle bundle = pipeline::load_model_bundle(options);
  const auto note = std::find_if(bundle.notes.begin(), bundle.notes.end(), [](const std::string& n) {
    return n.find(lora_file().string()) != std::string::npos;
  });
  ASSERT_NE(note, bundle.notes.end());
  EXPECT_NE(note->find("(kohya, scale 0.7): fused into " + metadata.at("modules") + " weights"), std::string::npos)
      << *note;
  EXPECT_EQ(note->find("ignored"), std::string::npos) << *note;
}

}  // namespace
