#include "pipeline/tiling.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

namespace semdraw::pipeline {
namespace {

at::Tensor coverage(int64_t h, int64_t w, const std::vector<TileView>& views) {
  at::Tensor sum = at::zeros({h, w});
  for (const auto& v : views) sum.slice(0, v.top, v.bottom).slice(1, v.left, v.right) += v.weight;
  return sum;
}

TEST(Tiling, OneViewWhenTheCanvasFits) {
  const auto views = tile_views(64, 48, 64);
  ASSERT_EQ(views.size(), 1u);
  EXPECT_TRUE(at::equal(views[0].weight, at::ones({64, 48})));
}

TEST(Tiling, WeightsSumToOneEverywhereForWideAndTallCanvases) {
  // 768x1920 and 512x2048 canvases with 512-pixel tiles, in latent pixels;
  // also odd windows and canvases that do not fall on the stride.
  const int64_t cases[][3] = {{96, 240, 64}, {64, 256, 64}, {18, 20, 8}, {21, 13, 7}, {64, 100, 64}};
  for (const auto& c : cases) {
    const auto views = tile_views(c[0], c[1], c[2]);
    EXPECT_GT(views.size(), 1u);
    const at::Tensor sum = coverage(c[0], c[1], views);
    EXPECT_LT((sum - 1).abs().max().item<float>(), 1e-6) << c[0] << "x" << c[1] << " window " << c[2];
    for (const auto& v : views) {
      EXPECT_LE(v.bottom - v.top, c[2]);
      EXPECT_LE(v.right - v.left, c[2]);
    }
  }
}

TEST(Tiling, StrideIsHalfAWindow) {
  const auto views = tile_views(8, 40, 16);
  ASSERT_EQ(views.size(), 4u);  // starts 0, 8, 16, 24
  EXPECT_EQ(views[1].left, 8);
  EXPECT_EQ(views[3].left, 24);
  EXPECT_EQ(views[3].right, 40);
}

}  // namespace
}  // namespace semdraw::pipeline
