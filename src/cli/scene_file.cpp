#include "cli/scene_file.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "cli/image_files.h"
#include "semdraw/engine/json_file.h"

namespace semdraw::cli {

namespace {
using nlohmann::json;

struct Reader {
  std::string file;

  [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
    throw std::runtime_error(file + ": " + field + " " + problem);
  }
  // Numbers are read strictly: an int field takes a whole number that fits
  // (64.9 or 4294967360 is refused, not truncated or wrapped), a double field
  // a finite one.
  template <typename T>
  T get(const json& object, const char* key, const std::string& path, T fallback) const {
    if (!object.contains(key) || object.at(key).is_null()) return fallback;
    const json& value = object.at(key);
    if constexpr (std::is_same_v<T, int>) {
      if (!is_whole_number(value)) fail(path + key, "must be a whole number");
      const double number = value.get<double>();
      if (number < std::numeric_limits<int>::min() || number > std::numeric_limits<int>::max())
        fail(path + key, "is out of range (" + value.dump() + ")");
      return static_cast<int>(number);
    } else if constexpr (std::is_same_v<T, double>) {
      if (!value.is_number() || !std::isfinite(value.get<double>())) fail(path + key, "must be a finite number");
      return value.get<double>();
    } else {
      try {
        return value.get<T>();
      } catch (const json::exception&) {
        fail(path + key, "has the wrong type");
      }
    }
  }
};

}  // namespace

Scene read_scene_file(const std::filesystem::path& file) {
  const json root = read_json_file(file, "scene");
  if (!root.is_object()) throw std::runtime_error(file.string() + ": not a JSON object");
  const Reader r{file.string()};
  const int version = r.get<int>(root, "version", "", 1);
  if (version > 1) r.fail("version", std::to_string(version) + " is newer than this program understands (1)");
  const std::filesystem::path base = file.parent_path();
  const auto resolve = [&](const std::string& relative) { return base / relative; };

  Scene scene;
  scene.width = r.get<int>(root, "width", "", scene.width);
  scene.height = r.get<int>(root, "height", "", scene.height);

  if (root.contains("background")) {
    const json& bg = root.at("background");
    if (!bg.is_object()) r.fail("background", "must be an object");
    scene.background.prompt = r.get<std::string>(bg, "prompt", "background.", scene.background.prompt);
    scene.background.negative_prompt = r.get<std::string>(bg, "negative_prompt", "background.", "");
    const std::string image = r.get<std::string>(bg, "image", "background.", "");
    if (!image.empty()) scene.background.image = read_rgb(resolve(image));
  }

  if (root.contains("regions")) {
    const json& regions = root.at("regions");
    if (!regions.is_array()) r.fail("regions", "must be an array");
    for (size_t i = 0; i < regions.size(); ++i) {
      const json& item = regions[i];
      const std::string at = "regions[" + std::to_string(i) + "].";
      if (!item.is_object()) r.fail(at.substr(0, at.size() - 1), "must be an object");
      RegionSpec region;
      region.prompt = r.get<std::string>(item, "prompt", at, "");
      region.negative_prompt = r.get<std::string>(item, "negative_prompt", at, "");
      region.prompt_strength = r.get<double>(item, "prompt_strength", at, region.prompt_strength);
      region.mask_strength = r.get<double>(item, "mask_strength", at, region.mask_strength);
      region.blur_sigma = r.get<double>(item, "blur_sigma", at, region.blur_sigma);
      region.enabled = r.get<bool>(item, "enabled", at, true);
      const std::string mask = r.get<std::string>(item, "mask", at, "");
      if (mask.empty()) r.fail(at + "mask", "is missing");
      region.mask = read_mask(resolve(mask));
      scene.regions.push_back(std::move(region));
    }
  }

  if (root.contains("settings")) {
    try {
      scene.settings = settings_from_json(root.at("settings"), scene.settings);
    } catch (const SettingsFieldError& problem) {
      throw std::runtime_error(file.string() + ": " + problem.what());
    }
  }
  try {
    validate_scene(scene);  // warnings are reported by the engine when it applies the scene
  } catch (const std::invalid_argument& error) {
    throw std::runtime_error(file.string() + ": " + error.what());
  }
  return scene;
}

SamplerChoice parse_sampler(const std::string& option, const std::string& value) {
  try {
    return sampler_from_name(value);
  } catch (const std::invalid_argument& problem) {
    throw std::runtime_error(option + " " + problem.what());
  }
}

std::string resolved_sampler_name(const GenerationSettings& settings, SamplerChoice model_default) {
  return sampler_name(settings.sampler == SamplerChoice::ModelDefault ? model_default : settings.sampler);
}

}  // namespace semdraw::cli
