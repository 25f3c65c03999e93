#pragma once
// Where the device-aware parity tests (UNet, CLIP text, VAE, TAESD, stream and
// one-shot pipelines) run, chosen by the environment:
//
//   SEMDRAW_TEST_DEVICE = cpu (default) | cuda
//   SEMDRAW_TEST_DTYPE  = fp32 (default) | fp16 | bf16
//
// Unset, they run on the CPU in fp32, exactly the configuration the goldens
// were made in, with the tolerances each test states. Other targets
// compare with the same goldens under looser, stated bounds (Tolerance).
// The remaining parity suites (tokenizer, file formats, scheduler tables,
// mask processing, LoRA fusion, checkpoint layouts) are device-free and
// ignore these variables.
//
// Choosing cuda in a build or on a machine without CUDA is an error (the
// tests fail saying so), never a silent CPU run.
#include <ATen/ATen.h>

#include <string>

namespace semdraw::test {

struct TestTarget {
  at::Device device = at::kCPU;
  at::ScalarType dtype = at::kFloat;
  bool cuda() const { return device.is_cuda(); }
  bool half() const { return dtype == at::kHalf; }
  bool bf16() const { return dtype == at::kBFloat16; }
  bool reduced() const { return dtype != at::kFloat; }  // fp16 or bf16
  std::string name() const;                             // "cpu fp32", "cuda fp16", "cpu bf16", ...
};

// Read once from the environment (throws std::runtime_error naming the
// variable on an unknown value, or when cuda is chosen but unusable). For
// cuda fp32 it turns TF32 off for cuBLAS and cuDNN, process-wide: the
// goldens are IEEE fp32, and TF32's 10-bit mantissa would put errors of
// ~1e-3 relative into every matmul and convolution.
const TestTarget& target();

// Floating tensors to the target's device and dtype; integer tensors (token
// ids, timesteps) to its device only.
at::Tensor on_target(const at::Tensor& tensor);

// A bound per target; pick() gives the one for target().
//  cpu_fp32:  the bound the goldens were made for (absolute or relative, as
//             the test states); used unchanged on the CPU in fp32.
//  cuda_fp32: relative to `scale` (the largest golden magnitude, at least 1).
//             With TF32 off the arithmetic is still IEEE fp32, but cuDNN and
//             cuBLAS choose other convolution algorithms (implicit GEMM,
//             Winograd, FFT) and summation orders than oneDNN/MKL, each
//             differing by a few ulp (~1e-7 relative) per op.
//  fp16:      relative to `scale`; see the values the tests pass.
//  (bf16:     eight times the fp16 bound: 3 fewer mantissa bits.)
// Never below cpu_fp32.
struct Tolerance {
  double cpu_fp32;
  double cuda_fp32;
  double fp16;
  double pick(double scale = 1.0) const;
};

// When the dtype under test is fp16, a test that exists to run fp16 next to
// the fp32 comparison repeats what the main tests already do.
bool main_tests_already_half();

}  // namespace semdraw::test
