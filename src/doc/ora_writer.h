#pragma once
// Saving a document as an OpenRaster project (.ora) that Krita, GIMP and
// MyPaint open as layers, with the semantic part in semdraw/project.json.
#include <QString>

#include "doc/atomic_file.h"
#include "doc/document.h"

namespace semdraw::doc {

inline constexpr const char* kProjectJsonEntry = "semdraw/project.json";

// Atomic (atomic_file.h): the previous file at `path` is intact on any
// failure; a symlink is written through, the mode kept, a read-only file
// refused unless `options` say so. Returns false with *error naming the file.
bool save_ora(const Document& document, const QString& path, QString* error, const WriteOptions& options = {});

// Where the History strip's kept frames live in the zip: outside stack.xml,
// so other programs do not show them as layers.
QString kept_frame_entry(size_t index);

// A region as an OpenRaster layer: its colour everywhere, the mask as alpha.
QImage region_layer_image(const Region& region);

}  // namespace semdraw::doc
