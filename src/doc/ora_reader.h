#pragma once
// Opening OpenRaster projects: ours (with semdraw/project.json) and those of
// other programs (each layer becomes a region named after it).
#include <QImage>
#include <QPoint>
#include <QSize>
#include <QString>
#include <QStringList>

#include "doc/document.h"

namespace semdraw::doc {

inline constexpr int kMaxOraSide = 16384;

// What kind of .ora was opened.
struct OraOrigin {
  bool ours = true;  // it has semdraw/project.json: saving again keeps everything
  int layers = 0;    // <layer> elements in its stack.xml
  // Another program's bottom layer became the background picture
  // (is_background_layer), not a region.
  bool background_layer = false;
};

// Another program's bottom layer is the picture's background, not a region,
// when all of these hold (Krita, GIMP and MyPaint write their white
// "Background" layer so): it is the last <layer> in stack.xml, visible, at
// full opacity, composited normally (no composite-op or svg:src-over), it
// covers every canvas pixel at its x/y, and each of those pixels is fully
// opaque (alpha 255). Files with semdraw/project.json never get here.
bool is_background_layer(const QImage& argb, QPoint at, QSize canvas, double opacity, bool visible,
                         const QString& composite_op);

// On success replaces *document and appends notes (e.g. layers placed or
// resized) to *notes when given, and says what kind of file it was in
// *origin when given. On failure *document is untouched and *error names
// the file and what is wrong.
bool open_ora(const QString& path, Document* document, QString* error, QStringList* notes = nullptr,
              OraOrigin* origin = nullptr);

// Whether `path` is an OpenRaster file another program wrote (a readable zip
// with stack.xml and no semdraw/project.json), and how many layers it has.
// False for our projects, for files that do not exist and for anything else.
bool is_foreign_ora(const QString& path, int* layers = nullptr);

}  // namespace semdraw::doc
