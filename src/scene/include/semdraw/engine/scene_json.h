#pragma once
// The one JSON form of the generation settings, shared by projects (.ora),
// scene files and the CLI's reports (docs/SCENE_FORMAT.md). A new settings
// field is one line in scene_json.cpp's visit_fields, which both the writer
// and the reader walk.
#include <nlohmann/json_fwd.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "semdraw/engine/scene.h"

namespace semdraw {

// A field that cannot be read. what() is "settings.<field> <problem>"; the
// caller puts the file in front.
class SettingsFieldError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Every field, enums by their spellings ("continuous", "euler-trailing", ...),
// the seed as an exact 64-bit JSON integer.
nlohmann::json settings_to_json(const GenerationSettings& settings);

// The fields present in `json` over `base` (absent or null fields keep the
// base's value, so callers choose the defaults). The seed may be a JSON
// integer or a decimal string (writers that cannot hold 64-bit integers use
// strings). Throws SettingsFieldError naming the first bad field.
GenerationSettings settings_from_json(const nlohmann::json& json, GenerationSettings base);

// The spellings of a sampler, for command-line options and reports.
std::string sampler_name(SamplerChoice sampler);
// Throws std::invalid_argument "is '<text>'; expected one of model, lcm, euler-trailing".
SamplerChoice sampler_from_name(std::string_view text);

}  // namespace semdraw
