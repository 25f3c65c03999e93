#include "cli/engine_options.h"

#include <stdexcept>

#include "semdraw/engine/model_discovery.h"

namespace semdraw::cli {

namespace {
// --device / --precision by their spellings; errors name the option.
template <typename Choice>
Choice parsed_option(const Args& args, const char* name, Choice (*from_name)(std::string_view), Choice fallback) {
  const auto text = args.get(name);
  if (!text) return fallback;
  try {
    return from_name(*text);
  } catch (const std::invalid_argument& problem) {
    throw std::runtime_error(std::string("--") + name + " " + problem.what());
  }
}
}  // namespace

std::set<std::string> engine_option_names() { return {"model", "taesd", "lora", "device", "precision", "cuda-graphs"}; }

const char* engine_options_usage() {
  return "Engine options: --model M (else SEMDRAW_MODEL, models/, the Hugging Face cache) [--taesd DIR]\n"
         "  [--lora FILE[:SCALE]] [--device auto|cpu|cuda] [--precision auto|fp32|bf16|fp16]\n"
         "  [--cuda-graphs on|off]   (precision auto: fp16 on CUDA; bf16 on CPUs with bf16 in hardware, else fp32)\n";
}

EngineOptions engine_options_from(const Args& args) {
  EngineOptions options;
  std::optional<std::filesystem::path> explicit_model;
  if (auto model = args.get("model")) explicit_model = *model;
  const auto found = discover_model(explicit_model, std::filesystem::path(SEMDRAW_RESOURCES_DIR) / "../models");
  if (!found) {
    throw std::runtime_error(
        "no model found: pass --model DIR_OR_FILE, set SEMDRAW_MODEL, or put one in models/ "
        "(README: \"Where weights go\")");
  }
  options.model = found->path.string();
  options.taesd = args.get("taesd").value_or("");
  if (auto lora = args.get("lora")) {
    // FILE or FILE:SCALE
    std::string file = *lora;
    double scale = 1.0;
    if (const auto colon = file.rfind(':'); colon != std::string::npos) {
      try {
        scale = std::stod(file.substr(colon + 1));
        file = file.substr(0, colon);
      } catch (const std::exception&) {
        // a path containing ':' with no scale
      }
    }
    options.loras.emplace_back(file, scale);
  }
  options.device = parsed_option(args, "device", &device_choice_from_name, DeviceChoice::Auto);
  options.precision = parsed_option(args, "precision", &precision_from_name, Precision::Auto);
  const std::string graphs = args.get("cuda-graphs").value_or("on");
  if (graphs != "on" && graphs != "off")
    throw std::runtime_error("--cuda-graphs must be on or off, got '" + graphs + "'");
  options.cuda_graphs = graphs == "on";
  options.resources_dir = SEMDRAW_RESOURCES_DIR;
  return with_environment(options);
}

}  // namespace semdraw::cli
