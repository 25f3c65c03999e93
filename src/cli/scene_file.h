#pragma once
// The scene JSON that `semdraw-cli render|stream` read (docs/SCENE_FORMAT.md):
// canvas, background, regions with mask images, generation settings. Paths
// inside are relative to the JSON file. Errors name the file and the field.
#include <filesystem>

#include "semdraw/engine/scene.h"

namespace semdraw::cli {

Scene read_scene_file(const std::filesystem::path& file);

}  // namespace semdraw::cli
