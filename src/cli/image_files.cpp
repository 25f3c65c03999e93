#include "cli/image_files.h"

#include <cctype>
#include <fstream>
#include <stdexcept>
#include <string>

#include "semdraw/fileio/atomic_write.h"

namespace semdraw::cli {

namespace detail {

namespace {
constexpr long kMaxSide = 16384;

struct Netpbm {
  int width = 0, height = 0, channels = 0;
  std::vector<uint8_t> data;
};

// Next header token, skipping whitespace and '#' comments.
std::string token(std::istream& in) {
  std::string out;
  int c;
  while ((c = in.get()) != EOF) {
    if (c == '#') {
      while ((c = in.get()) != EOF && c != '\n') {
      }
    } else if (!std::isspace(c)) {
      out.push_back(static_cast<char>(c));
      break;
    }
  }
  while ((c = in.peek()) != EOF && !std::isspace(c) && c != '#') out.push_back(static_cast<char>(in.get()));
  return out;
}

long number(std::istream& in, const std::filesystem::path& file, const char* what) {
  const std::string text = token(in);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 6) {
    throw std::runtime_error(file.string() + ": bad netpbm " + what + " '" + text + "'");
  }
  return std::stol(text);
}

Netpbm read_netpbm(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot open");
  const std::string magic = token(in);
  Netpbm image;
  if (magic == "P5")
    image.channels = 1;
  else if (magic == "P6")
    image.channels = 3;
  else
    throw std::runtime_error(file.string() + ": not a binary PGM (P5) or PPM (P6) file");
  const long width = number(in, file, "width"), height = number(in, file, "height");
  const long maxval = number(in, file, "maximum value");
  if (width <= 0 || height <= 0 || width > kMaxSide || height > kMaxSide) {
    throw std::runtime_error(file.string() + ": image size " + std::to_string(width) + "x" + std::to_string(height) +
                             " is out of range");
  }
  if (maxval != 255) throw std::runtime_error(file.string() + ": only 8-bit netpbm (maximum value 255) is read");
  in.get();  // the single whitespace byte after the header
  image.width = static_cast<int>(width);
  image.height = static_cast<int>(height);
  image.data.resize(static_cast<size_t>(width * height * image.channels));
  in.read(reinterpret_cast<char*>(image.data.data()), static_cast<std::streamsize>(image.data.size()));
  if (in.gcount() != static_cast<std::streamsize>(image.data.size())) {
    throw std::runtime_error(file.string() + ": truncated pixel data");
  }
  return image;
}
}  // namespace

bool is_netpbm(const std::filesystem::path& file) {
  const std::string ext = file.extension().string();
  return ext == ".pgm" || ext == ".ppm" || ext == ".pnm";
}

MaskImage read_mask_netpbm(const std::filesystem::path& file) {
  const Netpbm image = read_netpbm(file);
  MaskImage mask{image.width, image.height, {}};
  mask.values.reserve(static_cast<size_t>(image.width) * image.height);
  for (size_t i = 0; i < image.data.size(); i += static_cast<size_t>(image.channels)) {
    // Luminance of RGB masks, so a white brush on black reads as painted.
    const float value = image.channels == 1
                            ? image.data[i]
                            : 0.299f * image.data[i] + 0.587f * image.data[i + 1] + 0.114f * image.data[i + 2];
    mask.values.push_back(value / 255.0f);
  }
  return mask;
}

RgbImage read_rgb_netpbm(const std::filesystem::path& file) {
  Netpbm image = read_netpbm(file);
  RgbImage rgb{image.width, image.height, {}};
  if (image.channels == 3) {
    rgb.pixels = std::move(image.data);
  } else {
    for (uint8_t v : image.data) rgb.pixels.insert(rgb.pixels.end(), {v, v, v});
  }
  return rgb;
}

void write_rgb_netpbm(const std::filesystem::path& file, const RgbImage& image) {
  fileio::write_atomically(file, [&](fileio::TemporaryFile& out) {
    out.write("P6\n" + std::to_string(image.width) + ' ' + std::to_string(image.height) + "\n255\n");
    out.write(image.pixels.data(), image.pixels.size());
  });
}

}  // namespace detail

MaskImage read_mask(const std::filesystem::path& file) {
  return detail::is_netpbm(file) ? detail::read_mask_netpbm(file) : detail::read_mask_other(file);
}

RgbImage read_rgb(const std::filesystem::path& file) {
  return detail::is_netpbm(file) ? detail::read_rgb_netpbm(file) : detail::read_rgb_other(file);
}

void write_rgb(const std::filesystem::path& file, const RgbImage& image) {
  if (detail::is_netpbm(file)) return detail::write_rgb_netpbm(file, image);
  detail::write_rgb_other(file, image);
}

}  // namespace semdraw::cli
