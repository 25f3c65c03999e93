#pragma once
// One place that knows how LibTorch reports an allocation failure, so the
// app and the CLI recognise it by type (semdraw::OutOfMemory) instead of by
// message text.
#include <utility>

namespace semdraw::runtime {

// Call inside a catch block: rethrows the exception in flight as
// semdraw::OutOfMemory when it is an allocation failure (CUDA's
// c10::OutOfMemoryError, the CPU allocator's failure, std::bad_alloc), else
// rethrows it unchanged.
[[noreturn]] void rethrow_classifying_out_of_memory();

// Runs `work`, reporting allocation failures as semdraw::OutOfMemory.
template <typename Work>
decltype(auto) reporting_out_of_memory(Work&& work) {
  try {
    return std::forward<Work>(work)();
  } catch (...) {
    rethrow_classifying_out_of_memory();
  }
}

}  // namespace semdraw::runtime
