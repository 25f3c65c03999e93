#include "semdraw/engine/scene_json.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

#include "semdraw/engine/enum_names.h"
#include "semdraw/engine/json_file.h"

namespace semdraw {

namespace {

using nlohmann::json;

constexpr EnumName<MaskMode> kMaskModes[] = {{MaskMode::Discrete, "discrete"},
                                             {MaskMode::SemiContinuous, "semi-continuous"},
                                             {MaskMode::Continuous, "continuous"}};
constexpr EnumName<CfgType> kCfgTypes[] = {
    {CfgType::None, "none"}, {CfgType::Full, "full"}, {CfgType::Self, "self"}, {CfgType::Initialize, "initialize"}};
constexpr EnumName<VaeChoice> kVaes[] = {{VaeChoice::Taesd, "taesd"}, {VaeChoice::Full, "full"}};
constexpr EnumName<LiveNoise> kLiveNoises[] = {{LiveNoise::Explore, "explore"}, {LiveNoise::Settle, "settle"}};
constexpr EnumName<SamplerChoice> kSamplers[] = {{SamplerChoice::ModelDefault, "model"},
                                                 {SamplerChoice::Lcm, "lcm"},
                                                 {SamplerChoice::EulerTrailing, "euler-trailing"}};

// The settings' fields, each once: its JSON name, the member, and for enums
// their spellings. The writer and the reader both walk this list.
template <typename Settings, typename Visitor>
void visit_fields(Settings& s, const Visitor& v) {
  v.field("sampler", &s.sampler, kSamplers);
  v.field("step_indices", &s.step_indices);
  v.field("steps", &s.steps);
  v.field("mask_mode", &s.mask_mode, kMaskModes);
  v.field("bootstrap_steps", &s.bootstrap_steps);
  v.field("bootstrap_mix_steps", &s.bootstrap_mix_steps);
  v.field("cover_alpha", &s.cover_alpha);
  v.field("cfg_type", &s.cfg_type, kCfgTypes);
  v.field("guidance", &s.guidance);
  v.field("delta", &s.delta);
  v.field("seed", &s.seed);
  v.field("tile_size", &s.tile_size);
  v.field("vae", &s.vae, kVaes);
  v.field("live_noise", &s.live_noise, kLiveNoises);
}

// Writes every field; enums by their spellings.
class FieldWriter {
 public:
  explicit FieldWriter(json& object) : object_(object) {}
  template <typename T>
  void field(const char* key, const T* value) const {
    object_[key] = *value;
  }
  template <typename Enum, size_t N>
  void field(const char* key, const Enum* value, const EnumName<Enum> (&table)[N]) const {
    object_[key] = name_of(table, *value);
  }

 private:
  json& object_;
};

// Reads the fields of one settings object, keeping the base value of absent
// ones, and names the field of the first problem.
class FieldReader {
 public:
  explicit FieldReader(const json& object) : object_(object) {}

  template <typename Enum, size_t N>
  void field(const char* key, Enum* out, const EnumName<Enum> (&table)[N]) const {
    const json* v = find(key);
    if (!v) return;
    if (!v->is_string()) fail(key, "must be a string");
    try {
      *out = value_of(table, v->get<std::string>());
    } catch (const std::invalid_argument& problem) {
      fail(key, problem.what());
    }
  }
  void field(const char* key, double* out) const {
    const json* v = find(key);
    if (!v) return;
    if (!v->is_number() || !std::isfinite(v->get<double>())) fail(key, "must be a finite number");
    *out = v->get<double>();
  }
  void field(const char* key, int* out) const {
    const json* v = find(key);
    if (!v) return;
    if (!is_whole_number(*v) || std::fabs(v->get<double>()) > 1e9) fail(key, "must be an integer");
    *out = static_cast<int>(v->get<double>());
  }
  void field(const char* key, std::vector<int>* out) const {
    const json* v = find(key);
    if (!v) return;
    std::vector<int> values;
    if (!v->is_array()) fail(key, "must be an array of non-negative integers");
    for (const json& item : *v) {
      if (!is_whole_number(item) || item.get<double>() < 0 || item.get<double>() > 1e6)
        fail(key, "must be an array of non-negative integers");
      values.push_back(static_cast<int>(item.get<double>()));
    }
    *out = std::move(values);
  }
  // 64-bit seeds: exact JSON integers, whole non-negative numbers (other tools
  // write 1e3), or decimal strings.
  void field(const char* key, uint64_t* out) const {
    const json* v = find(key);
    if (!v) return;
    if (v->is_number_unsigned() || (v->is_number_integer() && v->get<int64_t>() >= 0)) {
      *out = v->get<uint64_t>();
    } else if (v->is_number_float() && is_whole_number(*v) && v->get<double>() >= 0 &&
               v->get<double>() < 18446744073709551616.0) {
      *out = static_cast<uint64_t>(v->get<double>());
    } else if (v->is_string() && parse_decimal(v->get<std::string>(), out)) {
    } else {
      fail(key, "must be a non-negative integer (a JSON number or a decimal string)");
    }
  }

 private:
  const json* find(const char* key) const {
    const auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  static bool parse_decimal(const std::string& text, uint64_t* out) {
    if (text.empty() || text.size() > 20) return false;
    unsigned __int128 value = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return false;
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > UINT64_MAX) return false;
    *out = static_cast<uint64_t>(value);
    return true;
  }
  [[noreturn]] static void fail(const char* key, const std::string& problem) {
    throw SettingsFieldError("settings." + std::string(key) + " " + problem);
  }

  const json& object_;
};

}  // namespace

json settings_to_json(const GenerationSettings& settings) {
  json object = json::object();
  visit_fields(settings, FieldWriter(object));
  return object;
}

GenerationSettings settings_from_json(const json& object, GenerationSettings settings) {
  if (!object.is_object()) throw SettingsFieldError("settings must be an object");
  visit_fields(settings, FieldReader(object));
  return settings;
}

std::string sampler_name(SamplerChoice sampler) { return name_of(kSamplers, sampler); }

SamplerChoice sampler_from_name(std::string_view text) { return value_of(kSamplers, text); }

}  // namespace semdraw
