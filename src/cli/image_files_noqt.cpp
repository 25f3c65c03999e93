// The engine-only CLI has no image codecs but netpbm.
#include <stdexcept>

#include "cli/image_files.h"

namespace semdraw::cli {

const char* default_frame_extension() { return "ppm"; }

namespace detail {

namespace {
[[noreturn]] void unsupported(const std::filesystem::path& file) {
  throw std::runtime_error(file.string() +
                           ": this engine-only build reads and writes only .pgm/.ppm images; "
                           "convert the file or use the full build");
}
}  // namespace

MaskImage read_mask_other(const std::filesystem::path& file) { unsupported(file); }
RgbImage read_rgb_other(const std::filesystem::path& file) { unsupported(file); }
void write_rgb_other(const std::filesystem::path& file, const RgbImage&) { unsupported(file); }

}  // namespace detail
}  // namespace semdraw::cli
