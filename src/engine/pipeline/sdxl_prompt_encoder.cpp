#include "pipeline/sdxl_prompt_encoder.h"

#include <stdexcept>
#include <vector>

namespace semdraw::pipeline {

SdxlPromptEncoder::SdxlPromptEncoder(const text::ClipTokenizer* tokenizer, nn::ClipTextEncoder encoder,
                                     const text::ClipTokenizer* tokenizer_2, nn::ClipTextEncoder encoder_2,
                                     at::Device device, at::ScalarType dtype, int clip_skip)
    : tokenizer_(tokenizer),
      encoder_(std::move(encoder)),
      tokenizer_2_(tokenizer_2),
      encoder_2_(std::move(encoder_2)),
      device_(device),
      dtype_(dtype),
      clip_skip_(clip_skip) {
  if (!tokenizer_ || !tokenizer_2_ || encoder_.is_empty() || encoder_2_.is_empty())
    throw std::invalid_argument("SDXL prompt encoder: needs both tokenizers and both text encoders");
  if (!encoder_2_->config().with_projection)
    throw std::invalid_argument("SDXL prompt encoder: the second text encoder has no text projection");
}

at::Tensor SdxlPromptEncoder::ids(const text::ClipTokenizer& tokenizer, const std::string& text) const {
  const std::vector<int32_t> ids = tokenizer.encode_padded(text, 77);
  return at::tensor(std::vector<int64_t>(ids.begin(), ids.end()), at::kLong).view({1, -1}).to(device_);
}

namespace {
constexpr size_t kCacheSize = 256;
}

SdxlConditioning SdxlPromptEncoder::encode(const std::string& text, int clip_skip) {
  const std::string key = std::to_string(clip_skip) + '\n' + text;
  if (const auto found = cache_.find(key); found != cache_.end()) return found->second;
  if (cache_.size() >= kCacheSize) cache_.clear();
  at::NoGradGuard no_grad;
  // hidden_states[-(k + 2)] is the output of all but the last k + 1 layers.
  const auto first = encoder_->encode(ids(*tokenizer_, text), clip_skip + 1, /*final_norm=*/false);
  const auto second = encoder_2_->encode(ids(*tokenizer_2_, text), clip_skip + 1, /*final_norm=*/false);
  SdxlConditioning out{at::cat({first.hidden, second.hidden}, -1).to(dtype_), second.pooled.to(dtype_)};
  ++encoded_count_;
  cache_.emplace(key, out);
  return out;
}

}  // namespace semdraw::pipeline
