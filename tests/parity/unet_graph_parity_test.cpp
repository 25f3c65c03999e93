// The UNet replayed from CUDA graphs computes what it computes op by op: same
// tiny model, same inputs, several calls per shape (each replay gets new
// inputs copied into the captured ones) and two shapes. Needs a CUDA target
// (SEMDRAW_TEST_DEVICE=cuda; scripts/gpu-check.sh runs it); skipped on the CPU,
// where nothing is captured (tests/unit/graphed_call_test.cpp covers the policy).
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "pipeline/model_bundle.h"
#include "pipeline/unet_call.h"
#include "support/test_device.h"
#include "support/tiny_model.h"

namespace semdraw::pipeline {
namespace {

TEST(UNetGraphParity, ReplaysMatchEagerCallsOnTheTarget) {
  if (!test::target().cuda()) GTEST_SKIP() << "CUDA graphs need SEMDRAW_TEST_DEVICE=cuda";
  ModelBundleOptions options;
  options.model = test::tiny_model_dir();
  options.device = test::target().device;
  options.dtype = test::target().dtype;
  const ModelBundle models = load_model_bundle(options);
  const UNetCall eager(models.unet);
  const UNetCall graphed(models.unet, make_cuda_graph_backend(), {.capacity = 2, .capture_after = 1});
  const auto& config = models.unet->config();
  const auto floats = at::TensorOptions().device(options.device).dtype(options.dtype);

  at::NoGradGuard no_grad;
  at::manual_seed(11);
  double worst = 0, scale = 0;
  for (const int64_t batch : {5, 3}) {
    for (int call = 0; call < 4; ++call) {
      const at::Tensor sample = at::randn({batch, config.in_channels, 8, 8}, floats);
      const at::Tensor timesteps =
          at::randint(0, 1000, {batch}, at::TensorOptions().device(options.device).dtype(at::kLong));
      const at::Tensor context = at::randn({batch, 77, config.cross_attention_dim}, floats);
      const at::Tensor expected = eager(sample, timesteps, context).to(at::kFloat);
      const at::Tensor got = graphed(sample, timesteps, context).to(at::kFloat);
      ASSERT_EQ(got.sizes(), expected.sizes());
      worst = std::max(worst, (got - expected).abs().max().item<double>());
      scale = std::max(scale, expected.abs().max().item<double>());
    }
  }
  const GraphedCallStats stats = graphed.stats();
  std::printf(
      "[unet graphs %s] max abs difference replay vs eager %.3g (outputs up to %.3g); %lld eager, %lld captures, "
      "%lld replays\n",
      test::target().name().c_str(), worst, scale, static_cast<long long>(stats.eager),
      static_cast<long long>(stats.captures), static_cast<long long>(stats.replays));
  EXPECT_FALSE(stats.disabled) << "a capture failed";
  EXPECT_EQ(stats.captures, 2) << "one graph per shape";
  EXPECT_EQ(stats.replays, 6) << "the calls after each shape's first";
  // The same kernels on the same data: equal up to the few-ulp differences
  // of library algorithm choices between two launches.
  EXPECT_LE(worst, (test::target().reduced() ? 2e-3 : 1e-5) * std::max(scale, 1.0));
}

}  // namespace
}  // namespace semdraw::pipeline
