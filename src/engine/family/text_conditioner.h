#pragma once
// A model family's text conditioner (docs/ALGORITHM.md §3): prompt -> what
// its denoiser is conditioned on. Every text is cached, in one cache per
// conditioner, so editing one region's prompt encodes only that prompt and
// every other lookup is a hit. A family derives from this and encodes a
// text on a miss.
#include <ATen/ATen.h>

#include <list>
#include <string>
#include <unordered_map>
#include <utility>

#include "pipeline/conditioning.h"

namespace semdraw::family {

class TextConditioner {
 public:
  explicit TextConditioner(size_t capacity = 256);
  virtual ~TextConditioner() = default;
  TextConditioner(const TextConditioner&) = delete;
  TextConditioner& operator=(const TextConditioner&) = delete;

  // A prompt's conditioning and its negative prompt's, each [1,…] on the
  // engine's device and dtype.
  pipeline::PromptConditioning encode(const std::string& prompt, const std::string& negative);
  size_t encoded_count() const { return encoded_count_; }  // cache misses so far (tests)

 protected:
  // One text's conditioning, from the cache or from encode_text.
  pipeline::Conditioning cached(const std::string& text);
  // A text's conditioning on a cache miss.
  virtual pipeline::Conditioning encode_text(const std::string& text) = 0;
  // A negative prompt's conditioning: by default that of the text as a prompt.
  virtual pipeline::Conditioning encode_negative(const std::string& text) { return cached(text); }

 private:
  using Entry = std::pair<std::string, pipeline::Conditioning>;
  size_t capacity_;
  size_t encoded_count_ = 0;
  std::list<Entry> order_;  // least recently used at the back
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace semdraw::family
