#pragma once
#include <cstdint>

namespace semdraw::app {

// This process's resident memory in bytes (0 where the platform does not say).
uint64_t resident_memory_bytes();

}  // namespace semdraw::app
