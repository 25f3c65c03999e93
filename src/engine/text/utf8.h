// UTF-8 <-> code points for the tokenizer. Decoding never fails: every maximal
// ill-formed subsequence becomes one U+FFFD, exactly as Python's
// bytes.decode("utf-8", errors="replace") does (the reference tokenizer only
// ever sees such already-replaced text).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace semdraw::text {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

std::u32string decode_utf8(std::string_view bytes);
void append_utf8(std::string& out, char32_t cp);
std::string encode_utf8(std::u32string_view text);

}  // namespace semdraw::text
