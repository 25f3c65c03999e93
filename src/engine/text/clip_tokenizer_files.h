// Reading a CLIP tokenizer folder (vocab.json, merges.txt, and the optional
// tokenizer_config.json / special_tokens_map.json) into plain data. Every error
// is a std::runtime_error whose message starts with the offending file's path.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace semdraw::text {

// A token matched verbatim in the input before BPE. `normalized` tokens are
// matched in the normalised text (so "<|STARTOFTEXT|>" matches when
// "<|startoftext|>" is normalized), the others in the raw text, as HF
// `tokenizers` does with added tokens.
struct SpecialToken {
  std::string content;
  int32_t id = 0;
  bool normalized = false;
};

struct ClipTokenizerFiles {
  std::unordered_map<std::string, int32_t> vocab;
  std::vector<std::pair<std::string, std::string>> merges;
  std::vector<int> merge_lines;  // 1-based line of each merge, for error messages
  std::string vocab_path;
  std::string merges_path;
  int32_t bos_id = 0;
  int32_t eos_id = 0;
  int32_t pad_id = 0;
  std::size_t vocab_size = 0;  // including added tokens beyond vocab.json
  std::vector<SpecialToken> special_tokens;
};

ClipTokenizerFiles read_clip_tokenizer_folder(const std::filesystem::path& folder);

}  // namespace semdraw::text
