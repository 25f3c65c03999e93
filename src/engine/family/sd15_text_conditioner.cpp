#include "family/sd15_text_conditioner.h"

#include <stdexcept>

namespace semdraw::family {

Sd15TextConditioner::Sd15TextConditioner(const text::ClipTokenizer* tokenizer, nn::ClipTextEncoder encoder,
                                         at::Device device, at::ScalarType dtype, int clip_skip)
    : clip_{tokenizer, std::move(encoder)}, device_(device), dtype_(dtype), clip_skip_(clip_skip) {
  if (!clip_.complete()) throw std::invalid_argument("SD1.5 text conditioner: needs a tokenizer and a text encoder");
}

pipeline::Conditioning Sd15TextConditioner::encode_text(const std::string& text) {
  return {clip_.encoder->forward(clip_.ids(text, device_), clip_skip_).to(dtype_), {}};
}

}  // namespace semdraw::family
