// Parity of semdraw::text::ClipTokenizer with transformers' CLIPTokenizer on the
// corpus in tests/data/tokenizer (goldens from tests/reference/tokenizer_golden.py).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engine/text/clip_tokenizer.h"

namespace semdraw::text {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = SEMDRAW_SOURCE_DIR;

nlohmann::json load_golden() {
  const fs::path path = kSourceDir / "tests/data/tokenizer/golden.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  return nlohmann::json::parse(in);
}

std::string bytes_from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::string describe(const std::vector<int32_t>& ids) {
  std::ostringstream s;
  for (int32_t id : ids) s << id << ' ';
  return s.str();
}

class ClipTokenizerParity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    golden_ = new nlohmann::json(load_golden());
    tokenizer_ = new ClipTokenizer(ClipTokenizer::bundled(kSourceDir / "resources"));
  }
  static void TearDownTestSuite() {
    delete tokenizer_;
    delete golden_;
  }
  static nlohmann::json* golden_;
  static ClipTokenizer* tokenizer_;
};

nlohmann::json* ClipTokenizerParity::golden_ = nullptr;
ClipTokenizer* ClipTokenizerParity::tokenizer_ = nullptr;

TEST_F(ClipTokenizerParity, PaddedIdsMatchTransformersOnTheWholeCorpus) {
  const auto& cases = (*golden_)["cases"];
  const int length = (*golden_)["max_length"].get<int>();
  ASSERT_GE(cases.size(), 220u);
  std::size_t identical = 0;
  for (const auto& c : cases) {
    const std::string text = c["text"].get<std::string>();
    const auto expected = c["ids"].get<std::vector<int32_t>>();
    const auto actual = tokenizer_->encode_padded(text, length);
    if (actual == expected) {
      ++identical;
    } else {
      ADD_FAILURE() << "text: " << text << "\n expected: " << describe(expected) << "\n actual:   " << describe(actual);
    }
  }
  std::cout << "[ parity   ] padded: " << identical << "/" << cases.size() << " identical\n";
  EXPECT_EQ(identical, cases.size());
}

// How many cases encode (no specials) exactly as the reference did; each
// mismatch is reported with its text.
std::size_t count_identical_encodings(const text::ClipTokenizer& tokenizer, const nlohmann::json& cases) {
  std::size_t identical = 0;
  for (const auto& c : cases) {
    const std::string text = c["text"].get<std::string>();
    const auto expected = c["encode"].get<std::vector<int32_t>>();
    const auto actual = tokenizer.encode(text);
    if (actual == expected) {
      ++identical;
    } else {
      ADD_FAILURE() << "text: " << text << "\n expected: " << describe(expected) << "\n actual:   " << describe(actual);
    }
  }
  return identical;
}

TEST_F(ClipTokenizerParity, UntruncatedIdsMatchTransformersOnTheWholeCorpus) {
  const auto& cases = (*golden_)["cases"];
  const std::size_t identical = count_identical_encodings(*tokenizer_, cases);
  std::cout << "[ parity   ] encode: " << identical << "/" << cases.size() << " identical\n";
  EXPECT_EQ(identical, cases.size());
}

// Seeded random strings (combining marks in any order, decomposed characters,
// jamo, emoji, odd spaces, unassigned code points...).
TEST_F(ClipTokenizerParity, RandomStringsMatchTransformers) {
  const auto& cases = (*golden_)["random_cases"];
  ASSERT_GE(cases.size(), 100u);
  const std::size_t identical = count_identical_encodings(*tokenizer_, cases);
  std::cout << "[ parity   ] random: " << identical << "/" << cases.size() << " identical\n";
  EXPECT_EQ(identical, cases.size());
}

// The reference sees text that Python decoded with errors="replace".
TEST_F(ClipTokenizerParity, InvalidUtf8MatchesPythonReplacementDecoding) {
  const auto& cases = (*golden_)["invalid_utf8"];
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    const std::string bytes = bytes_from_hex(c["hex"].get<std::string>());
    EXPECT_EQ(tokenizer_->encode_padded(bytes), c["ids"].get<std::vector<int32_t>>()) << "bytes " << c["hex"];
    // Same ids as the already-replaced text.
    EXPECT_EQ(tokenizer_->encode_padded(bytes), tokenizer_->encode_padded(c["decoded"].get<std::string>()));
  }
}

TEST_F(ClipTokenizerParity, Sd2StyleFolderPadsWithExclamationMark) {
  // The SD2 folder: the bundled vocabulary with the configs from tests/data/tokenizer/sd2_config.
  const fs::path folder = fs::temp_directory_path() / ("semdraw_sd2_tokenizer_" + std::to_string(::getpid()));
  fs::create_directories(folder);
  for (const char* name : {"vocab.json", "merges.txt"}) {
    fs::copy_file(kSourceDir / "resources/clip" / name, folder / name, fs::copy_options::overwrite_existing);
  }
  for (const char* name : {"tokenizer_config.json", "special_tokens_map.json"}) {
    fs::copy_file(kSourceDir / "tests/data/tokenizer/sd2_config" / name, folder / name,
                  fs::copy_options::overwrite_existing);
  }
  const ClipTokenizer sd2 = ClipTokenizer::from_folder(folder);
  fs::remove_all(folder);
  const auto& golden = (*golden_)["sd2"];
  EXPECT_EQ(sd2.pad_id(), golden["pad_id"].get<int32_t>());
  for (const auto& c : golden["cases"]) {
    EXPECT_EQ(sd2.encode_padded(c["text"].get<std::string>()), c["ids"].get<std::vector<int32_t>>())
        << "text: " << c["text"];
  }
}

}  // namespace
}  // namespace semdraw::text
