#pragma once
// Brush dabs on a Grayscale8 region mask. Within one stroke coverage combines
// by maximum (painting) or minimum (erasing), so overlapping dabs of a
// half-opaque brush do not build up to full coverage.
#include <QImage>
#include <QPointF>
#include <QRect>

namespace semdraw::app {

struct BrushSettings {
  static constexpr double kMinSize = 1.0;
  static constexpr double kMaxSize = 512.0;
  double size = 32.0;     // diameter in canvas pixels at pressure 1
  double hardness = 0.7;  // share of the radius at full strength; the rest falls off smoothly
  double opacity = 1.0;   // 0..1 at pressure 1
};

enum class BrushMode { Paint, Erase };

// Coverage (0..1) of a dab of the given hardness at distance/radius t.
double dab_falloff(double t, double hardness);

// Stamps dabs from `from` to `to` (pressure interpolated; pressure scales
// both size and opacity). Returns the changed canvas rectangle (maybe empty).
QRect stroke_segment(QImage& mask, QPointF from, double from_pressure, QPointF to, double to_pressure,
                     const BrushSettings& brush, BrushMode mode);

}  // namespace semdraw::app
