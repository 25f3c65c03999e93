#include "cli/scene_file.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>
#include <vector>

#include "cli/image_files.h"

namespace semdraw::cli {

namespace {
using nlohmann::json;

struct Reader {
  std::string file;

  [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
    throw std::runtime_error(file + ": " + field + " " + problem);
  }
  template <typename T>
  T get(const json& object, const char* key, const std::string& path, T fallback) const {
    if (!object.contains(key) || object.at(key).is_null()) return fallback;
    try {
      return object.at(key).get<T>();
    } catch (const json::exception&) {
      fail(path + key, "has the wrong type");
    }
  }
};

// The spellings of the settings' enums, shared by the reader and the writer.
template <typename Enum>
using EnumNames = std::vector<std::pair<const char*, Enum>>;
const EnumNames<MaskMode> kMaskModes = {{"discrete", MaskMode::Discrete},
                                        {"semi-continuous", MaskMode::SemiContinuous},
                                        {"continuous", MaskMode::Continuous}};
const EnumNames<CfgType> kCfgTypes = {
    {"none", CfgType::None}, {"full", CfgType::Full}, {"self", CfgType::Self}, {"initialize", CfgType::Initialize}};
const EnumNames<VaeChoice> kVaes = {{"taesd", VaeChoice::Taesd}, {"full", VaeChoice::Full}};
const EnumNames<LiveNoise> kLiveNoises = {{"explore", LiveNoise::Explore}, {"settle", LiveNoise::Settle}};
const EnumNames<SamplerChoice> kSamplers = {{"model", SamplerChoice::ModelDefault},
                                            {"lcm", SamplerChoice::Lcm},
                                            {"euler-trailing", SamplerChoice::EulerTrailing}};

template <typename Enum>
Enum parse_enum(const Reader& reader, const json& object, const char* key, const std::string& path,
                const EnumNames<Enum>& names, Enum fallback) {
  const std::string value = reader.get<std::string>(object, key, path, "");
  if (value.empty()) return fallback;
  std::string allowed;
  for (const auto& [name, e] : names) {
    if (value == name) return e;
    allowed += std::string(allowed.empty() ? "" : ", ") + name;
  }
  reader.fail(path + key, "is '" + value + "'; expected one of " + allowed);
}

template <typename Enum>
std::string enum_name(const EnumNames<Enum>& names, Enum value) {
  for (const auto& [name, e] : names)
    if (e == value) return name;
  return {};
}
}  // namespace

Scene read_scene_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot open scene");
  const json root = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) throw std::runtime_error(file.string() + ": not a JSON object");
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
    const json& s = root.at("settings");
    if (!s.is_object()) r.fail("settings", "must be an object");
    auto& out = scene.settings;
    const std::string at = "settings.";
    out.sampler = parse_enum(r, s, "sampler", at, kSamplers, out.sampler);
    out.step_indices = r.get<std::vector<int>>(s, "step_indices", at, out.step_indices);
    out.steps = r.get<int>(s, "steps", at, out.steps);
    out.mask_mode = parse_enum(r, s, "mask_mode", at, kMaskModes, out.mask_mode);
    out.bootstrap_steps = r.get<int>(s, "bootstrap_steps", at, out.bootstrap_steps);
    out.bootstrap_mix_steps = r.get<double>(s, "bootstrap_mix_steps", at, out.bootstrap_mix_steps);
    out.cover_alpha = r.get<double>(s, "cover_alpha", at, out.cover_alpha);
    out.cfg_type = parse_enum(r, s, "cfg_type", at, kCfgTypes, out.cfg_type);
    out.guidance = r.get<double>(s, "guidance", at, out.guidance);
    out.delta = r.get<double>(s, "delta", at, out.delta);
    out.seed = r.get<uint64_t>(s, "seed", at, out.seed);
    out.tile_size = r.get<int>(s, "tile_size", at, out.tile_size);
    out.vae = parse_enum(r, s, "vae", at, kVaes, out.vae);
    out.live_noise = parse_enum(r, s, "live_noise", at, kLiveNoises, out.live_noise);
  }
  try {
    validate_scene(scene);  // warnings are reported by the engine when it applies the scene
  } catch (const std::invalid_argument& error) {
    throw std::runtime_error(file.string() + ": " + error.what());
  }
  return scene;
}

nlohmann::json settings_to_json(const GenerationSettings& s) {
  return {{"sampler", enum_name(kSamplers, s.sampler)},
          {"step_indices", s.step_indices},
          {"steps", s.steps},
          {"mask_mode", enum_name(kMaskModes, s.mask_mode)},
          {"bootstrap_steps", s.bootstrap_steps},
          {"bootstrap_mix_steps", s.bootstrap_mix_steps},
          {"cover_alpha", s.cover_alpha},
          {"cfg_type", enum_name(kCfgTypes, s.cfg_type)},
          {"guidance", s.guidance},
          {"delta", s.delta},
          {"seed", s.seed},
          {"tile_size", s.tile_size},
          {"vae", enum_name(kVaes, s.vae)},
          {"live_noise", enum_name(kLiveNoises, s.live_noise)}};
}

SamplerChoice parse_sampler(const std::string& option, const std::string& value) {
  std::string allowed;
  for (const auto& [name, sampler] : kSamplers) {
    if (value == name) return sampler;
    allowed += std::string(allowed.empty() ? "" : ", ") + name;
  }
  throw std::runtime_error(option + " is '" + value + "'; expected one of " + allowed);
}

std::string resolved_sampler_name(const GenerationSettings& settings, SamplerChoice model_default) {
  return enum_name(kSamplers, settings.sampler == SamplerChoice::ModelDefault ? model_default : settings.sampler);
}

}  // namespace semdraw::cli
