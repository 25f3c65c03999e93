#pragma once
// Conditioning as the region pipelines carry it, whatever the model family:
// the text embeddings every family has, and the pooled embedding of families
// that take one (SDXL). Batches stack entries along dim 0.
#include <ATen/ATen.h>

#include <vector>

namespace semdraw::pipeline {

struct Conditioning {
  at::Tensor embeds;  // [B,M,D]
  at::Tensor pooled;  // [B,P]; undefined for families without a pooled embedding

  // lerp(this, other, weight) of both parts (a region's prompt strength).
  Conditioning lerp_to(const Conditioning& other, double weight) const;
  // Entry-wise along dim 0, both parts alike.
  static Conditioning cat(const std::vector<Conditioning>& batches);
  Conditioning narrow(int64_t start, int64_t length) const;
  // The whole batch `times` over: [B,…] -> [times·B,…].
  Conditioning repeat(int64_t times) const;
};

// A prompt's conditioning and its negative prompt's (the unconditional side
// of classifier-free guidance).
struct PromptConditioning {
  Conditioning cond, uncond;
  PromptConditioning lerp_to(const PromptConditioning& other, double weight) const;
};

}  // namespace semdraw::pipeline
