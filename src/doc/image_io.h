#pragma once
// Loading the pictures artists bring (backgrounds): Qt's readers first, then
// OpenCV's for formats Qt lacks (TIFF, WebP, EXR, ... depending on the build).
#include <QImage>
#include <QString>

namespace semdraw::doc {

// Returns an RGB888 image, or a null image with *error naming the file and why.
QImage load_image(const QString& path, QString* error);

}  // namespace semdraw::doc
