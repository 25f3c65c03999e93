#pragma once
// The scene JSON that `semdraw-cli render|stream` read (docs/SCENE_FORMAT.md):
// canvas, background, regions with mask images, generation settings. Paths
// inside are relative to the JSON file. Errors name the file and the field.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "semdraw/engine/scene.h"

namespace semdraw::cli {

Scene read_scene_file(const std::filesystem::path& file);

// The "settings" object of a scene file (the seed as a JSON integer, exact to 64 bits).
nlohmann::json settings_to_json(const GenerationSettings& settings);

}  // namespace semdraw::cli
