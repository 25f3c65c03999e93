#pragma once
// The scene JSON that `semdraw-cli render|stream` read (docs/SCENE_FORMAT.md):
// canvas, background, regions with mask images, generation settings. Paths
// inside are relative to the JSON file. Errors name the file and the field.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "semdraw/engine/scene.h"
#include "semdraw/engine/scene_json.h"  // the settings object of a scene file

namespace semdraw::cli {

Scene read_scene_file(const std::filesystem::path& file);

// A sampler by its scene-file spelling (model, lcm, euler-trailing), for
// --sampler; throws std::runtime_error naming `option` and the spellings.
SamplerChoice parse_sampler(const std::string& option, const std::string& value);
// The sampler `settings` run with `engine`'s model, as its scene-file spelling.
std::string resolved_sampler_name(const GenerationSettings& settings, SamplerChoice model_default);

}  // namespace semdraw::cli
