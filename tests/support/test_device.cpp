#include "support/test_device.h"

#include <ATen/Context.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace semdraw::test {

namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

TestTarget read_target() {
  TestTarget t;
  const std::string device = env_or("SEMDRAW_TEST_DEVICE", "cpu");
  if (device == "cuda") {
    if (!at::hasCUDA())
      throw std::runtime_error("SEMDRAW_TEST_DEVICE=cuda, but this build or machine has no usable CUDA GPU");
    t.device = at::Device(at::kCUDA, 0);
  } else if (device != "cpu") {
    throw std::runtime_error("SEMDRAW_TEST_DEVICE='" + device + "' is not one of cpu, cuda");
  }
  const std::string dtype = env_or("SEMDRAW_TEST_DTYPE", "fp32");
  if (dtype == "fp16") {
    t.dtype = at::kHalf;
  } else if (dtype == "bf16") {
    t.dtype = at::kBFloat16;
  } else if (dtype != "fp32") {
    throw std::runtime_error("SEMDRAW_TEST_DTYPE='" + dtype + "' is not one of fp32, fp16, bf16");
  }
  if (t.cuda()) {
    // See target() in the header: IEEE fp32 for the comparison with the goldens.
    at::globalContext().setAllowTF32CuBLAS(false);
    at::globalContext().setAllowTF32CuDNN(false);
  }
  return t;
}

}  // namespace

std::string TestTarget::name() const {
  return std::string(cuda() ? "cuda" : "cpu") + (half() ? " fp16" : bf16() ? " bf16" : " fp32");
}

const TestTarget& target() {
  static const TestTarget t = read_target();
  return t;
}

at::Tensor on_target(const at::Tensor& tensor) {
  if (at::isFloatingType(tensor.scalar_type())) return tensor.to(target().device, target().dtype);
  return tensor.to(target().device);
}

double Tolerance::pick(double scale) const {
  scale = std::max(1.0, scale);
  if (target().half()) return std::max(cpu_fp32, fp16 * scale);
  // bf16 keeps 8 mantissa bits to fp16's 11: eight times the rounding error.
  if (target().bf16()) return std::max(cpu_fp32, 8 * fp16 * scale);
  if (target().cuda()) return std::max(cpu_fp32, cuda_fp32 * scale);
  return cpu_fp32;
}

bool main_tests_already_half() { return target().half(); }

}  // namespace semdraw::test
