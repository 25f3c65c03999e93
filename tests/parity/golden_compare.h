#pragma once
// Shared by the network/scheduler parity tests: where the goldens live and how
// a result is compared with its golden (shapes first, then the max abs error,
// which is printed so the test log records the measured agreement).
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>

#include "support/test_device.h"

namespace semdraw::testing {

inline std::filesystem::path golden_dir(const std::string& topic) {
  return std::filesystem::path(SEMDRAW_SOURCE_DIR) / "tests" / "data" / topic;
}

// Max |actual − expected| over all elements; +inf when the shapes differ (and
// a test failure naming both shapes).
inline double max_abs_error(const std::string& label, const at::Tensor& actual, const at::Tensor& expected) {
  if (actual.sizes() != expected.sizes()) {
    ADD_FAILURE() << label << ": shape " << actual.sizes() << " but the golden is " << expected.sizes();
    return std::numeric_limits<double>::infinity();
  }
  const double error =
      (actual.to(at::kCPU, at::kDouble) - expected.to(at::kCPU, at::kDouble)).abs().max().item<double>();
  std::printf("[parity] %-40s max abs error %.3g (golden max |x| %.3g)\n", label.c_str(), error,
              expected.abs().max().item<double>());
  return error;
}

// For the device-aware suites: `actual` may live on any device in any dtype;
// the bound is `tolerance` picked for the test target (support/test_device.h)
// at the golden's scale. Returns the error.
inline double expect_close(const std::string& label, const at::Tensor& actual, const at::Tensor& expected,
                           const test::Tolerance& tolerance) {
  const double error = max_abs_error(label + " [" + test::target().name() + "]", actual, expected);
  const double bound = tolerance.pick(expected.abs().max().item<double>());
  EXPECT_LE(error, bound) << label << " on " << test::target().name();
  return error;
}

// UNet, CLIP text, VAE and TAESD outputs: max abs error against the golden.
//  cpu fp32: 1e-4 absolute.
//  cuda fp32: 1e-4 of max|golden| (see Tolerance).
//  fp16: 1e-2 of max|golden|. fp16 keeps 11 significant bits, so every op
//  rounds at up to 4.9e-4 relative; LibTorch accumulates matmuls, convolutions
//  and softmax in fp32, so the errors through these 10-40 layer networks stay
//  a few such roundings: measured on the CPU in fp16 (SEMDRAW_TEST_DTYPE=fp16),
//  1.3e-4 (TAESD encode) to 2.0e-3 (the tiny model's UNet) of max|golden|.
//  On CUDA, cuBLAS may also reduce in fp16 and SDPA picks flash/efficient
//  kernels with other rounding, hence 5x margin: 1e-2.
inline constexpr test::Tolerance kNetworkTolerance{1e-4, 1e-4, 1e-2};

}  // namespace semdraw::testing
