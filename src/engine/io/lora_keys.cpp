#include "io/lora_keys.h"

#include <algorithm>
#include <array>
#include <utility>

#include "io/checkpoint_layout.h"
#include "io/lora_sgm_names.h"

namespace semdraw::io::lora_detail {

namespace {

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

enum class Role { kDown, kUp, kAlpha, kUpBias, kDora, kUnsupported };

struct Suffix {
  const char* text;
  Role role;
  KeyFormat format;
  bool processor_naming;
};

// Checked in order: the longer, more specific spellings first.
constexpr std::array<Suffix, 12> kDiffusersSuffixes{{
    {".lora_A.weight", Role::kDown, KeyFormat::kPeft, false},
    {".lora_B.weight", Role::kUp, KeyFormat::kPeft, false},
    {".lora_B.bias", Role::kUpBias, KeyFormat::kPeft, false},
    {".lora_magnitude_vector.weight", Role::kDora, KeyFormat::kPeft, false},
    {".lora_magnitude_vector", Role::kDora, KeyFormat::kPeft, false},
    {".lora_linear_layer.down.weight", Role::kDown, KeyFormat::kDiffusers, false},
    {".lora_linear_layer.up.weight", Role::kUp, KeyFormat::kDiffusers, false},
    {".lora.down.weight", Role::kDown, KeyFormat::kDiffusers, false},
    {".lora.up.weight", Role::kUp, KeyFormat::kDiffusers, false},
    {"_lora.down.weight", Role::kDown, KeyFormat::kDiffusers, true},
    {"_lora.up.weight", Role::kUp, KeyFormat::kDiffusers, true},
    {".alpha", Role::kAlpha, KeyFormat::kPeft, false},
}};

struct KohyaSuffix {
  const char* text;
  Role role;
};
constexpr std::array<KohyaSuffix, 6> kKohyaSuffixes{{
    {"lora_down.weight", Role::kDown},
    {"lora_up.weight", Role::kUp},
    {"alpha", Role::kAlpha},
    {"dora_scale", Role::kDora},
    {"lora_mid.weight", Role::kUnsupported},  // LoCon with a Tucker core
    {"lora_up.bias", Role::kUnsupported},
}};

// Kohya text-encoder prefixes: SD1.5 files say lora_te_, SDXL files (sd-scripts)
// lora_te1_ for the CLIP ViT-L encoder and lora_te2_ for the OpenCLIP bigG one.
struct KohyaPrefix {
  const char* kohya;
  const char* component;  // canonical prefix without the dot
};
constexpr std::array<KohyaPrefix, 3> kKohyaTextPrefixes{{
    {"lora_te_", "text_encoder"},
    {"lora_te1_", "text_encoder"},
    {"lora_te2_", "text_encoder_2"},
}};

bool is_kohya_key(const std::string& key) { return starts_with(key, "lora_unet_") || starts_with(key, "lora_te"); }

std::string dots_to_underscores(std::string text) {
  std::replace(text.begin(), text.end(), '.', '_');
  return text;
}

void assign(LoraModule& module, Role role, const std::string& key, const std::string& source) {
  std::string* slot = nullptr;
  switch (role) {
    case Role::kDown: slot = &module.down_key; break;
    case Role::kUp: slot = &module.up_key; break;
    case Role::kAlpha: slot = &module.alpha_key; break;
    case Role::kUpBias: slot = &module.up_bias_key; break;
    case Role::kDora:
      throw FormatError(source + ": '" + key +
                        "' is a DoRA magnitude; DoRA LoRAs are not supported (fusing them as plain LoRA would give "
                        "wrong weights)");
    case Role::kUnsupported:
      throw FormatError(source + ": '" + key + "' belongs to a LoCon/LyCORIS variant that is not supported");
  }
  if (!slot->empty()) {
    throw FormatError(source + ": LoRA module '" + module.name + "' has two spellings of the same weight: '" + *slot +
                      "' and '" + key + "'");
  }
  *slot = key;
}

// Old diffusers attention processors name the LoRA after the projection:
// attn1.processor.to_q_lora -> attn1.to_q (UNet) or self_attn.to_q_lora -> self_attn.q_proj (CLIP).
std::string processor_to_module(std::string name, bool text_encoder) {
  for (std::string::size_type at; (at = name.find(".processor.")) != std::string::npos;) name.erase(at, 10);
  const auto dot = name.rfind('.');
  const std::string head = dot == std::string::npos ? std::string() : name.substr(0, dot + 1);
  const std::string last = dot == std::string::npos ? name : name.substr(dot + 1);
  static const std::map<std::string, std::pair<std::string, std::string>> renames{
      {"to_q", {"to_q", "q_proj"}},
      {"to_k", {"to_k", "k_proj"}},
      {"to_v", {"to_v", "v_proj"}},
      {"to_out", {"to_out.0", "out_proj"}},
  };
  const auto found = renames.find(last);
  if (found == renames.end()) return name;
  return head + (text_encoder ? found->second.second : found->second.first);
}

}  // namespace

std::vector<std::string> LoraModule::keys() const {
  std::vector<std::string> out;
  for (const std::string* key : {&down_key, &up_key, &alpha_key, &up_bias_key}) {
    if (!key->empty()) out.push_back(*key);
  }
  std::sort(out.begin(), out.end());
  return out;
}

ParsedLora parse_lora_keys(const StateDict& lora, const std::string& source) {
  ParsedLora parsed;
  std::map<std::string, size_t> index;  // module name (with its format) -> position in parsed.modules
  auto module_for = [&](const std::string& name, KeyFormat format, bool processor_naming) -> LoraModule& {
    // peft and old-diffusers spellings of one module share its ".alpha", so
    // they share a namespace; kohya names (no dots) get their own.
    const std::string id = (format == KeyFormat::kKohya ? "k:" : "d:") + name;
    auto [it, inserted] = index.emplace(id, parsed.modules.size());
    if (inserted) {
      LoraModule module;
      module.name = name;
      module.format = format;
      parsed.modules.push_back(module);
    }
    LoraModule& module = parsed.modules[it->second];
    // ".alpha" is filed as peft; a module's lora.down/up keys make it old-diffusers.
    if (format == KeyFormat::kDiffusers) module.format = format;
    module.processor_naming = module.processor_naming || processor_naming;
    return module;
  };

  for (const auto& entry : lora) {
    const std::string& key = entry.first;  // a plain name: lambdas below capture it
    if (is_kohya_key(key)) {
      const auto dot = key.find('.');
      const std::string base = key.substr(0, dot);
      const std::string rest = dot == std::string::npos ? std::string() : key.substr(dot + 1);
      const auto suffix = std::find_if(kKohyaSuffixes.begin(), kKohyaSuffixes.end(),
                                       [&](const KohyaSuffix& s) { return rest == s.text; });
      if (suffix == kKohyaSuffixes.end()) {
        parsed.unrecognized.push_back(key);
        continue;
      }
      assign(module_for(base, KeyFormat::kKohya, false), suffix->role, key, source);
      continue;
    }
    const auto suffix = std::find_if(kDiffusersSuffixes.begin(), kDiffusersSuffixes.end(),
                                     [&](const Suffix& s) { return ends_with(key, s.text); });
    if (suffix == kDiffusersSuffixes.end()) {
      parsed.unrecognized.push_back(key);
      continue;
    }
    const std::string name = key.substr(0, key.size() - std::string(suffix->text).size());
    assign(module_for(name, suffix->format, suffix->processor_naming), suffix->role, key, source);
  }
  return parsed;
}

std::string target_component(const LoraModule& module) {
  if (module.format == KeyFormat::kKohya) {
    if (starts_with(module.name, "lora_unet_")) return "unet";
    for (const KohyaPrefix& prefix : kKohyaTextPrefixes) {
      if (starts_with(module.name, prefix.kohya)) return prefix.component;
    }
    return "";
  }
  if (starts_with(module.name, kTextEncoderPrefix)) return "text_encoder";
  if (starts_with(module.name, kUnetPrefix)) return "unet";
  // Old attention-processor files carry bare UNet names ("down_blocks.0...");
  // anything else with a component prefix belongs to another model.
  for (const char* other : {"text_encoder_", "transformer.", "prior.", "decoder."}) {
    if (starts_with(module.name, other)) return "";
  }
  return "unet";
}

CanonicalNames::CanonicalNames(const StateDict& canonical) : canonical_(canonical) {
  // Two canonical names that differ only in '.' vs '_' cannot be told apart
  // in kohya spelling: remember the clash and refuse such a key if one comes.
  const auto add = [&](const std::string& kohya, const std::string& name) {
    auto [it, inserted] = kohya_.emplace(kohya, name);
    if (!inserted && it->second != name) it->second.clear();
  };
  const std::string weight = ".weight";
  for (const auto& [name, tensor] : canonical) {
    (void)tensor;
    if (!ends_with(name, weight)) continue;
    const std::string module = name.substr(0, name.size() - weight.size());
    if (starts_with(module, kUnetPrefix)) {
      add("lora_unet_" + dots_to_underscores(module.substr(std::string(kUnetPrefix).size())), name);
      continue;
    }
    for (const KohyaPrefix& prefix : kKohyaTextPrefixes) {  // nobody trains LoRAs for the VAE
      const std::string component = std::string(prefix.component) + ".";
      if (!starts_with(module, component)) continue;
      add(prefix.kohya + dots_to_underscores(module.substr(component.size())), name);
    }
  }
  // sd-scripts' SDXL names: the same UNet weights under their original-layout names.
  for (const auto& [kohya, name] : sgm_unet_lora_names(canonical)) add(kohya, name);
}

std::string CanonicalNames::resolve(const LoraModule& module, const std::string& source) const {
  if (module.format == KeyFormat::kKohya) {
    const auto found = kohya_.find(module.name);
    if (found == kohya_.end()) return "";
    if (found->second.empty()) {
      throw FormatError(source + ": LoRA module '" + module.name + "' fits more than one weight of the model");
    }
    return found->second;
  }
  const std::string component = target_component(module);
  if (component.empty()) return "";
  std::string name = module.name;
  if (!starts_with(name, component + ".")) name = component + "." + name;
  if (module.processor_naming) name = processor_to_module(name, component == "text_encoder");
  std::vector<std::string> candidates{name + ".weight"};
  // transformers >= 5.6 names CLIPTextModel weights without "text_model.";
  // canonical names always have it.
  const std::string te_prefix = kTextEncoderPrefix;
  if (component == "text_encoder" && !starts_with(name, te_prefix + "text_model.")) {
    candidates.push_back(te_prefix + "text_model." + name.substr(te_prefix.size()) + ".weight");
  }
  for (const std::string& candidate : candidates) {
    if (canonical_.count(candidate)) return candidate;
  }
  return "";
}

}  // namespace semdraw::io::lora_detail
