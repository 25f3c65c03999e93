#pragma once
// SDXL's text conditioning, as diffusers' StableDiffusionXLPipeline.encode_prompt
// computes it: each of the two tokenizer/encoder pairs encodes the prompt; the
// penultimate hidden states (no final norm) are concatenated along the
// channels, [1,77,D1+D2]; the second encoder's projected pooled token is the
// pooled embedding [1,P] that conditions the UNet with the time ids.
// (Not cached and not used by the pipelines yet: the SDXL pipelines are the
// next step.)
#include <ATen/ATen.h>

#include <string>

#include "nn/clip_text_encoder.h"
#include "text/clip_tokenizer.h"

namespace semdraw::pipeline {

struct SdxlConditioning {
  at::Tensor embeds;  // [1, 77, D1 + D2]
  at::Tensor pooled;  // [1, P]
};

class SdxlPromptEncoder {
 public:
  SdxlPromptEncoder(const text::ClipTokenizer* tokenizer, nn::ClipTextEncoder encoder,
                    const text::ClipTokenizer* tokenizer_2, nn::ClipTextEncoder encoder_2, at::Device device,
                    at::ScalarType dtype);

  // clip_skip = k takes hidden_states[-(k + 2)] of both encoders (diffusers' rule).
  SdxlConditioning encode(const std::string& text, int clip_skip = 0);

 private:
  at::Tensor ids(const text::ClipTokenizer& tokenizer, const std::string& text) const;

  const text::ClipTokenizer* tokenizer_;
  nn::ClipTextEncoder encoder_;
  const text::ClipTokenizer* tokenizer_2_;
  nn::ClipTextEncoder encoder_2_;
  at::Device device_;
  at::ScalarType dtype_;
};

}  // namespace semdraw::pipeline
