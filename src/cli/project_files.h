#pragma once
// OpenRaster projects (.ora, docs/SCENE_FORMAT.md) for the CLI: render/stream them, print
// them as scene JSON, export and import their palettes. Reading them needs
// the document library (Qt): full builds compile project_files_qt.cpp; the
// engine-only build compiles project_files_noqt.cpp, whose functions throw a
// clear "needs the full build" error. Errors name the file (and the field).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "semdraw/engine/scene.h"

namespace semdraw::cli {

// A ".ora" name (any case), or an existing file that starts with the zip
// signature "PK\3\4" (a renamed project).
bool is_project_file(const std::filesystem::path& file);

// render/stream input: an .ora project (by is_project_file) or a scene JSON.
Scene read_scene_or_project(const std::filesystem::path& file);

// The project as the engine sees it (doc::to_scene), validated like a scene file.
Scene read_project_scene(const std::filesystem::path& file);

// `info`: the project as scene JSON (docs/SCENE_FORMAT.md) with each region's
// mask summarised ("mask_stats") since the masks are images inside the .ora.
// With `extract_dir`, the masks (and background) are also written there as
// PNG, the JSON names them ("mask", "background.image") and is saved as
// extract_dir/scene.json, so `render extract_dir/scene.json` renders the
// same scene.
nlohmann::json project_info(const std::filesystem::path& file,
                            const std::optional<std::filesystem::path>& extract_dir = std::nullopt);

enum class PaletteFileFormat { SemanticDraw, WebDemo };
enum class ImportMode {
  Merge,  // a palette entry whose name matches a region updates it (mask kept); others are added
  Add,    // every palette entry becomes a new region with an empty mask
};

// Returns {"out", "format", "regions"}.
nlohmann::json export_palette(const std::filesystem::path& project, const std::filesystem::path& out,
                              PaletteFileFormat format);
// Reads the project and the palette (either format) completely before
// writing anything; writes `out` atomically (it may be the project itself).
// Returns {"out", "updated", "added", "regions"}.
nlohmann::json import_palette(const std::filesystem::path& project, const std::filesystem::path& palette,
                              const std::filesystem::path& out, ImportMode mode);

}  // namespace semdraw::cli
