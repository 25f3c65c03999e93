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
// painted/unpainted state as the seed in the composite of all regions.
// Returns the bounding rectangle of the pixels it changed (empty if none).
QRect flood_fill(const doc::Document& document, QImage& mask, QPoint seed);

}  // namespace semdraw::app
