#include "pipeline/region_ops.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

namespace semdraw::pipeline {
namespace {

TEST(MaskCentreShift, MovesTheBoundingBoxCentreToTheMiddle) {
  at::Tensor mask = at::zeros({8, 12});
  mask.slice(0, 1, 3).slice(1, 0, 2).fill_(1);  // rows 1..2, columns 0..1
  const auto [dy, dx] = mask_centre_shift(mask);
  // t=1,b=2 -> (1+2+1)/2 - 4 = -2; l=0,r=1 -> (0+1+1)/2 - 6 = -5
  EXPECT_EQ(dy, -2);
  EXPECT_EQ(dx, -5);
  // Rolling by the negated shift moves the box's centre to the latent centre.
  const at::Tensor centred = mask.roll({-dy, -dx}, {0, 1});
  EXPECT_EQ(centred[4][6].item<float>(), 1.0f);
}

TEST(MaskCentreShift, EmptyMaskUsesZeroBounds) {
  const auto [dy, dx] = mask_centre_shift(at::zeros({8, 12}));
  EXPECT_EQ(dy, (0 + 0 + 1) / 2 - 4);
  EXPECT_EQ(dx, (0 + 0 + 1) / 2 - 6);
}

TEST(RollEntries, ReverseUndoesForward) {
  const at::Tensor x = at::randn({3, 4, 8, 12});
  const std::vector<std::pair<int64_t, int64_t>> shifts = {{1, -2}, {0, 5}, {-3, 3}};
  const at::Tensor there = roll_entries(x, shifts, false);
  EXPECT_FALSE(at::equal(there, x));
  EXPECT_TRUE(at::equal(roll_entries(there, shifts, true), x));
  EXPECT_TRUE(at::equal(there[1], x[1].roll({0, 5}, {-2, -1})));
}

TEST(AggregateRegions, AveragesWhereRegionsOverlapAndFillsTheRestWithBackground) {
  const int64_t T = 2, p = 2, C = 4, h = 2, w = 3;
  at::Tensor denoised = at::empty({T, p, C, h, w});
  denoised.select(1, 0).fill_(1.0);
  denoised.select(1, 1).fill_(3.0);
  at::Tensor masks = at::zeros({p, T, h, w});
  masks[0].select(2, 0).fill_(1.0);  // region 0: column 0
  masks[1].select(2, 0).fill_(1.0);  // region 1: columns 0 and 1
  masks[1].select(2, 1).fill_(1.0);
  masks[1][1][0][2] = 0.25;  // a partial weight at step 1
  const at::Tensor background = at::full({T, C, h, w}, 10.0);
  const at::Tensor out = aggregate_regions(denoised, masks, background);
  ASSERT_EQ(out.sizes(), at::IntArrayRef({T, C, h, w}));
  EXPECT_FLOAT_EQ(out[0][0][0][0].item<float>(), 2.0f);   // (1 + 3) / 2
  EXPECT_FLOAT_EQ(out[0][0][0][1].item<float>(), 3.0f);   // region 1 only
  EXPECT_FLOAT_EQ(out[0][0][0][2].item<float>(), 10.0f);  // background
  // count 0.25: averaged = 3, bg = 0.75 -> 0.25*3 + 0.75*10
  EXPECT_FLOAT_EQ(out[1][2][0][2].item<float>(), 0.25f * 3.0f + 0.75f * 10.0f);
}

}  // namespace
}  // namespace semdraw::pipeline
