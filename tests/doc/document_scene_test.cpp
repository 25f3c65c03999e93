#include "doc/document_scene.h"

#include <gtest/gtest.h>

#include "doc/document.h"

namespace semdraw::doc {

TEST(DocumentScene, CarriesEveryFieldAndMaskValue) {
  Document document(QSize(64, 32));
  document.set_background_prompt("a meadow");
  document.set_background_negative_prompt("blurry");
  document.settings().seed = 77;
  document.settings().mask_mode = MaskMode::Discrete;
  Region& sky = document.add_region("sky", "a blue sky");
  sky.negative_prompt = "birds";
  sky.prompt_strength = 0.5;
  sky.mask_strength = 0.75;
  sky.blur_sigma = 3.0;
  sky.enabled = false;
  sky.mask.scanLine(7)[5] = 255;
  sky.mask.scanLine(7)[6] = 128;

  const Scene scene = to_scene(document);
  EXPECT_EQ(scene.width, 64);
  EXPECT_EQ(scene.height, 32);
  EXPECT_EQ(scene.background.prompt, "a meadow");
  EXPECT_EQ(scene.background.negative_prompt, "blurry");
  EXPECT_TRUE(scene.background.image.empty());
  EXPECT_EQ(scene.settings.seed, 77u);
  EXPECT_EQ(scene.settings.mask_mode, MaskMode::Discrete);
  ASSERT_EQ(scene.regions.size(), 1u);
  const RegionSpec& spec = scene.regions[0];
  EXPECT_EQ(spec.prompt, "a blue sky");
  EXPECT_EQ(spec.negative_prompt, "birds");
  EXPECT_DOUBLE_EQ(spec.prompt_strength, 0.5);
  EXPECT_DOUBLE_EQ(spec.mask_strength, 0.75);
  EXPECT_DOUBLE_EQ(spec.blur_sigma, 3.0);
  EXPECT_FALSE(spec.enabled);
  ASSERT_EQ(spec.mask.width, 64);
  ASSERT_EQ(spec.mask.height, 32);
  EXPECT_FLOAT_EQ(spec.mask.values[7 * 64 + 5], 1.0f);
  EXPECT_FLOAT_EQ(spec.mask.values[7 * 64 + 6], 128.0f / 255.0f);
  EXPECT_FLOAT_EQ(spec.mask.values[0], 0.0f);
}

TEST(DocumentScene, BackgroundIsPackedRgbAtTheCanvasSize) {
  Document document(QSize(24, 16));  // 24*3 = 72 bytes per row: packed, unlike QImage's padding for odd sizes
  QImage picture(12, 8, QImage::Format_ARGB32);
  picture.fill(QColor(10, 200, 30));
  document.set_background(picture);
  const Scene scene = to_scene(document);
  ASSERT_EQ(scene.background.image.width, 24);
  ASSERT_EQ(scene.background.image.height, 16);
  ASSERT_EQ(scene.background.image.pixels.size(), 24u * 16u * 3u);
  const uint8_t* last = &scene.background.image.pixels[(15 * 24 + 23) * 3];
  EXPECT_EQ(last[0], 10);
  EXPECT_EQ(last[1], 200);
  EXPECT_EQ(last[2], 30);
  // And it passes the engine's own validation.
  Scene copy = scene;
  EXPECT_NO_THROW(validate_scene(copy));
}

TEST(DocumentScene, OddWidthRowsArePackedWithoutQtPadding) {
  const QSize size(5, 3);  // 15 bytes per row; QImage pads rows to 16
  QImage picture(size, QImage::Format_RGB888);
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 5; ++x) picture.setPixelColor(x, y, QColor(x * 10, y * 10, 7));
  const RgbImage rgb = to_rgb_image(picture, size);
  ASSERT_EQ(rgb.pixels.size(), 45u);
  EXPECT_EQ(rgb.pixels[(2 * 5 + 4) * 3 + 0], 40);
  EXPECT_EQ(rgb.pixels[(2 * 5 + 4) * 3 + 1], 20);
}

}  // namespace semdraw::doc
