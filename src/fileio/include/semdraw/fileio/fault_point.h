#pragma once
// Scripted crashes for tests: compiled into every build, inert unless the
// environment asks. With SEMDRAW_FAULT_AT=<point> the process kills itself
// (SIGKILL: nothing flushed, no destructors, as a power cut or the OOM killer
// leaves it) when it reaches that point; <point>@<suffix> only when the file
// being written ends with <suffix> (e.g. "atomic-write:renamed@.ora").
// Points: atomic-write:created, :filled, :synced, :renamed (atomic_write.cpp)
// and the autosave's own (src/app/files/autosave.cpp).
#include <filesystem>
#include <string_view>

namespace semdraw::fileio {

inline constexpr const char* kFaultEnvironmentVariable = "SEMDRAW_FAULT_AT";

void fault_point(std::string_view point, const std::filesystem::path& file = {});

}  // namespace semdraw::fileio
