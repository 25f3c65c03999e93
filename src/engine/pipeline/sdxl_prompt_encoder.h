#pragma once
// SDXL's text conditioning, as diffusers' StableDiffusionXLPipeline.encode_prompt
// computes it: each of the two tokenizer/encoder pairs encodes the prompt; the
// penultimate hidden states (no final norm) are concatenated along the
// channels, [1,77,D1+D2]; the second encoder's projected pooled token is the
// pooled embedding [1,P] that conditions the UNet with the time ids.
// Cached by (text, clip skip): a live stream re-mixes its regions' prompts on
// every edit, and only a changed prompt should reach the encoders.
#include <ATen/ATen.h>

#include <string>
#include <unordered_map>

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
                    at::ScalarType dtype, int clip_skip = 0);

  // clip_skip = k takes hidden_states[-(k + 2)] of both encoders (diffusers' rule).
  SdxlConditioning encode(const std::string& text, int clip_skip);
  // With the clip skip given at construction.
  SdxlConditioning encode(const std::string& text) { return encode(text, clip_skip_); }
  size_t encoded_count() const { return encoded_count_; }  // cache misses so far (tests)

 private:
  at::Tensor ids(const text::ClipTokenizer& tokenizer, const std::string& text) const;

  const text::ClipTokenizer* tokenizer_;
  nn::ClipTextEncoder encoder_;
  const text::ClipTokenizer* tokenizer_2_;
  nn::ClipTextEncoder encoder_2_;
  at::Device device_;
  at::ScalarType dtype_;
  int clip_skip_;
  std::unordered_map<std::string, SdxlConditioning> cache_;  // cleared when it grows past kCacheSize
  size_t encoded_count_ = 0;
};

}  // namespace semdraw::pipeline
