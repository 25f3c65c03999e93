// Whole-state-dict conversions between the original single-file layout and
// canonical names (the per-name rules live in layout_rules.cpp).
#include "checkpoint_layout.h"

namespace semdraw::io {
namespace {

StateDict convert(const StateDict& source, const LayoutMapper& mapper, bool to_canonical,
                  std::vector<std::string>* ignored) {
  StateDict result;
  std::map<std::string, std::string> origin;  // target name -> source name, to report clashes
  for (const auto& [name, tensor] : source) {
    const auto mapped = to_canonical ? mapper.to_canonical(name) : mapper.to_original(name);
    if (!mapped) {
      if (ignored) ignored->push_back(name);
      continue;
    }
    const auto [previous, inserted] = origin.emplace(mapped->name, name);
    if (!inserted) {
      throw FormatError("tensors '" + previous->second + "' and '" + name + "' both map to '" + mapped->name +
                        "'; the checkpoint holds the same weight twice");
    }
    result.emplace(mapped->name, apply_reshape(tensor, mapped->reshape, name));
  }
  return result;
}

}  // namespace

StateDict original_to_canonical(const StateDict& original, const UnetLayoutInfo& unet, const VaeLayoutInfo& vae,
                                std::vector<std::string>* ignored) {
  return convert(original, LayoutMapper(unet, vae), true, ignored);
}

StateDict canonical_to_original(const StateDict& canonical, const UnetLayoutInfo& unet, const VaeLayoutInfo& vae,
                                std::vector<std::string>* ignored) {
  return convert(canonical, LayoutMapper(unet, vae), false, ignored);
}

}  // namespace semdraw::io
