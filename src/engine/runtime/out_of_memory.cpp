#include "runtime/out_of_memory.h"

#include <c10/util/Exception.h>

#include <new>
#include <string>

#include "semdraw/engine/engine.h"

namespace semdraw::runtime {

namespace {
// LibTorch's CPU allocator reports failure as a plain c10::Error (measured
// with LibTorch 2.15: "[enforce fail at alloc_cpu.cpp] ... DefaultCPUAllocator:
// can't allocate memory"), not as c10::OutOfMemoryError as CUDA's does, so
// this is the one place that reads a message; a test allocates 2^48 bytes to
// keep it honest across LibTorch updates.
bool is_cpu_allocation_failure(const c10::Error& error) {
  return error.msg().find("DefaultCPUAllocator: can't allocate memory") != std::string::npos;
}
}  // namespace

void rethrow_classifying_out_of_memory() {
  try {
    throw;
  } catch (const c10::OutOfMemoryError& error) {
    throw OutOfMemory(error.what_without_backtrace());
  } catch (const c10::Error& error) {
    if (is_cpu_allocation_failure(error)) throw OutOfMemory(error.what_without_backtrace());
    throw;
  } catch (const std::bad_alloc& error) {
    throw OutOfMemory(std::string("out of host memory (") + error.what() + ")");
  }
}

}  // namespace semdraw::runtime
