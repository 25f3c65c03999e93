// The text half of the CLIP tokenizer: normalisation and pre-tokenisation,
// written to give exactly what transformers' CLIPTokenizer (v5, backed by HF
// `tokenizers`) does:
//   normaliser:     NFC, then every run of White_Space -> " ", then lowercase
//                   (per code point, full mapping, no final-sigma context)
//   pre-tokeniser:  the matches of
//                   <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
//                   (whitespace between them is dropped), each then split by the
//                   byte-level pre-tokeniser's GPT-2 regex, which only changes the
//                   two literal special-token spellings (see clip_text_processing.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace semdraw::text {

std::u32string clip_normalize(std::u32string_view text);

// Words of normalised text, in order; each is non-empty and has no White_Space.
std::vector<std::u32string_view> clip_pre_tokenize(std::u32string_view normalized);

}  // namespace semdraw::text
