#include "family/text_conditioner.h"

#include <algorithm>

namespace semdraw::family {

TextConditioner::TextConditioner(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {}

pipeline::PromptConditioning TextConditioner::encode(const std::string& prompt, const std::string& negative) {
  return {cached(prompt), encode_negative(negative)};
}

pipeline::Conditioning TextConditioner::cached(const std::string& text) {
  if (const auto found = index_.find(text); found != index_.end()) {
    order_.splice(order_.begin(), order_, found->second);
    return found->second->second;
  }
  at::NoGradGuard no_grad;
  pipeline::Conditioning conditioning = encode_text(text);
  ++encoded_count_;
  order_.emplace_front(text, conditioning);
  index_[text] = order_.begin();
  if (order_.size() > capacity_) {
    index_.erase(order_.back().first);
    order_.pop_back();
  }
  return conditioning;
}

}  // namespace semdraw::family
