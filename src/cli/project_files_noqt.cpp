// The engine-only CLI has no document library: .ora projects are refused
// with a message that says why and what to use instead.
#include <stdexcept>

#include "cli/project_files.h"

namespace semdraw::cli {

namespace {
[[noreturn]] void unsupported(const std::filesystem::path& file) {
  throw std::runtime_error(file.string() +
                           ": .ora projects need the full build (Qt); this semdraw-cli was built with "
                           "SEMDRAW_ENGINE_ONLY. Use a scene JSON (docs/SCENE_FORMAT.md) or the full build");
}
}  // namespace

Scene read_project_scene(const std::filesystem::path& file) { unsupported(file); }
nlohmann::json project_info(const std::filesystem::path& file, const std::optional<std::filesystem::path>&) {
  unsupported(file);
}
nlohmann::json export_palette(const std::filesystem::path& project, const std::filesystem::path&, PaletteFileFormat) {
  unsupported(project);
}
nlohmann::json import_palette(const std::filesystem::path& project, const std::filesystem::path&,
                              const std::filesystem::path&, ImportMode) {
  unsupported(project);
}

}  // namespace semdraw::cli
