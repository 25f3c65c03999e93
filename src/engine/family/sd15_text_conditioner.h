#pragma once
// SD1.x text conditioning: one CLIP text encoder's last hidden state (after
// its final layer norm; clip skip k takes the output of all but the last k
// layers), [1,77,768]. No pooled embedding.
#include "family/clip_text.h"
#include "family/text_conditioner.h"

namespace semdraw::family {

class Sd15TextConditioner final : public TextConditioner {
 public:
  Sd15TextConditioner(const text::ClipTokenizer* tokenizer, nn::ClipTextEncoder encoder, at::Device device,
                      at::ScalarType dtype, int clip_skip = 0);

 private:
  pipeline::Conditioning encode_text(const std::string& text) override;

  ClipText clip_;
  at::Device device_;
  at::ScalarType dtype_;
  int clip_skip_;
};

}  // namespace semdraw::family
