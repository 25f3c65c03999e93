#pragma once
// Opening OpenRaster projects: ours (with semdraw/project.json) and those of
// other programs (each layer becomes a region named after it).
#include <QString>
#include <QStringList>

#include "doc/document.h"

namespace semdraw::doc {

inline constexpr int kMaxOraSide = 16384;

// On success replaces *document and appends notes (e.g. layers placed or
// resized) to *notes when given. On failure *document is untouched and
// *error names the file and what is wrong.
bool open_ora(const QString& path, Document* document, QString* error, QStringList* notes = nullptr);

}  // namespace semdraw::doc
