#pragma once
// A frame the artist marked Keep in the History strip. It belongs to the
// project: saved losslessly inside the .ora and put back on open.
#include <QImage>
#include <QString>

namespace semdraw::doc {

struct KeptFrame {
  QImage image;   // the frame as generated (opaque RGB)
  QString label;  // the strip's caption: "render" or "live"
  QString stats;  // what the strip says about it, e.g. "Frame 12, 340 ms"
};

}  // namespace semdraw::doc
