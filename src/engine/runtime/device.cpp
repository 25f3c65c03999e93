#include "semdraw/engine/device.h"

#include <ATen/Context.h>
#include <torch/version.h>

#include <thread>

#if defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
#include <cpuid.h>
#endif

#include "runtime/synchronize.h"

namespace semdraw {

#ifdef SEMDRAW_HAVE_CUDA
// Defined in device_cuda.cpp, compiled only into CUDA builds.
bool describe_cuda_device(ComputeDevice& out);
DeviceMemory cuda_device_memory();
void reset_cuda_memory_peak();
#endif

ComputeDevice probe_compute_device() {
  ComputeDevice device;
  device.torch_version = TORCH_VERSION;
#ifdef SEMDRAW_HAVE_CUDA
  if (describe_cuda_device(device)) return device;
  device.name = "CPU";
  device.note = "no CUDA GPU found; generation runs on the CPU and is slow";
#else
  device.name = "CPU";
  device.note = "this build has no CUDA (see README: GPU builds); generation runs on the CPU and is slow";
#endif
  device.note += " (" + std::to_string(std::max(1u, std::thread::hardware_concurrency())) + " threads" +
                 (cpu_computes_bf16_natively() ? ", bf16 in hardware" : "") + ")";
  return device;
}

DeviceMemory device_memory() {
#ifdef SEMDRAW_HAVE_CUDA
  return cuda_device_memory();
#else
  return {};
#endif
}

void reset_device_memory_peak() {
#ifdef SEMDRAW_HAVE_CUDA
  reset_cuda_memory_peak();
#endif
}

#ifndef SEMDRAW_HAVE_CUDA
void synchronize(const at::Device&) {}  // device_cuda.cpp has the CUDA one
#endif

bool cpu_computes_bf16_natively() {
#if defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
  // clang's __builtin_cpu_supports knows neither feature name before clang
  // 16, so read CPUID: leaf 7 subleaf 1 EAX bit 5 is AVX512_BF16, leaf 7
  // subleaf 0 EDX bit 22 is AMX-BF16.
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  const bool avx512_bf16 = __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx) && (eax & (1u << 5));
  const bool amx_bf16 = __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) && (edx & (1u << 22));
  return avx512_bf16 || amx_bf16;
#elif defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512bf16") || __builtin_cpu_supports("amx-bf16");
#else
  return false;
#endif
}

std::string engine_version() { return SEMDRAW_VERSION; }

}  // namespace semdraw
