// Unit tests of the CLIP tokenizer: known ids of the real vocabulary, padding
// and truncation, invalid UTF-8, special tokens, folder errors, SD2 padding,
// and the Unicode helpers it is built on. Parity with transformers on a large
// corpus lives in tests/parity/clip_tokenizer_parity_test.cpp.
#include "engine/text/clip_tokenizer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "engine/text/bpe.h"
#include "engine/text/unicode.h"
#include "engine/text/utf8.h"

namespace semdraw::text {
namespace {

namespace fs = std::filesystem;
using Ids = std::vector<int32_t>;

const fs::path kResources = fs::path(SEMDRAW_SOURCE_DIR) / "resources";
constexpr int32_t kBos = 49406;
constexpr int32_t kEos = 49407;

const ClipTokenizer& bundled() {
  static const ClipTokenizer tokenizer = ClipTokenizer::bundled(kResources);
  return tokenizer;
}

// A scratch tokenizer folder, removed at the end of the test.
class TempFolder {
 public:
  TempFolder() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("semdraw_clip_tok_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }
  void copy_real(const char* name) const { fs::copy_file(kResources / "clip" / name, path_ / name); }
  void write(const char* name, const std::string& content) const {
    std::ofstream(path_ / name, std::ios::binary) << content;
  }

 private:
  fs::path path_;
};

// Runs `f` and returns the message of the std::runtime_error it must throw.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no std::runtime_error thrown";
  return {};
}

TEST(ClipTokenizer, KnownIdsOfTheRealVocabulary) {
  const ClipTokenizer& tok = bundled();
  EXPECT_EQ(tok.vocab_size(), 49408u);
  EXPECT_EQ(tok.bos_id(), kBos);
  EXPECT_EQ(tok.eos_id(), kEos);
  EXPECT_EQ(tok.pad_id(), kEos);  // SD1.5 pads with <|endoftext|>
  EXPECT_EQ(tok.encode("a"), Ids({320}));
  EXPECT_EQ(tok.encode("photo"), Ids({1125}));
  EXPECT_EQ(tok.encode("cat"), Ids({2368}));
  EXPECT_EQ(tok.encode("of"), Ids({539}));
  EXPECT_EQ(tok.encode("a photo of a cat"), Ids({320, 1125, 539, 320, 2368}));
  // Case and surrounding whitespace do not matter.
  EXPECT_EQ(tok.encode("  A PHOTO\tof\na Cat "), tok.encode("a photo of a cat"));
}

TEST(ClipTokenizer, PaddedIdsAreBosTextEosThenPadding) {
  const Ids ids = bundled().encode_padded("a photo of a cat");
  ASSERT_EQ(ids.size(), 77u);
  const Ids head(ids.begin(), ids.begin() + 7);
  EXPECT_EQ(head, Ids({kBos, 320, 1125, 539, 320, 2368, kEos}));
  for (std::size_t i = 7; i < ids.size(); ++i) EXPECT_EQ(ids[i], kEos) << i;

  EXPECT_EQ(bundled().encode_padded("", 5), Ids({kBos, kEos, kEos, kEos, kEos}));
  EXPECT_EQ(bundled().encode_padded("a cat", 2), Ids({kBos, kEos}));
  EXPECT_THROW(bundled().encode_padded("a cat", 1), std::invalid_argument);
}

TEST(ClipTokenizer, TruncationKeepsEosLast) {
  std::string prompt;
  for (int i = 0; i < 100; ++i) prompt += "red cat, ";
  const Ids all = bundled().encode(prompt);
  ASSERT_GT(all.size(), 75u);
  const Ids ids = bundled().encode_padded(prompt);
  ASSERT_EQ(ids.size(), 77u);
  EXPECT_EQ(ids.front(), kBos);
  EXPECT_EQ(ids.back(), kEos);
  EXPECT_EQ(Ids(ids.begin() + 1, ids.end() - 1), Ids(all.begin(), all.begin() + 75));
}

TEST(ClipTokenizer, SpecialTokensWrittenInTheTextAreMatched) {
  // transformers matches "<|endoftext|>" in raw text; the upper-case spelling is plain text.
  EXPECT_EQ(bundled().encode("a <|endoftext|> b"), Ids({320, kEos, 321}));
  const Ids upper = bundled().encode("<|ENDOFTEXT|>");
  EXPECT_EQ(std::count(upper.begin(), upper.end(), kEos), 0);
  EXPECT_GT(upper.size(), 3u);
}

TEST(ClipTokenizer, InvalidUtf8IsReplacedNotFatal) {
  const ClipTokenizer& tok = bundled();
  const std::string replacement = "\xEF\xBF\xBD";  // U+FFFD
  EXPECT_EQ(tok.encode("\xFF"), tok.encode(replacement));
  EXPECT_EQ(tok.encode("caf\xC3"), tok.encode("caf" + replacement));
  EXPECT_EQ(tok.encode("a\x80"
                       "b"),
            tok.encode("a" + replacement + "b"));
  EXPECT_FALSE(tok.encode("\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80").empty());
  EXPECT_EQ(tok.encode_padded(std::string("\0\xFE\xFF", 3)).size(), 77u);
}

TEST(Utf8, DecodingReplacesMaximalIllFormedSubpartsLikePython) {
  EXPECT_EQ(decode_utf8("a\xC3\xA9z"), std::u32string(U"a\u00E9z"));
  EXPECT_EQ(decode_utf8("\xF0\x9F\x90\xB1"), std::u32string(U"\U0001F431"));
  EXPECT_EQ(decode_utf8("\xE0\x80"), std::u32string(U"\uFFFD\uFFFD"));            // overlong lead, then stray byte
  EXPECT_EQ(decode_utf8("\xED\xA0\x80"), std::u32string(U"\uFFFD\uFFFD\uFFFD"));  // encoded surrogate
  EXPECT_EQ(decode_utf8("\xF0\x9F\x98"
                        "A"),
            std::u32string(U"\uFFFDA"));                                                    // truncated sequence
  EXPECT_EQ(decode_utf8("\xF4\x90\x80\x80"), std::u32string(U"\uFFFD\uFFFD\uFFFD\uFFFD"));  // > U+10FFFF
  EXPECT_EQ(encode_utf8(U"a\u00E9\u4E00\U0001F431"), std::string("a\xC3\xA9\xE4\xB8\x80\xF0\x9F\x90\xB1"));
}

TEST(Unicode, NormalisationAndClassification) {
  EXPECT_EQ(unicode::nfc(U"e\u0301"), std::u32string(U"\u00E9"));
  EXPECT_EQ(unicode::nfc(U"\u212B"), std::u32string(U"\u00C5"));               // Angstrom sign
  EXPECT_EQ(unicode::nfc(U"a\u0301\u0316"), std::u32string(U"\u00E1\u0316"));  // reordered, then composed
  EXPECT_EQ(unicode::nfc(U"\u1100\u1161\u11A8"), std::u32string(U"\uAC01"));   // Hangul jamo
  std::u32string lower;
  unicode::append_lowercase(lower, U'\u0130');
  unicode::append_lowercase(lower, U'\u03A3');
  unicode::append_lowercase(lower, U'\u00C5');
  EXPECT_EQ(lower, std::u32string(U"i\u0307\u03C3\u00E5"));
  EXPECT_TRUE(unicode::is_letter(U'\u4E00'));
  EXPECT_TRUE(unicode::is_letter(U'\u00E9'));
  EXPECT_FALSE(unicode::is_letter(U'\u0301'));
  EXPECT_TRUE(unicode::is_number(U'\u00BD'));
  EXPECT_TRUE(unicode::is_number(U'\u0663'));
  EXPECT_TRUE(unicode::is_white_space(U'\u3000'));
  EXPECT_TRUE(unicode::is_white_space(U'\u0085'));
  EXPECT_FALSE(unicode::is_white_space(U'\u001C'));  // Python's isspace() says yes; the reference says no
  EXPECT_FALSE(unicode::is_white_space(U'\u200B'));
  EXPECT_EQ(byte_level_char(' '), U'\u0120');
  EXPECT_EQ(byte_level_char('a'), U'a');
  EXPECT_EQ(byte_level_char(0), U'\u0100');
  EXPECT_EQ(byte_level_char(0xAD), U'\u0143');
}

TEST(ClipTokenizer, EncodesConcurrently) {
  const Ids expected = bundled().encode("a photo of a cat, 日本語, café");
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (bundled().encode("a photo of a cat, 日本語, café") != expected) ++mismatches;
        bundled().encode("word" + std::to_string(i));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(ClipTokenizerFolder, Sd2StylePadsWithExclamationMark) {
  TempFolder folder;
  folder.copy_real("vocab.json");
  folder.copy_real("merges.txt");
  folder.write("tokenizer_config.json", R"({"pad_token": "<|endoftext|>", "model_max_length": 77})");
  folder.write("special_tokens_map.json", R"({"pad_token": "!"})");  // wins over tokenizer_config.json
  const ClipTokenizer tok = ClipTokenizer::from_folder(folder.path());
  EXPECT_EQ(tok.pad_id(), 0);
  EXPECT_EQ(tok.eos_id(), kEos);
  const Ids ids = tok.encode_padded("a cat", 8);
  EXPECT_EQ(ids, Ids({kBos, 320, 2368, kEos, 0, 0, 0, 0}));
}

TEST(ClipTokenizerFolder, MissingFilesAreNamed) {
  TempFolder folder;
  std::string message = error_of([&] { ClipTokenizer::from_folder(folder.path()); });
  EXPECT_NE(message.find((folder.path() / "vocab.json").string()), std::string::npos) << message;

  folder.copy_real("vocab.json");
  message = error_of([&] { ClipTokenizer::from_folder(folder.path()); });
  EXPECT_NE(message.find((folder.path() / "merges.txt").string()), std::string::npos) << message;
}

TEST(ClipTokenizerFolder, CorruptVocabularyIsNamed) {
  TempFolder folder;
  folder.copy_real("merges.txt");
  folder.write("vocab.json", R"({"a": 1, "b": )");
  std::string message = error_of([&] { ClipTokenizer::from_folder(folder.path()); });
  EXPECT_NE(message.find("vocab.json"), std::string::npos) << message;
  EXPECT_NE(message.find("invalid JSON"), std::string::npos) << message;

  folder.write("vocab.json", R"({"a": "one"})");
  message = error_of([&] { ClipTokenizer::from_folder(folder.path()); });
  EXPECT_NE(message.find("vocab.json"), std::string::npos) << message;

  // Valid JSON, but the byte-level symbols are missing.
  folder.write("vocab.json", R"({"a": 0, "<|startoftext|>": 1, "<|endoftext|>": 2})");
  message = error_of([&] { ClipTokenizer::from_folder(folder.path()); });
  EXPECT_NE(message.find("vocab.json"), std::string::npos) << message;
}

TEST(ClipTokenizerFolder, MalformedMergesLineIsNamed) {
  TempFolder folder;
  folder.copy_real("vocab.json");
  folder.write("merges.txt", "#version: 0.2\ni n\nthis line has three\nt h\n");
  std::string message = error_of([&] { ClipTokenizer::from_folder(folder.path()); });
  EXPECT_NE(message.find("merges.txt"), std::string::npos) << message;
  EXPECT_NE(message.find("line 3"), std::string::npos) << message;

  folder.write("merges.txt", "#version: 0.2\ni n\nqqq zzz\n");  // tokens not in the vocabulary
  message = error_of([&] { ClipTokenizer::from_folder(folder.path()); });
  EXPECT_NE(message.find("merges.txt line 3"), std::string::npos) << message;
}

TEST(ClipTokenizerFolder, UnknownSpecialTokensAreNamed) {
  TempFolder folder;
  folder.copy_real("vocab.json");
  folder.copy_real("merges.txt");
  folder.write("special_tokens_map.json", R"({"pad_token": "<|pad|>"})");
  std::string message = error_of([&] { ClipTokenizer::from_folder(folder.path()); });
  EXPECT_NE(message.find("special_tokens_map.json"), std::string::npos) << message;
  EXPECT_NE(message.find("<|pad|>"), std::string::npos) << message;

  folder.write("special_tokens_map.json", R"({"pad_token": [1, 2]})");
  message = error_of([&] { ClipTokenizer::from_folder(folder.path()); });
  EXPECT_NE(message.find("special_tokens_map.json"), std::string::npos) << message;

  folder.write("special_tokens_map.json", "{not json");
  message = error_of([&] { ClipTokenizer::from_folder(folder.path()); });
  EXPECT_NE(message.find("special_tokens_map.json"), std::string::npos) << message;
}

}  // namespace
}  // namespace semdraw::text
