#include "doc/image_io.h"

#include <QBuffer>
#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace semdraw::doc {

namespace {
// 64 megapixels: a guard against decompression bombs, far above any canvas.
constexpr qint64 kMaxPixels = 64ll * 1024 * 1024;

QImage load_with_opencv(const QString& path) {
  cv::Mat bgr = cv::imread(path.toStdString(), cv::IMREAD_COLOR);
  if (bgr.empty() || static_cast<qint64>(bgr.rows) * bgr.cols > kMaxPixels) return {};
  cv::Mat rgb;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  QImage view(rgb.data, rgb.cols, rgb.rows, static_cast<qsizetype>(rgb.step), QImage::Format_RGB888);
  return view.copy();  // own the pixels; rgb dies here
}
}  // namespace

QImage load_image(const QString& path, QString* error) {
  if (!QFileInfo::exists(path)) {
    if (error) *error = QStringLiteral("%1: no such file").arg(path);
    return {};
  }
  QImageReader reader(path);
  reader.setAutoTransform(true);  // honour EXIF orientation of photos
  const QSize size = reader.size();
  if (size.isValid() && static_cast<qint64>(size.width()) * size.height() > kMaxPixels) {
    if (error)
      *error = QStringLiteral("%1: image of %2x%3 pixels is too large").arg(path).arg(size.width()).arg(size.height());
    return {};
  }
  QImage image = reader.read();
  if (image.isNull()) image = load_with_opencv(path);
  if (image.isNull()) {
    if (error)
      *error = QStringLiteral("%1: not an image that Qt or OpenCV can read (%2)").arg(path, reader.errorString());
    return {};
  }
  return image.convertToFormat(QImage::Format_RGB888);
}

QByteArray encode_image(const QImage& image, const QByteArray& format, QString* error) {
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  QImageWriter writer(&buffer, format);
  if (!writer.write(image)) {
    if (error) *error = writer.errorString();
    return {};
  }
  return bytes;
}

}  // namespace semdraw::doc
