#pragma once
// Loading the pictures artists bring (backgrounds): Qt's readers first, then
// OpenCV's for formats Qt lacks (TIFF, WebP, EXR, ... depending on the build).
// Encoding images into bytes, which are then written atomically (atomic_file.h).
#include <QByteArray>
#include <QImage>
#include <QString>

namespace semdraw::doc {

// Returns an RGB888 image, or a null image with *error naming the file and why.
QImage load_image(const QString& path, QString* error);

// `image` encoded in `format` ("png", "jpg", ...: Qt's writers, with the
// image's texts); empty, with *error saying why, for an unknown format or a
// failed encoder.
QByteArray encode_image(const QImage& image, const QByteArray& format, QString* error = nullptr);

}  // namespace semdraw::doc
