#include "pipeline/conditioning.h"

namespace semdraw::pipeline {

namespace {
// `part` of every batch, or undefined when the first has none.
at::Tensor cat_part(const std::vector<Conditioning>& batches, at::Tensor Conditioning::*part) {
  if (batches.empty() || !(batches.front().*part).defined()) return {};
  std::vector<at::Tensor> parts;
  for (const Conditioning& batch : batches) parts.push_back(batch.*part);
  return at::cat(parts, 0);
}

at::Tensor repeat_part(const at::Tensor& part, int64_t times) {
  if (!part.defined()) return part;
  std::vector<int64_t> repeats(static_cast<size_t>(part.dim()), 1);
  repeats[0] = times;
  return part.repeat(repeats);
}
}  // namespace

Conditioning Conditioning::lerp_to(const Conditioning& other, double weight) const {
  return {at::lerp(embeds, other.embeds, weight), pooled.defined() ? at::lerp(pooled, other.pooled, weight) : pooled};
}

Conditioning Conditioning::cat(const std::vector<Conditioning>& batches) {
  return {cat_part(batches, &Conditioning::embeds), cat_part(batches, &Conditioning::pooled)};
}

Conditioning Conditioning::narrow(int64_t start, int64_t length) const {
  return {embeds.narrow(0, start, length), pooled.defined() ? pooled.narrow(0, start, length) : pooled};
}

Conditioning Conditioning::repeat(int64_t times) const {
  return {repeat_part(embeds, times), repeat_part(pooled, times)};
}

PromptConditioning PromptConditioning::lerp_to(const PromptConditioning& other, double weight) const {
  return {cond.lerp_to(other.cond, weight), uncond.lerp_to(other.uncond, weight)};
}

}  // namespace semdraw::pipeline
