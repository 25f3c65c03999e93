// Byte-level BPE with an end-of-word suffix: the model half of the CLIP
// tokenizer. A word's UTF-8 bytes become the byte-level symbols (GPT-2's
// bytes_to_unicode alphabet), the last one carrying "</w>", and merges are
// applied lowest rank first until none applies.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace semdraw::text {

// The printable character that byte-level BPE uses for byte b (GPT-2 / CLIP
// bytes_to_unicode): printable Latin-1 bytes stand for themselves, the other
// 68 bytes map to U+0100.. in byte order.
char32_t byte_level_char(uint8_t b);

class BytePairEncoder {
 public:
  // `vocab`: token -> id. `merges`: pairs of tokens, highest priority first.
  // Throws std::invalid_argument naming `merges_origin` when a merge refers to a
  // token that is not in the vocabulary (with its 1-based line in
  // `merge_lines`), and `vocab_origin` when a byte-level symbol is missing.
  BytePairEncoder(const std::unordered_map<std::string, int32_t>& vocab,
                  const std::vector<std::pair<std::string, std::string>>& merges, const std::vector<int>& merge_lines,
                  std::string_view end_of_word_suffix, const std::string& vocab_origin,
                  const std::string& merges_origin);
  ~BytePairEncoder();
  BytePairEncoder(BytePairEncoder&&) noexcept;
  BytePairEncoder& operator=(BytePairEncoder&&) noexcept;

  // Appends the ids of one pre-tokenised word (raw UTF-8 bytes, non-empty).
  // Thread-safe; results are cached per word.
  void encode_word(std::string_view word_bytes, std::vector<int32_t>& out) const;

 private:
  struct MergeTarget {
    int32_t rank;
    int32_t id;
  };
  struct Cache;

  std::vector<int32_t> merge_word(std::string_view word_bytes) const;
  const MergeTarget* find_merge(int32_t left, int32_t right) const;

  std::array<int32_t, 256> byte_ids_{};               // symbol id of byte b inside a word
  std::array<int32_t, 256> byte_end_ids_{};           // symbol id of byte b + suffix (last byte)
  std::unordered_map<uint64_t, MergeTarget> merges_;  // key: left id << 32 | right id
  std::unique_ptr<Cache> cache_;
};

}  // namespace semdraw::text
