#include "app/canvas/brush.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace semdraw::app {

double dab_falloff(double t, double hardness) {
  if (t >= 1.0) return 0.0;
  hardness = std::clamp(hardness, 0.0, 1.0);
  if (t <= hardness) return 1.0;
  const double u = (1.0 - t) / (1.0 - hardness);  // 1 at the hard core, 0 at the rim
  return u * u * (3.0 - 2.0 * u);                 // smoothstep: no visible ring
}

namespace {
QRect stamp(QImage& mask, QPointF centre, double radius, double opacity, double hardness, BrushMode mode) {
  if (radius <= 0.0 || opacity <= 0.0) return {};
  const QRect bounds =
      QRect(
          QPoint(static_cast<int>(std::floor(centre.x() - radius)), static_cast<int>(std::floor(centre.y() - radius))),
          QPoint(static_cast<int>(std::ceil(centre.x() + radius)), static_cast<int>(std::ceil(centre.y() + radius))))
          .intersected(mask.rect());
  for (int y = bounds.top(); y <= bounds.bottom(); ++y) {
    uchar* row = mask.scanLine(y);
    for (int x = bounds.left(); x <= bounds.right(); ++x) {
      // Pixel centres are at +0.5.
      const double t = std::hypot(x + 0.5 - centre.x(), y + 0.5 - centre.y()) / radius;
      const double coverage = dab_falloff(t, hardness) * opacity;
      if (coverage <= 0.0) continue;
      const int level = static_cast<int>(std::lround(coverage * 255.0));
      if (mode == BrushMode::Paint)
        row[x] = static_cast<uchar>(std::max<int>(row[x], level));
      else
        row[x] = static_cast<uchar>(std::min<int>(row[x], 255 - level));
    }
  }
  return bounds;
}
}  // namespace

QRect stroke_segment(QImage& mask, QPointF from, double from_pressure, QPointF to, double to_pressure,
                     const BrushSettings& brush, BrushMode mode) {
  if (mask.format() != QImage::Format_Grayscale8)
    throw std::invalid_argument("stroke_segment: region mask must be Format_Grayscale8");
  const double length = std::hypot(to.x() - from.x(), to.y() - from.y());
  // Dabs a fifth of the smaller radius apart look continuous.
  const double min_radius = std::max(0.5, brush.size * 0.5 * std::min(from_pressure, to_pressure));
  const double spacing = std::max(0.5, min_radius * 0.2);
  const int steps = std::max(1, static_cast<int>(std::ceil(length / spacing)));
  QRect changed;
  for (int i = (length > 0.0 ? 1 : 0); i <= steps; ++i) {
    const double f = static_cast<double>(i) / steps;
    const double pressure = std::clamp(from_pressure + (to_pressure - from_pressure) * f, 0.0, 1.0);
    const QPointF centre = from + (to - from) * f;
    changed |= stamp(mask, centre, brush.size * 0.5 * pressure, brush.opacity * pressure, brush.hardness, mode);
  }
  return changed;
}

}  // namespace semdraw::app
