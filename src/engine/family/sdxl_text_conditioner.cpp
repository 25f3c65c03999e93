#include "family/sdxl_text_conditioner.h"

#include <stdexcept>
#include <vector>

namespace semdraw::family {

SdxlTextConditioner::SdxlTextConditioner(const text::ClipTokenizer* tokenizer, nn::ClipTextEncoder encoder,
                                         const text::ClipTokenizer* tokenizer_2, nn::ClipTextEncoder encoder_2,
                                         at::Device device, at::ScalarType dtype, int clip_skip)
    : first_{tokenizer, std::move(encoder)},
      second_{tokenizer_2, std::move(encoder_2)},
      device_(device),
      dtype_(dtype),
      clip_skip_(clip_skip) {
  if (!first_.complete() || !second_.complete())
    throw std::invalid_argument("SDXL text conditioner: needs both tokenizers and both text encoders");
  if (!second_.encoder->config().with_projection)
    throw std::invalid_argument("SDXL text conditioner: the second text encoder has no text projection");
}

pipeline::Conditioning SdxlTextConditioner::encode_text(const std::string& text) {
  // hidden_states[-(k + 2)] is the output of all but the last k + 1 layers.
  const auto first = first_.encoder->encode(first_.ids(text, device_), clip_skip_ + 1, /*final_norm=*/false);
  const auto second = second_.encoder->encode(second_.ids(text, device_), clip_skip_ + 1, /*final_norm=*/false);
  return {at::cat({first.hidden, second.hidden}, -1).to(dtype_), second.pooled.to(dtype_)};
}

pipeline::Conditioning SdxlTextConditioner::encode_negative(const std::string& text) {
  const pipeline::Conditioning c = cached(text);
  if (!text.empty()) return c;
  return {at::zeros_like(c.embeds), at::zeros_like(c.pooled)};
}

}  // namespace semdraw::family
