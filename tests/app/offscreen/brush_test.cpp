// Brush dabs on a mask: hardness falloff, opacity, pressure and erasing.
#include "app/canvas/brush.h"

#include <gtest/gtest.h>

namespace semdraw::app {
namespace {

QImage empty_mask() {
  QImage mask(64, 64, QImage::Format_Grayscale8);
  mask.fill(0);
  return mask;
}
int at(const QImage& mask, int x, int y) { return mask.constScanLine(y)[x]; }

TEST(Brush, FalloffIsFullInsideTheHardCoreAndZeroAtTheRim) {
  EXPECT_EQ(dab_falloff(0.0, 0.5), 1.0);
  EXPECT_EQ(dab_falloff(0.5, 0.5), 1.0);
  EXPECT_GT(dab_falloff(0.75, 0.5), 0.0);
  EXPECT_LT(dab_falloff(0.75, 0.5), 1.0);
  EXPECT_GT(dab_falloff(0.6, 0.5), dab_falloff(0.9, 0.5));
  EXPECT_EQ(dab_falloff(1.0, 0.5), 0.0);
}

TEST(Brush, PressureScalesSizeAndOpacity) {
  const BrushSettings brush{20.0, 1.0, 1.0};
  QImage full = empty_mask(), half = empty_mask();
  stroke_segment(full, {32, 32}, 1.0, {32, 32}, 1.0, brush, BrushMode::Paint);
  stroke_segment(half, {32, 32}, 0.5, {32, 32}, 0.5, brush, BrushMode::Paint);
  EXPECT_EQ(at(full, 32, 32), 255);
  EXPECT_EQ(at(half, 32, 32), 128);  // opacity 0.5
  EXPECT_EQ(at(full, 39, 32), 255);  // inside radius 10
  EXPECT_EQ(at(half, 39, 32), 0);    // outside radius 5
}

TEST(Brush, OverlappingDabsOfOneStrokeDoNotBuildUp) {
  const BrushSettings brush{16.0, 1.0, 0.4};
  QImage mask = empty_mask();
  const QRect changed = stroke_segment(mask, {10, 32}, 1.0, {50, 32}, 1.0, brush, BrushMode::Paint);
  EXPECT_EQ(at(mask, 30, 32), 102);  // 0.4 * 255, not more
  EXPECT_TRUE(changed.contains(QPoint(30, 32)));
  EXPECT_FALSE(changed.contains(QPoint(30, 50)));
}

TEST(Brush, EraserLowersCoverage) {
  QImage mask = empty_mask();
  mask.fill(255);
  stroke_segment(mask, {32, 32}, 1.0, {32, 32}, 1.0, {10.0, 1.0, 1.0}, BrushMode::Erase);
  EXPECT_EQ(at(mask, 32, 32), 0);
  EXPECT_EQ(at(mask, 2, 2), 255);
}

}  // namespace
}  // namespace semdraw::app
