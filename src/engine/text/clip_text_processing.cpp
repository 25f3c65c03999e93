#include "text/clip_text_processing.h"

#include <array>

#include "text/unicode.h"

namespace semdraw::text {
namespace {

// The contractions the CLIP regex matches before letters (ASCII apostrophe
// only, lowercase because the normaliser ran first).
constexpr std::array<std::u32string_view, 7> kContractions = {U"'s", U"'t", U"'re", U"'ve", U"'m", U"'ll", U"'d"};
// Special-token spellings that the CLIP regex keeps whole. When they reach the
// pre-tokeniser as text (e.g. "<|ENDOFTEXT|>" lowercased, which is not matched
// as a special token), the byte-level pre-tokeniser's GPT-2 regex then splits
// them into "<|", the word, "|>".
constexpr std::array<std::u32string_view, 2> kSpecialSpellings = {U"<|startoftext|>", U"<|endoftext|>"};

bool starts_with(std::u32string_view text, std::size_t pos, std::u32string_view prefix) {
  return text.substr(pos, prefix.size()) == prefix;
}

bool is_other(char32_t cp) {
  return !unicode::is_white_space(cp) && !unicode::is_letter(cp) && !unicode::is_number(cp);
}

}  // namespace

std::u32string clip_normalize(std::u32string_view text) {
  const std::u32string composed = unicode::nfc(text);
  std::u32string out;
  out.reserve(composed.size());
  bool in_space = false;
  for (char32_t cp : composed) {
    if (unicode::is_white_space(cp)) {
      if (!in_space) out.push_back(U' ');
      in_space = true;
      continue;
    }
    in_space = false;
    unicode::append_lowercase(out, cp);
  }
  return out;
}

std::vector<std::u32string_view> clip_pre_tokenize(std::u32string_view text) {
  std::vector<std::u32string_view> words;
  std::size_t pos = 0;
  const std::size_t n = text.size();
  // Every non-space position starts a match of some alternative, so scanning
  // left to right and trying the alternatives in regex order reproduces the
  // regex engine's leftmost-first matches.
  while (pos < n) {
    const char32_t cp = text[pos];
    if (unicode::is_white_space(cp)) {
      ++pos;
      continue;
    }
    bool matched = false;
    for (std::u32string_view special : kSpecialSpellings) {
      if (starts_with(text, pos, special)) {
        words.push_back(text.substr(pos, 2));                       // "<|"
        words.push_back(text.substr(pos + 2, special.size() - 4));  // the word
        words.push_back(text.substr(pos + special.size() - 2, 2));  // "|>"
        pos += special.size();
        matched = true;
        break;
      }
    }
    if (matched) continue;
    for (std::u32string_view contraction : kContractions) {
      if (starts_with(text, pos, contraction)) {
        words.push_back(text.substr(pos, contraction.size()));
        pos += contraction.size();
        matched = true;
        break;
      }
    }
    if (matched) continue;
    std::size_t end = pos + 1;
    if (unicode::is_letter(cp)) {
      while (end < n && unicode::is_letter(text[end])) ++end;
    } else if (!unicode::is_number(cp)) {
      while (end < n && is_other(text[end])) ++end;
    }  // a number is a word of its own, one digit at a time
    words.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return words;
}

}  // namespace semdraw::text
