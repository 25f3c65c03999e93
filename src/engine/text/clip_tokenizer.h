// CLIP byte-level BPE tokenizer (SD1.x/SD2.x text encoders), torch-free.
//
// Gives the same ids as transformers' CLIPTokenizer (v5, the HF `tokenizers`
// backend) for every input: special tokens written in the text are matched
// first (as transformers does, e.g. a literal "<|endoftext|>" becomes id
// 49407), the rest is normalised, pre-tokenised and BPE-encoded
// (clip_text_processing.h, bpe.h). Input bytes that are not valid UTF-8 are
// replaced by U+FFFD first, like Python's decode(errors="replace").
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace semdraw::text {

class ClipTokenizer {
 public:
  // Reads vocab.json and merges.txt (both required) and, when present,
  // tokenizer_config.json and special_tokens_map.json (the latter wins) for
  // the bos/eos/unk/pad tokens. SD1.x folders pad with "<|endoftext|>",
  // SD2.x folders with "!" (id 0). Throws std::runtime_error naming the file
  // on a missing or malformed file or a special token absent from the vocabulary.
  static ClipTokenizer from_folder(const std::filesystem::path& folder);
  // The standard CLIP vocabulary shipped in <resources_dir>/clip.
  static ClipTokenizer bundled(const std::filesystem::path& resources_dir);

  ClipTokenizer(ClipTokenizer&&) noexcept;
  ClipTokenizer& operator=(ClipTokenizer&&) noexcept;
  ~ClipTokenizer();

  // Token ids without BOS/EOS. Never throws on text content. Thread-safe.
  std::vector<int32_t> encode(std::string_view utf8) const;
  // BOS + the first (length - 2) tokens + EOS, then padding up to `length`:
  // what tokenizer(text, padding="max_length", max_length=length,
  // truncation=True).input_ids gives. Throws std::invalid_argument if length < 2.
  std::vector<int32_t> encode_padded(std::string_view utf8, int length = 77) const;

  int32_t bos_id() const;
  int32_t eos_id() const;
  int32_t pad_id() const;
  std::size_t vocab_size() const;

 private:
  struct Impl;
  explicit ClipTokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace semdraw::text
