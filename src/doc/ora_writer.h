#pragma once
// Saving a document as an OpenRaster project (.ora) that Krita, GIMP and
// MyPaint open as layers, with the semantic part in semdraw/project.json.
#include <QString>

#include "doc/document.h"

namespace semdraw::doc {

inline constexpr const char* kProjectJsonEntry = "semdraw/project.json";

// Atomic: the previous file at `path` is intact on any failure. Returns false
// with *error naming the file.
bool save_ora(const Document& document, const QString& path, QString* error);

// A region as an OpenRaster layer: its colour everywhere, the mask as alpha.
QImage region_layer_image(const Region& region);

}  // namespace semdraw::doc
