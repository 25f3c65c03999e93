#pragma once
// Flood fill of a region mask, bounded by what is painted in any region.
#include <QImage>
#include <QPoint>
#include <QRect>

#include "doc/document.h"

namespace semdraw::app {

// A pixel counts as painted when any enabled region covers it at least this much.
constexpr int kPaintedThreshold = 128;

// Sets to 255, in `mask`, every pixel 4-connected to `seed` that has the same
// painted/unpainted state as the seed in the composite of all regions. Filling
// unpainted canvas also covers the soft (anti-aliased) edge of the strokes
// around it up to their core, the way a painter expects a fill to meet a line:
// no white seam, no pale fringe (it climbs the edge's coverage and stops where
// a stroke is fully covered or starts to fall, so it never crosses a line).
// Returns the bounding rectangle of the pixels it changed (empty if none).
QRect flood_fill(const doc::Document& document, QImage& mask, QPoint seed);

}  // namespace semdraw::app
