#include "io/pickle_guard.h"

#include <algorithm>
#include <cctype>

#include "io/safetensors.h"

namespace semdraw::io {

bool has_pickle_extension(const std::filesystem::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".ckpt" || extension == ".pt" || extension == ".pth" || extension == ".bin";
}

bool starts_like_pickle(const std::byte* data, std::size_t size) {
  if (size < 4) return false;
  const auto byte = [&](std::size_t i) { return std::to_integer<unsigned>(data[i]); };
  const bool looks_like_safetensors = size > 8 && byte(8) == '{';
  if (looks_like_safetensors) return false;
  const bool pickle = byte(0) == 0x80 && byte(1) >= 0x02 && byte(1) <= 0x05;
  const bool zip = byte(0) == 'P' && byte(1) == 'K' && byte(2) == 0x03 && byte(3) == 0x04;
  return pickle || zip;
}

void refuse_pickle(const std::filesystem::path& file, const std::string& why) {
  throw FormatError(file.string() + ": " + why +
                    ". This is a pickle checkpoint (PyTorch .ckpt/.pt/.pth/.bin): loading one runs whatever code it "
                    "contains, so SemanticDraw only reads .safetensors. Convert it once, in a Python environment you "
                    "trust with this file, e.g. `python -c \"import torch; from safetensors.torch import save_file; "
                    "sd = torch.load('IN.ckpt', map_location='cpu', weights_only=True); "
                    "sd = sd.get('state_dict', sd); save_file({k: v.contiguous() for k, v in sd.items()}, "
                    "'OUT.safetensors')\"`; for a diffusers folder, load it with diffusers and call "
                    "save_pretrained(folder, safe_serialization=True)");
}

}  // namespace semdraw::io
