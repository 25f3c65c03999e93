// The model-family registry (family/registry.cpp): which family takes which
// model, and that the parts it makes are its own.
#include "family/model_family.h"

#include <gtest/gtest.h>

#include "family/family_parts.h"
#include "support/tiny_model.h"

namespace semdraw::family {
namespace {

TEST(ModelFamily, EachTinyFolderIsRecognisedByItsOwnFamily) {
  EXPECT_EQ(family_of(test::tiny_model_dir(), io::CheckpointLayout::kDiffusersFolder).name(), "SD1.5");
  EXPECT_EQ(family_of(test::tiny_sdxl_model_dir(), io::CheckpointLayout::kDiffusersFolder).name(), "SDXL");
  // A single file is SD1.x (SDXL single files are refused by name before loading).
  EXPECT_EQ(family_of("/models/some.safetensors", io::CheckpointLayout::kSingleFile).name(), "SD1.5");
}

TEST(ModelFamily, SdxlPartsConditionOnThePooledEmbedding) {
  pipeline::ModelBundleOptions options;
  options.model = test::tiny_sdxl_model_dir();
  const pipeline::ModelBundle bundle = pipeline::load_model_bundle(options);
  ASSERT_NE(bundle.family, nullptr);
  EXPECT_EQ(bundle.family->name(), "SDXL");
  const FamilyParts parts = make_family_parts(bundle, bundle.unet);
  const pipeline::PromptConditioning text = parts.text->encode("a red eagle", "");
  ASSERT_TRUE(text.cond.pooled.defined()) << "SDXL's conditioner gives a pooled embedding";
  EXPECT_TRUE(text.uncond.embeds.abs().max().item<float>() == 0.f) << "an empty negative prompt is zeros for SDXL";
  // Its denoiser forms the added conditioning itself: the pipelines pass only
  // the conditioning and the view.
  const int64_t c = parts.denoiser->latent_channels();
  const at::Tensor out =
      (*parts.denoiser)(at::zeros({1, c, 8, 8}), at::full({1}, 999, at::kLong), text.cond, CanvasView{64, 64, 0, 0});
  EXPECT_EQ(out.sizes(), at::IntArrayRef({1, c, 8, 8}));
}

}  // namespace
}  // namespace semdraw::family
