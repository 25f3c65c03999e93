#pragma once
// Image files for the CLI. Netpbm (.pgm/.ppm) always works, so the engine-only
// build (GPU servers without Qt) can read masks and write frames; other
// formats (PNG, JPEG, ...) go through Qt's image readers when the CLI is built
// with Qt. Errors name the file.
#include <filesystem>

#include "semdraw/engine/scene.h"

namespace semdraw::cli {

// A region mask: grey level / 255 (white = painted); the alpha channel
// instead when the image has one.
MaskImage read_mask(const std::filesystem::path& file);
RgbImage read_rgb(const std::filesystem::path& file);
// Format from the extension (.ppm always; .png etc. with Qt).
void write_rgb(const std::filesystem::path& file, const RgbImage& image);

// The extension for frames this build can always write: "png" with Qt, else "ppm".
const char* default_frame_extension();

namespace detail {
bool is_netpbm(const std::filesystem::path& file);
MaskImage read_mask_netpbm(const std::filesystem::path& file);
RgbImage read_rgb_netpbm(const std::filesystem::path& file);
void write_rgb_netpbm(const std::filesystem::path& file, const RgbImage& image);
// Implemented by image_files_qt.cpp, or by image_files_noqt.cpp (which says
// that the format needs the full build).
MaskImage read_mask_other(const std::filesystem::path& file);
RgbImage read_rgb_other(const std::filesystem::path& file);
void write_rgb_other(const std::filesystem::path& file, const RgbImage& image);
}  // namespace detail

}  // namespace semdraw::cli
