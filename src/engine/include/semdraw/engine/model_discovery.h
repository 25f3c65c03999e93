#pragma once
// Where the weights come from (README.md, "Where weights go"). Nothing is ever downloaded: the
// program only looks at what the artist already has, in this order:
//   1. an explicit path (--model / the app's model chooser),
//   2. the SEMDRAW_MODEL environment variable,
//   3. the models/ folder (sub-folders holding model_index.json, then
//      *.safetensors single files),
//   4. an existing Hugging Face cache (~/.cache/huggingface/hub or
//      $HF_HUB_CACHE / $HF_HOME/hub): models--*/snapshots/* holding a
//      diffusers pipeline (model_index.json).
// Torch-free.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace semdraw {

struct ModelCandidate {
  std::filesystem::path path;
  std::string source;  // "argument", "SEMDRAW_MODEL", "models/", "huggingface cache"
};

// True for a diffusers folder (model_index.json) or a .safetensors file.
bool looks_like_model(const std::filesystem::path& path);

// Every candidate in discovery order (for the model chooser).
std::vector<ModelCandidate> find_models(const std::optional<std::filesystem::path>& explicit_path,
                                        const std::filesystem::path& models_dir);

// The first candidate; an explicit path or SEMDRAW_MODEL that does not look
// like a model throws std::runtime_error naming it (a typo must not silently
// fall through to another model).
std::optional<ModelCandidate> discover_model(const std::optional<std::filesystem::path>& explicit_path,
                                             const std::filesystem::path& models_dir);

}  // namespace semdraw
