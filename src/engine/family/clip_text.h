#pragma once
// One CLIP tokenizer with its text encoder, as the CLIP-conditioned families
// (SD1.5, SDXL) hold them.
#include <ATen/ATen.h>

#include <string>

#include "nn/clip_text_encoder.h"
#include "text/clip_tokenizer.h"

namespace semdraw::family {

struct ClipText {
  const text::ClipTokenizer* tokenizer = nullptr;
  nn::ClipTextEncoder encoder{nullptr};

  bool complete() const { return tokenizer && !encoder.is_empty(); }
  // `text` as 77 token ids (padded as the tokenizer pads), [1,77] on `device`.
  at::Tensor ids(const std::string& text, at::Device device) const {
    const std::vector<int32_t> ids = tokenizer->encode_padded(text, 77);
    return at::tensor(std::vector<int64_t>(ids.begin(), ids.end()), at::kLong).view({1, -1}).to(device);
  }
};

}  // namespace semdraw::family
