#pragma once
// Text -> conditioning, cached by text (docs/ALGORITHM.md §3): editing one region's
// prompt re-encodes only that prompt; every other lookup is a cache hit.
#include <ATen/ATen.h>

#include <list>
#include <string>
#include <unordered_map>

#include "nn/clip_text_encoder.h"
#include "text/clip_tokenizer.h"

namespace semdraw::pipeline {

class PromptEncoder {
 public:
  PromptEncoder(const text::ClipTokenizer* tokenizer, nn::ClipTextEncoder encoder, at::Device device,
                at::ScalarType dtype, int clip_skip = 0, size_t capacity = 256);

  // [1,77,D] on the engine's device and dtype.
  at::Tensor encode(const std::string& text);

  size_t encoded_count() const { return encoded_count_; }  // cache misses so far (tests)
  void set_clip_skip(int clip_skip);

 private:
  const text::ClipTokenizer* tokenizer_;
  nn::ClipTextEncoder encoder_;
  at::Device device_;
  at::ScalarType dtype_;
  int clip_skip_;
  size_t capacity_;
  size_t encoded_count_ = 0;
  // Least recently used at the back.
  std::list<std::pair<std::string, at::Tensor>> order_;
  std::unordered_map<std::string, std::list<std::pair<std::string, at::Tensor>>::iterator> index_;
};

}  // namespace semdraw::pipeline
