// PNG, JPEG and the other formats Qt reads, for full (non engine-only) builds.
#include <QImage>
#include <QImageReader>
#include <stdexcept>

#include "cli/image_files.h"
#include "doc/image_io.h"
#include "semdraw/fileio/atomic_write.h"

namespace semdraw::cli {

const char* default_frame_extension() { return "png"; }

namespace detail {

namespace {
QImage load(const std::filesystem::path& file) {
  QImageReader reader(QString::fromStdString(file.string()));
  QImage image = reader.read();
  if (image.isNull()) {
    throw std::runtime_error(file.string() + ": cannot read image (" + reader.errorString().toStdString() + ")");
  }
  return image;
}
}  // namespace

MaskImage read_mask_other(const std::filesystem::path& file) {
  const QImage image = load(file);
  const bool use_alpha = image.hasAlphaChannel();
  const QImage source =
      use_alpha ? image.convertToFormat(QImage::Format_ARGB32) : image.convertToFormat(QImage::Format_Grayscale8);
  MaskImage mask{source.width(), source.height(), {}};
  mask.values.reserve(static_cast<size_t>(mask.width) * mask.height);
  for (int y = 0; y < source.height(); ++y) {
    const uchar* line = source.constScanLine(y);
    for (int x = 0; x < source.width(); ++x) {
      const int value = use_alpha ? qAlpha(reinterpret_cast<const QRgb*>(line)[x]) : line[x];
      mask.values.push_back(static_cast<float>(value) / 255.0f);
    }
  }
  return mask;
}

RgbImage read_rgb_other(const std::filesystem::path& file) {
  const QImage image = load(file).convertToFormat(QImage::Format_RGB888);
  RgbImage rgb{image.width(), image.height(), {}};
  rgb.pixels.resize(static_cast<size_t>(rgb.width) * rgb.height * 3);
  for (int y = 0; y < image.height(); ++y) {
    std::copy_n(image.constScanLine(y), rgb.width * 3, rgb.pixels.data() + static_cast<size_t>(y) * rgb.width * 3);
  }
  return rgb;
}

void write_rgb_other(const std::filesystem::path& file, const RgbImage& image) {
  const QImage view(image.pixels.data(), image.width, image.height, image.width * 3, QImage::Format_RGB888);
  // The format from the extension, as QImage::save chooses it.
  const QByteArray format = QByteArray::fromStdString(file.extension().string()).mid(1).toLower();
  QString why;
  const QByteArray bytes = doc::encode_image(view, format, &why);
  if (bytes.isEmpty())
    throw std::runtime_error(file.string() + ": cannot encode the image (" + why.toStdString() + ")");
  fileio::write_atomically(file, std::string_view(bytes.constData(), bytes.size()));
}

}  // namespace detail
}  // namespace semdraw::cli
