#pragma once
// Recognises single-file checkpoints of model families the engine does not
// run (SDXL single files, SD2, SD3, FLUX, inpainting UNets) and files that are not a
// whole model (a LoRA, a VAE alone), from their tensor names and a shape or
// two, so an artist who picks one reads what it is instead of a list of
// mismatched weights.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace semdraw::io {

struct UnsupportedCheckpoint {
  std::string what;      // "an SDXL checkpoint", "a LoRA", ...
  std::string evidence;  // the tensor name that shows it
  std::string advice;    // what to do instead
};

// names -> shapes of every tensor in the file. nullopt: it looks like an
// SD1.x checkpoint (or nothing recognisable; the loader then says what is missing).
std::optional<UnsupportedCheckpoint> recognise_unsupported_checkpoint(
    const std::map<std::string, std::vector<int64_t>>& shapes);

// The error text for it, naming the file.
std::string describe(const UnsupportedCheckpoint& found, const std::string& file);

}  // namespace semdraw::io
