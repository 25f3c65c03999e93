#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "semdraw/engine/scene.h"

namespace semdraw {

namespace {
// Beyond these the numbers mean nothing more (a blur wider than the largest
// canvas is a flat mask; guidance of 100 already saturates every pixel) while
// still costing memory (the blur kernel grows with sigma) or overflowing to a
// black image, so a larger value is a typo or a hostile file.
constexpr double kMaxBlurSigma = kMaxCanvasSide;
constexpr double kMaxGuidance = 100;

void require_finite(double value, const std::string& field) {
  if (!std::isfinite(value)) throw std::invalid_argument(field + " must be a finite number");
}

void require_within(double value, double limit, const std::string& field) {
  require_finite(value, field);
  if (std::fabs(value) > limit)
    throw std::invalid_argument(field + " is " + std::to_string(value) + "; it must lie within -" +
                                std::to_string(static_cast<int>(limit)) + ".." +
                                std::to_string(static_cast<int>(limit)));
}

// Negative values have no meaning for these fields; 0 is their "off".
void clamp_non_negative(double& value, const std::string& field, std::vector<std::string>& warnings) {
  require_finite(value, field);
  if (value < 0) {
    warnings.push_back(field + " was " + std::to_string(value) + "; using 0");
    value = 0;
  }
}

void check_side(int side, const char* name) {
  if (side <= 0 || side > kMaxCanvasSide || side % 8 != 0) {
    throw std::invalid_argument(std::string("canvas ") + name + " " + std::to_string(side) +
                                " must be a multiple of 8 between 8 and " + std::to_string(kMaxCanvasSide) +
                                " (the latent is 1/8 of the canvas)");
  }
}
}  // namespace

bool region_contributes(const RegionSpec& region) {
  return region.enabled && region.mask_strength > 0 &&
         std::any_of(region.mask.values.begin(), region.mask.values.end(), [](float v) { return v > 0; });
}

std::vector<std::string> validate_scene(Scene& scene) {
  std::vector<std::string> warnings;
  check_side(scene.width, "width");
  check_side(scene.height, "height");
  if (scene.regions.size() > static_cast<size_t>(kMaxRegions)) {
    throw std::invalid_argument("the scene has " + std::to_string(scene.regions.size()) + " regions; at most " +
                                std::to_string(kMaxRegions) + " are supported");
  }
  for (size_t i = 0; i < scene.regions.size(); ++i) {
    RegionSpec& region = scene.regions[i];
    const std::string at = "regions[" + std::to_string(i) + "].";
    clamp_non_negative(region.prompt_strength, at + "prompt_strength", warnings);
    clamp_non_negative(region.mask_strength, at + "mask_strength", warnings);
    clamp_non_negative(region.blur_sigma, at + "blur_sigma", warnings);
    if (region.blur_sigma > kMaxBlurSigma) {
      warnings.push_back(at + "blur_sigma " + std::to_string(region.blur_sigma) + " is wider than any canvas; using " +
                         std::to_string(static_cast<int>(kMaxBlurSigma)));
      region.blur_sigma = kMaxBlurSigma;
    }
    if (region.prompt_strength > 1) {
      warnings.push_back(at + "prompt_strength above 1 extrapolates past the region prompt");
    }
    const MaskImage& mask = region.mask;
    if (!mask.empty()) {
      if (mask.width <= 0 || mask.height <= 0 ||
          mask.values.size() != static_cast<size_t>(mask.width) * static_cast<size_t>(mask.height)) {
        throw std::invalid_argument(at + "mask: " + std::to_string(mask.values.size()) + " values do not fill " +
                                    std::to_string(mask.width) + "x" + std::to_string(mask.height));
      }
      for (float v : mask.values) {
        if (!std::isfinite(v)) throw std::invalid_argument(at + "mask contains a non-finite value");
      }
      if (mask.width != scene.width || mask.height != scene.height) {
        warnings.push_back(at + "mask is " + std::to_string(mask.width) + "x" + std::to_string(mask.height) +
                           ", resized to the " + std::to_string(scene.width) + "x" + std::to_string(scene.height) +
                           " canvas");
      }
    }
  }
  const RgbImage& image = scene.background.image;
  if (!image.empty() && (image.width <= 0 || image.height <= 0 ||
                         image.pixels.size() != static_cast<size_t>(image.width) * image.height * 3)) {
    throw std::invalid_argument("background.image: pixel count does not match its size");
  }
  GenerationSettings& s = scene.settings;
  if (s.step_indices.empty() && s.steps <= 0) throw std::invalid_argument("settings.step_indices is empty");
  for (size_t k = 0; k < s.step_indices.size(); ++k) {
    const int index = s.step_indices[k];
    if (index < 0 || index >= 50 || (k > 0 && index <= s.step_indices[k - 1])) {
      throw std::invalid_argument("settings.step_indices must increase within 0..49");
    }
  }
  if (s.steps < 0 || s.steps > 50) throw std::invalid_argument("settings.steps must be within 0..50");
  require_finite(s.bootstrap_mix_steps, "settings.bootstrap_mix_steps");
  require_finite(s.cover_alpha, "settings.cover_alpha");
  require_within(s.guidance, kMaxGuidance, "settings.guidance");
  require_within(s.delta, kMaxGuidance, "settings.delta");
  if (s.cover_alpha < 0 || s.cover_alpha > 1) {
    warnings.push_back("settings.cover_alpha clamped to [0,1]");
    s.cover_alpha = std::clamp(s.cover_alpha, 0.0, 1.0);
  }
  if (s.bootstrap_steps < 0) {
    warnings.push_back("settings.bootstrap_steps was negative; using 0");
    s.bootstrap_steps = 0;
  }
  if (s.tile_size < 64 || s.tile_size % 8 != 0) {
    throw std::invalid_argument("settings.tile_size must be a multiple of 8, at least 64");
  }
  return warnings;
}

}  // namespace semdraw
