#include "pipeline/prompt_encoder.h"

namespace semdraw::pipeline {

PromptEncoder::PromptEncoder(const text::ClipTokenizer* tokenizer, nn::ClipTextEncoder encoder, at::Device device,
                             at::ScalarType dtype, int clip_skip, size_t capacity)
    : tokenizer_(tokenizer),
      encoder_(std::move(encoder)),
      device_(device),
      dtype_(dtype),
      clip_skip_(clip_skip),
      capacity_(std::max<size_t>(capacity, 1)) {}

void PromptEncoder::set_clip_skip(int clip_skip) {
  if (clip_skip == clip_skip_) return;
  clip_skip_ = clip_skip;
  order_.clear();
  index_.clear();
}

at::Tensor PromptEncoder::encode(const std::string& text) {
  if (const auto found = index_.find(text); found != index_.end()) {
    order_.splice(order_.begin(), order_, found->second);
    return found->second->second;
  }
  at::NoGradGuard no_grad;
  const std::vector<int32_t> ids = tokenizer_->encode_padded(text, 77);
  const at::Tensor input =
      at::tensor(std::vector<int64_t>(ids.begin(), ids.end()), at::kLong).view({1, -1}).to(device_);
  at::Tensor embedding = encoder_->forward(input, clip_skip_).to(dtype_);
  ++encoded_count_;
  order_.emplace_front(text, embedding);
  index_[text] = order_.begin();
  if (order_.size() > capacity_) {
    index_.erase(order_.back().first);
    order_.pop_back();
  }
  return embedding;
}

}  // namespace semdraw::pipeline
