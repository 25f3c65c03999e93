#pragma once
// `semdraw-cli make-model`: writes a complete Stable Diffusion pipeline in
// diffusers layout with deterministic random weights, for tests (tiny) and
// speed/memory benchmarks (sd15). Torch-free so the CLI can include it.
#include <cstdint>
#include <string>
#include <vector>

namespace semdraw {

struct MakeModelOptions {
  std::string preset = "tiny";  // tiny | sd15 | tiny-sdxl
  uint64_t seed = 0;
  std::string out;          // folder to create (must not exist or be empty)
  std::string dtype;        // fp32 | fp16; empty: the preset's default (sd15: fp16)
  std::string single_file;  // also write the original single-file layout here
  std::string lora;         // also write a random rank-4 LoRA (diffusers/peft keys) here
  // Folder holding clip/vocab.json and clip/merges.txt (copied into
  // tokenizer/); empty: "resources" beside or above the executable or cwd.
  std::string resources_dir;
};

struct MakeModelResult {
  std::vector<std::string> files;  // relative to `out`, plus the extra files as given
  int64_t parameters = 0;          // in unet + text_encoder + vae + taesd
  double seconds = 0;
};

// Throws std::runtime_error / std::invalid_argument naming the option, file
// or preset at fault.
MakeModelResult make_model(const MakeModelOptions& options);

}  // namespace semdraw
