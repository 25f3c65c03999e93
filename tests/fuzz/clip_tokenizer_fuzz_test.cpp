// Hostile prompts: seeded random byte strings (invalid UTF-8, lone
// continuation bytes, NULs, long runs, fragments of special tokens) must never
// crash the tokenizer and must always give a well-formed id sequence.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "engine/text/clip_tokenizer.h"

namespace semdraw::text {
namespace {

std::string random_prompt(std::mt19937& rng) {
  static const std::vector<std::string> fragments = {"<|endoftext|>",
                                                     "<|startoftext|>",
                                                     "<|",
                                                     "|>",
                                                     "'s",
                                                     "'ll",
                                                     " ",
                                                     "\t\n",
                                                     "\xC3\xA9",
                                                     "e\xCC\x81",
                                                     "\xE6\x97\xA5",
                                                     "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB",
                                                     "\xED\xA0\x80",
                                                     "\xC0\xAF",
                                                     "\xF4\x90\x80\x80",
                                                     "\xEF\xBF\xBD",
                                                     "(word:1.2)",
                                                     "1,000",
                                                     std::string(1, '\0')};
  std::uniform_int_distribution<int> length(0, 400);
  std::uniform_int_distribution<int> kind(0, 3);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> pick(0, fragments.size() - 1);
  std::string s;
  const int n = length(rng);
  while (static_cast<int>(s.size()) < n) {
    switch (kind(rng)) {
      case 0: s.push_back(static_cast<char>(byte(rng))); break;
      case 1: s.push_back(static_cast<char>(0x80 + byte(rng) % 0x40)); break;  // stray continuation byte
      case 2: s += fragments[pick(rng)]; break;
      default: s.append(static_cast<std::size_t>(byte(rng) % 40), static_cast<char>('a' + byte(rng) % 26)); break;
    }
  }
  return s;
}

TEST(ClipTokenizerFuzz, RandomBytesGiveWellFormedIds) {
  const ClipTokenizer tok = ClipTokenizer::bundled(std::filesystem::path(SEMDRAW_SOURCE_DIR) / "resources");
  std::mt19937 rng(20240601);
  for (int i = 0; i < 3000; ++i) {
    const std::string prompt = random_prompt(rng);
    const std::vector<int32_t> all = tok.encode(prompt);
    const std::vector<int32_t> ids = tok.encode_padded(prompt);
    ASSERT_EQ(ids.size(), 77u);
    ASSERT_EQ(ids.front(), tok.bos_id());
    const std::size_t kept = std::min<std::size_t>(all.size(), 75);
    ASSERT_TRUE(std::equal(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(kept), ids.begin() + 1));
    ASSERT_EQ(ids[kept + 1], tok.eos_id());
    for (std::size_t k = kept + 2; k < ids.size(); ++k) ASSERT_EQ(ids[k], tok.pad_id());
    for (int32_t id : all) ASSERT_TRUE(id >= 0 && static_cast<std::size_t>(id) < tok.vocab_size()) << id;
  }
}

}  // namespace
}  // namespace semdraw::text
