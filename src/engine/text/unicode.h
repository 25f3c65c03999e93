// The Unicode operations of the CLIP tokenizer's normaliser and pre-tokeniser,
// backed by the generated tables (unicode_tables.cpp), so no ICU is needed.
#pragma once

#include <string>
#include <string_view>

namespace semdraw::text::unicode {

// Unicode White_Space: what `\s` matches in the reference regex engine.
bool is_white_space(char32_t cp);
// \p{L}: general categories Lu, Ll, Lt, Lm, Lo.
bool is_letter(char32_t cp);
// \p{N}: general categories Nd, Nl, No.
bool is_number(char32_t cp);

// Appends the full lowercase mapping of one code point (one to three code
// points). Context-free, like Rust's char::to_lowercase: a final capital sigma
// becomes σ, not ς.
void append_lowercase(std::u32string& out, char32_t cp);

// Canonical combining class (0 for starters).
int combining_class(char32_t cp);

// Normalization Form C (canonical decomposition, canonical ordering, canonical
// composition), Hangul included.
std::u32string nfc(std::u32string_view text);

}  // namespace semdraw::text::unicode
