#pragma once
// SDXL's text conditioning, as diffusers' StableDiffusionXLPipeline.encode_prompt
// computes it: each of the two tokenizer/encoder pairs encodes the prompt; the
// penultimate hidden states (no final norm) are concatenated along the
// channels, [1,77,D1+D2]; the second encoder's projected pooled token is the
// pooled embedding [1,P] that conditions the UNet with the time ids. An empty
// negative prompt is zeros, as SDXL models ask (diffusers'
// force_zeros_for_empty_prompt).
#include "family/clip_text.h"
#include "family/text_conditioner.h"

namespace semdraw::family {

class SdxlTextConditioner final : public TextConditioner {
 public:
  // clip_skip = k takes hidden_states[-(k + 2)] of both encoders (diffusers' rule).
  SdxlTextConditioner(const text::ClipTokenizer* tokenizer, nn::ClipTextEncoder encoder,
                      const text::ClipTokenizer* tokenizer_2, nn::ClipTextEncoder encoder_2, at::Device device,
                      at::ScalarType dtype, int clip_skip = 0);

 private:
  pipeline::Conditioning encode_text(const std::string& text) override;
  pipeline::Conditioning encode_negative(const std::string& text) override;

  ClipText first_, second_;
  at::Device device_;
  at::ScalarType dtype_;
  int clip_skip_;
};

}  // namespace semdraw::family
