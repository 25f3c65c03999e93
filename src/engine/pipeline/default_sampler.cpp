#include "pipeline/default_sampler.h"

#include <algorithm>
#include <cctype>

#include "nn/config_reader.h"

namespace semdraw::pipeline {

namespace fs = std::filesystem;

namespace {
bool names_lightning(const fs::path& path) {
  std::string name = path.filename().string();
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  return name.find("lightning") != std::string::npos;
}
}  // namespace

DefaultSampler choose_default_sampler(const fs::path& model, const std::vector<fs::path>& loras) {
  const fs::path config_file = model / "scheduler" / "scheduler_config.json";
  std::error_code ec;
  if (fs::is_regular_file(config_file, ec)) {
    const nn::ConfigReader config = nn::ConfigReader::from_file(config_file);
    if (config.get_or<std::string>("_class_name", "") == "EulerDiscreteScheduler" &&
        config.get_or<std::string>("timestep_spacing", "") == "trailing") {
      return {SamplerChoice::EulerTrailing, "the model's scheduler config asks for Euler with trailing timesteps"};
    }
  }
  for (const fs::path& lora : loras) {
    if (names_lightning(lora)) return {SamplerChoice::EulerTrailing, "SDXL-Lightning LoRA " + lora.filename().string()};
  }
  if (names_lightning(model))
    return {SamplerChoice::EulerTrailing, "SDXL-Lightning model " + model.filename().string()};
  return {SamplerChoice::Lcm, "the default for LCM-LoRA and LCM models"};
}

}  // namespace semdraw::pipeline
