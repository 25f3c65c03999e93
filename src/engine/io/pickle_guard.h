#pragma once
// Recognises pickle checkpoints (PyTorch .ckpt/.pt/.pth/.bin, legacy pickle
// streams or zip archives holding data.pkl) so that we refuse them with an
// explanation instead of ever parsing them: unpickling runs code from the file.
#include <cstddef>
#include <filesystem>
#include <string>

namespace semdraw::io {

// .ckpt, .pt, .pth, .bin (case-insensitive).
bool has_pickle_extension(const std::filesystem::path& file);

// A pickle protocol 2..5 stream (0x80 0x02..0x05) or a zip local-file header
// ("PK\x03\x04", what torch.save writes since 1.6). A safetensors file whose
// 8-byte header length happens to start with the same bytes is told apart by
// its JSON header, which begins with '{' at byte 8.
bool starts_like_pickle(const std::byte* data, std::size_t size);

// Throws FormatError("<file>: <why>; ...explanation and how to convert...").
[[noreturn]] void refuse_pickle(const std::filesystem::path& file, const std::string& why);

}  // namespace semdraw::io
