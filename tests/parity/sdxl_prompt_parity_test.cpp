// SDXL prompt encoding against diffusers' StableDiffusionXLPipeline.encode_prompt
// (tests/reference/sdxl_prompt_golden.py) on the tiny SDXL model make-model
// writes (--preset tiny-sdxl --seed 3): an SDXL folder loads into the model
// bundle (second tokenizer and text encoder), and both text encoders together
// give diffusers' prompt embeddings and pooled embedding. Runs on
// SEMDRAW_TEST_DEVICE in SEMDRAW_TEST_DTYPE under kNetworkTolerance.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "family/sdxl_text_conditioner.h"
#include "io/safetensors.h"
#include "parity/golden_compare.h"
#include "parity/tiny_sdxl_bundle.h"
#include "pipeline/model_bundle.h"
#include "support/test_device.h"
#include "support/tiny_model.h"

namespace semdraw::pipeline {
namespace {

TEST(SdxlPromptParity, BothEncodersTogetherMatchDiffusersEncodePrompt) {
  ModelBundle bundle = load_tiny_sdxl_on_target();
  ASSERT_TRUE(bundle.text_encoder_2) << "the second text encoder was not loaded";
  ASSERT_TRUE(bundle.tokenizer_2);
  EXPECT_EQ(bundle.tokenizer_2->pad_id(), 0) << "SDXL's second tokenizer pads with '!' (id 0)";
  EXPECT_TRUE(bundle.unet->config().text_time());

  const auto folder = semdraw::testing::golden_dir("sdxl_prompt");
  const auto cases = nlohmann::json::parse(std::ifstream(folder / "prompts.json")).at("cases");
  const io::StateDict golden = io::load_safetensors(folder / "golden.safetensors");
  ASSERT_EQ(cases.size(), 5u);
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string prompt = cases[i].at("prompt");
    family::SdxlTextConditioner conditioner(bundle.tokenizer.get(), bundle.text_encoder, bundle.tokenizer_2.get(),
                                            bundle.text_encoder_2, bundle.device, bundle.dtype,
                                            cases[i].at("clip_skip").get<int>());
    const Conditioning got = conditioner.encode(prompt, "").cond;
    const std::string label = "sdxl prompt " + std::to_string(i);
    semdraw::testing::expect_close(label + " embeds", got.embeds, golden.at(std::to_string(i) + ".embeds"),
                                   semdraw::testing::kNetworkTolerance);
    semdraw::testing::expect_close(label + " pooled", got.pooled, golden.at(std::to_string(i) + ".pooled"),
                                   semdraw::testing::kNetworkTolerance);
  }
}

}  // namespace
}  // namespace semdraw::pipeline
