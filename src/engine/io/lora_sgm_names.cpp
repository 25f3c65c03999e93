#include "io/lora_sgm_names.h"

#include <algorithm>

#include "io/checkpoint_layout.h"

namespace semdraw::io::lora_detail {

namespace {

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

constexpr const char* kOriginalUnet = "model.diffusion_model.";

// SDXL's added-conditioning MLP (text_time embedding) is outside the
// single-file table: sgm calls it label_emb.0.{0,2}.
const std::vector<std::pair<std::string, std::string>>& extra_modules() {
  static const std::vector<std::pair<std::string, std::string>> extra{
      {"add_embedding.linear_1", "label_emb.0.0"},
      {"add_embedding.linear_2", "label_emb.0.2"},
  };
  return extra;
}

std::string kohya_name(std::string original_module) {
  std::replace(original_module.begin(), original_module.end(), '.', '_');
  return "lora_unet_" + original_module;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> sgm_unet_lora_names(const StateDict& canonical) {
  const std::string unet = kUnetPrefix;
  const std::string weight = ".weight";
  std::vector<std::string> unet_names;
  for (const auto& [name, tensor] : canonical) {
    (void)tensor;
    if (starts_with(name, unet)) unet_names.push_back(name);
  }
  UnetLayoutInfo layout;
  try {
    layout = infer_unet_layout_from_canonical(unet_names);
  } catch (const FormatError&) {
    return {};  // no UNet, or only scattered weights of one (no resnets to count)
  }
  const LayoutMapper mapper(layout, VaeLayoutInfo::sd15());
  std::vector<std::pair<std::string, std::string>> names;
  for (const std::string& name : unet_names) {
    if (!ends_with(name, weight)) continue;
    const std::string module = name.substr(unet.size(), name.size() - unet.size() - weight.size());
    std::string original;
    if (const auto mapped = mapper.to_original(name); mapped && starts_with(mapped->name, kOriginalUnet)) {
      original = mapped->name.substr(std::string(kOriginalUnet).size());
      original.resize(original.size() - weight.size());
    } else {
      const auto extra = std::find_if(extra_modules().begin(), extra_modules().end(),
                                      [&](const auto& entry) { return entry.first == module; });
      if (extra == extra_modules().end()) continue;
      original = extra->second;
    }
    names.emplace_back(kohya_name(original), name);
  }
  return names;
}

}  // namespace semdraw::io::lora_detail
