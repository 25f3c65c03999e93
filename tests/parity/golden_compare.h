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
  const double error = (actual.to(at::kDouble) - expected.to(at::kDouble)).abs().max().item<double>();
  std::printf("[parity] %-40s max abs error %.3g (golden max |x| %.3g)\n", label.c_str(), error,
              expected.abs().max().item<double>());
  return error;
}

}  // namespace semdraw::testing
