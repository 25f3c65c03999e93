#include "io/lora.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <utility>

#include "io/lora_keys.h"

namespace semdraw::io {

namespace {

using lora_detail::KeyFormat;
using lora_detail::LoraModule;

std::string shape_text(at::IntArrayRef sizes) {
  std::ostringstream out;
  out << '[';
  for (size_t i = 0; i < sizes.size(); ++i) out << (i ? "," : "") << sizes[i];
  out << ']';
  return out.str();
}

// Dimensions after the first, with trailing 1s dropped: a Linear [out, in]
// and a 1x1 conv [out, in, 1, 1] take the same LoRA (diffusers and A1111
// both accept a 2-D LoRA on SD1.5's 1x1-conv proj_in/proj_out).
std::vector<int64_t> fan_in_shape(at::IntArrayRef sizes) {
  std::vector<int64_t> shape(sizes.begin() + 1, sizes.end());
  while (shape.size() > 1 && shape.back() == 1) shape.pop_back();
  return shape;
}

struct Plan {
  const LoraModule* module = nullptr;
  std::string target;       // canonical weight name
  std::string bias_target;  // canonical bias name when the LoRA has an up bias
  double factor = 0.0;      // scale * alpha / rank
};

std::string format_name(KeyFormat format) {
  switch (format) {
    case KeyFormat::kKohya: return "kohya";
    case KeyFormat::kDiffusers: return "diffusers";
    case KeyFormat::kPeft: return "peft";
  }
  return "?";
}

void check_pair(const LoraModule& module, const std::string& source) {
  if (module.down_key.empty() != module.up_key.empty()) {
    const std::string& have = module.down_key.empty() ? module.up_key : module.down_key;
    throw FormatError(source + ": LoRA module '" + module.name + "' has '" + have + "' but no matching " +
                      (module.down_key.empty() ? "down (lora_A)" : "up (lora_B)") + " weight");
  }
}

// Shapes: down [r, in, (k, k)], up [out, r, (1, 1)], weight [out, in, (k, k)].
void check_shapes(const LoraModule& module, const at::Tensor& down, const at::Tensor& up, const std::string& target,
                  const at::Tensor& weight, const std::string& source) {
  const auto fits_itself = [&] {
    if (down.dim() < 2 || up.dim() < 2 || down.size(0) == 0 || up.size(1) != down.size(0)) return false;
    for (int64_t d = 2; d < up.dim(); ++d) {
      if (up.size(d) != 1) return false;
    }
    return true;
  };
  if (!fits_itself()) {
    throw FormatError(source + ": LoRA '" + module.down_key + "' " + shape_text(down.sizes()) + " and '" +
                      module.up_key + "' " + shape_text(up.sizes()) +
                      " do not form a low-rank pair (down [rank, in, ...], up [out, rank] or [out, rank, 1, 1])");
  }
  if (weight.dim() < 2 || up.size(0) != weight.size(0) || fan_in_shape(down.sizes()) != fan_in_shape(weight.sizes())) {
    throw FormatError(source + ": LoRA '" + module.down_key + "' " + shape_text(down.sizes()) + " / '" + module.up_key +
                      "' " + shape_text(up.sizes()) + " does not fit the model's '" + target + "' " +
                      shape_text(weight.sizes()) +
                      ": the LoRA was made for another model architecture (e.g. SDXL or SD2 rather than SD1.5)");
  }
}

// peft alphas from the file's "lora_adapter_metadata" (see lora.h), per component.
struct PeftAlphas {
  struct Component {
    std::optional<double> lora_alpha;
    std::vector<std::pair<std::regex, double>> patterns;  // in file order: the first match wins, as in peft
  };
  std::map<std::string, Component> components;
};

PeftAlphas read_peft_alphas(const std::map<std::string, std::string>& metadata, const std::string& source) {
  PeftAlphas alphas;
  const auto entry = metadata.find("lora_adapter_metadata");
  if (entry == metadata.end()) return alphas;
  const std::string where = source + ": __metadata__ 'lora_adapter_metadata'";
  // ordered_json keeps the file's key order, which decides between patterns.
  const nlohmann::ordered_json json = nlohmann::ordered_json::parse(entry->second, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) throw FormatError(where + " is not a JSON object");
  for (const char* component : {"unet", "text_encoder"}) {
    PeftAlphas::Component& out = alphas.components[component];
    const std::string prefix = std::string(component) + ".";
    if (const auto alpha = json.find(prefix + "lora_alpha"); alpha != json.end() && !alpha->is_null()) {
      if (!alpha->is_number()) throw FormatError(where + ": '" + prefix + "lora_alpha' is not a number");
      out.lora_alpha = alpha->get<double>();
    }
    const auto patterns = json.find(prefix + "alpha_pattern");
    if (patterns == json.end() || patterns->is_null()) continue;
    if (!patterns->is_object()) throw FormatError(where + ": '" + prefix + "alpha_pattern' is not an object");
    for (const auto& [pattern, value] : patterns->items()) {
      if (!value.is_number()) throw FormatError(where + ": alpha_pattern '" + pattern + "' is not a number");
      try {
        // peft matches a pattern as a regex against the end of the module name.
        out.patterns.emplace_back(std::regex("(.*\\.)?(" + pattern + ")"), value.get<double>());
      } catch (const std::regex_error&) {
        throw FormatError(where + ": alpha_pattern '" + pattern + "' is not a regular expression");
      }
    }
  }
  return alphas;
}

double alpha_of(const LoraModule& module, const StateDict& lora, double rank, const PeftAlphas& peft,
                const std::string& source) {
  if (module.alpha_key.empty()) {
    const std::string component = lora_detail::target_component(module);
    const auto found = peft.components.find(component);
    if (module.format != KeyFormat::kPeft || found == peft.components.end()) return rank;  // scale 1 per module
    // The name peft matched: the module as the file spells it, without the component.
    const std::string prefix = component + ".";
    const std::string name = module.name.rfind(prefix, 0) == 0 ? module.name.substr(prefix.size()) : module.name;
    for (const auto& [pattern, alpha] : found->second.patterns) {
      if (std::regex_match(name, pattern)) return alpha;
    }
    return found->second.lora_alpha.value_or(rank);
  }
  const at::Tensor& alpha = lora.at(module.alpha_key);
  if (alpha.numel() != 1 || !alpha.is_floating_point()) {
    throw FormatError(source + ": LoRA alpha '" + module.alpha_key + "' must be one floating-point number, not " +
                      shape_text(alpha.sizes()));
  }
  return alpha.to(at::kDouble).item<double>();
}

// Which canonical component is missing every module the LoRA has for it:
// the signature of a LoRA made for another UNet or text encoder.
void check_components(const std::vector<Plan>& plans, const std::vector<LoraModule>& modules,
                      const std::string& source) {
  for (const char* component : {"unet", "text_encoder"}) {
    const LoraModule* first = nullptr;
    size_t count = 0;
    for (const LoraModule& module : modules) {
      if (lora_detail::target_component(module) != component || module.down_key.empty()) continue;
      if (!first) first = &module;
      ++count;
    }
    const bool any_matched = std::any_of(plans.begin(), plans.end(), [&](const Plan& plan) {
      return lora_detail::target_component(*plan.module) == component;
    });
    if (count > 0 && !any_matched) {
      throw FormatError(source + ": none of the LoRA's " + std::to_string(count) + " " + component +
                        " modules matches a weight of this model (first: '" + first->down_key +
                        "'): the LoRA was made for another model architecture (e.g. SDXL rather than SD1.5)");
    }
  }
}

at::Tensor fused(const at::Tensor& weight, const at::Tensor& down, const at::Tensor& up, double factor) {
  const at::TensorOptions fp32 = at::TensorOptions().dtype(at::kFloat).device(weight.device());
  const int64_t rank = down.size(0);
  const at::Tensor down2d = down.to(fp32).reshape({rank, -1});
  const at::Tensor up2d = up.to(fp32).reshape({up.size(0), rank});
  const at::Tensor delta = at::matmul(up2d, down2d).reshape(weight.sizes());
  // A new tensor: the old one may be a read-only view of the mapped checkpoint.
  return (weight.to(fp32) + delta * factor).to(weight.scalar_type()).contiguous();
}

}  // namespace

LoraReport fuse_lora(StateDict& canonical, const StateDict& lora, double scale, const std::string& source_name,
                     const std::map<std::string, std::string>& metadata) {
  const std::string& source = source_name;
  const lora_detail::ParsedLora parsed = lora_detail::parse_lora_keys(lora, source);
  const PeftAlphas peft_alphas = read_peft_alphas(metadata, source);
  const lora_detail::CanonicalNames names(canonical);

  LoraReport report;
  std::set<std::string> formats;
  std::vector<Plan> plans;
  std::vector<std::string> unmatched = parsed.unrecognized;

  // Check everything first so that a bad LoRA leaves the weights untouched.
  for (const LoraModule& module : parsed.modules) {
    check_pair(module, source);
    const std::string target = module.down_key.empty() ? std::string() : names.resolve(module, source);
    if (target.empty()) {  // includes a stray ".alpha" with no weights
      for (const std::string& key : module.keys()) unmatched.push_back(key);
      continue;
    }
    const at::Tensor& down = lora.at(module.down_key);
    const at::Tensor& up = lora.at(module.up_key);
    check_shapes(module, down, up, target, canonical.at(target), source);
    Plan plan;
    plan.module = &module;
    plan.target = target;
    const double rank = static_cast<double>(down.size(0));
    plan.factor = scale * alpha_of(module, lora, rank, peft_alphas, source) / rank;
    if (!module.up_bias_key.empty()) {
      plan.bias_target = target.substr(0, target.size() - std::string("weight").size()) + "bias";
      const auto bias = canonical.find(plan.bias_target);
      const at::Tensor& up_bias = lora.at(module.up_bias_key);
      if (bias == canonical.end() || bias->second.sizes() != up_bias.sizes()) {
        throw FormatError(
            source + ": LoRA bias '" + module.up_bias_key + "' " + shape_text(up_bias.sizes()) +
            " does not fit the model's '" + plan.bias_target + "'" +
            (bias == canonical.end() ? std::string(" (the model has none)") : " " + shape_text(bias->second.sizes())));
      }
    }
    formats.insert(format_name(module.format));
    plans.push_back(plan);
  }

  if (plans.empty()) {
    const std::string first =
        unmatched.empty() ? std::string("(the file has no tensors)") : "'" + unmatched.front() + "'";
    throw FormatError(source + ": none of the LoRA's " + std::to_string(lora.size()) +
                      " keys matches a weight of this model (first: " + first +
                      "): the LoRA was made for another model architecture (an SDXL LoRA on SD1.5, for example)");
  }
  check_components(plans, parsed.modules, source);

  for (const Plan& plan : plans) {
    const LoraModule& module = *plan.module;
    at::Tensor& weight = canonical.at(plan.target);
    weight = fused(weight, lora.at(module.down_key), lora.at(module.up_key), plan.factor);
    if (!plan.bias_target.empty()) {
      at::Tensor& bias = canonical.at(plan.bias_target);
      const at::Tensor up_bias = lora.at(module.up_bias_key).to(bias.device(), at::kFloat);
      bias = (bias.to(at::kFloat) + up_bias * plan.factor).to(bias.scalar_type()).contiguous();
    }
    ++report.fused;
  }

  std::sort(unmatched.begin(), unmatched.end());
  report.unmatched = std::move(unmatched);
  for (const std::string& format : formats) report.format += (report.format.empty() ? "" : "+") + format;
  return report;
}

}  // namespace semdraw::io
