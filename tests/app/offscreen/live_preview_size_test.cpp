// The rule for the size Live streams at, and the document the stream sees at
// that size.
#include <gtest/gtest.h>

#include <QSettings>

#include "app/engine_bridge/live_preview.h"

namespace semdraw::app {
namespace {

TEST(LivePreviewSize, AutoIsFullOnAGpuAndAtMost256SquaredOnACpu) {
  EXPECT_EQ(live_preview_size(QSize(512, 512), LivePreview::Auto, true), QSize(512, 512));
  EXPECT_EQ(live_preview_size(QSize(512, 512), LivePreview::Auto, false), QSize(256, 256));
  EXPECT_EQ(live_preview_size(QSize(1024, 1024), LivePreview::Auto, false), QSize(256, 256));
  // Another shape keeps its shape, each side down to a multiple of 8.
  const QSize wide = live_preview_size(QSize(768, 512), LivePreview::Auto, false);
  EXPECT_EQ(wide, QSize(312, 208));
  EXPECT_LE(wide.width() * wide.height(), kCpuLivePreviewPixels);
  // Small canvases already fit: no preview.
  EXPECT_EQ(live_preview_size(QSize(256, 256), LivePreview::Auto, false), QSize(256, 256));
  EXPECT_EQ(live_preview_size(QSize(64, 64), LivePreview::Auto, false), QSize(64, 64));
}

TEST(LivePreviewSize, FixedChoicesIgnoreTheDeviceAndKeepTheLatentGrid) {
  for (bool gpu : {false, true}) {
    EXPECT_EQ(live_preview_size(QSize(512, 768), LivePreview::Full, gpu), QSize(512, 768));
    EXPECT_EQ(live_preview_size(QSize(512, 768), LivePreview::Half, gpu), QSize(256, 384));
    EXPECT_EQ(live_preview_size(QSize(512, 768), LivePreview::Quarter, gpu), QSize(128, 192));
  }
  EXPECT_EQ(live_preview_size(QSize(520, 520), LivePreview::Half, false), QSize(256, 256));   // 260 -> 256
  EXPECT_EQ(live_preview_size(QSize(128, 128), LivePreview::Quarter, false), QSize(64, 64));  // not 32: the floor
  EXPECT_EQ(live_preview_size(QSize(40, 40), LivePreview::Quarter, false), QSize(40, 40));    // never above the canvas
}

TEST(LivePreviewSize, TheStreamSeesMasksBackgroundAndBlurScaledTogether) {
  doc::Document document(QSize(512, 256));
  doc::Region& region = document.add_region("eagle", "a red eagle");
  region.blur_sigma = 8;
  region.mask.fill(0);
  for (int y = 0; y < 256; ++y)
    for (int x = 256; x < 512; ++x) region.mask.scanLine(y)[x] = 255;  // the right half
  QImage picture(100, 50, QImage::Format_RGB888);
  picture.fill(Qt::red);
  document.set_background(picture);
  document.set_background_prompt("a meadow");
  document.settings().seed = 42;

  const doc::Document small = scaled_for_preview(document, QSize(256, 128));
  ASSERT_EQ(small.canvas_size(), QSize(256, 128));
  ASSERT_EQ(small.regions().size(), 1u);
  const doc::Region& scaled = small.regions()[0];
  EXPECT_EQ(scaled.mask.size(), QSize(256, 128));
  EXPECT_EQ(scaled.mask.format(), QImage::Format_Grayscale8);
  EXPECT_EQ(scaled.mask.pixelColor(60, 64).value(), 0);
  EXPECT_EQ(scaled.mask.pixelColor(200, 64).value(), 255);
  EXPECT_DOUBLE_EQ(scaled.blur_sigma, 4.0) << "blur is in canvas pixels: half the canvas, half the blur";
  EXPECT_EQ(scaled.prompt, "a red eagle");
  EXPECT_EQ(small.background(), picture) << "the scene snapshot scales the picture to the canvas it gets";
  EXPECT_EQ(small.background_prompt(), "a meadow");
  EXPECT_EQ(small.seed(), 42u);
  // The full size, or no size, is the document as it is.
  EXPECT_EQ(scaled_for_preview(document, QSize()).canvas_size(), QSize(512, 256));
  EXPECT_EQ(scaled_for_preview(document, QSize(512, 256)).regions()[0].mask, document.regions()[0].mask);
}

TEST(LivePreviewSize, TheChoiceIsStoredAsAWordAndAnUnknownOneIsAuto) {
  store_live_preview(LivePreview::Quarter);
  EXPECT_EQ(QSettings().value("live/preview_size").toString(), "quarter");
  EXPECT_EQ(stored_live_preview(), LivePreview::Quarter);
  QSettings().setValue("live/preview_size", "huge");
  EXPECT_EQ(stored_live_preview(), LivePreview::Auto);
  QSettings().remove("live/preview_size");
  EXPECT_EQ(stored_live_preview(), LivePreview::Auto);
}

}  // namespace
}  // namespace semdraw::app
