#include "app/flood_fill.h"

#include <algorithm>
#include <vector>

namespace semdraw::app {

QRect flood_fill(const doc::Document& document, QImage& mask, QPoint seed) {
  const int w = mask.width(), h = mask.height();
  if (!mask.rect().contains(seed)) return {};
  // Composite: what the artist sees as painted, over all regions.
  std::vector<uchar> painted(static_cast<size_t>(w) * h, 0);
  for (const auto& region : document.regions()) {
    if (!region.enabled) continue;
    for (int y = 0; y < h; ++y) {
      const uchar* row = region.mask.constScanLine(y);
      for (int x = 0; x < w; ++x)
        if (row[x] >= kPaintedThreshold) painted[static_cast<size_t>(y) * w + x] = 1;
    }
  }
  const uchar target = painted[static_cast<size_t>(seed.y()) * w + seed.x()];
  std::vector<uchar> seen(painted.size(), 0);
  std::vector<QPoint> todo{seed};
  seen[static_cast<size_t>(seed.y()) * w + seed.x()] = 1;
  int left = w, top = h, right = -1, bottom = -1;
  while (!todo.empty()) {
    const QPoint p = todo.back();
    todo.pop_back();
    uchar& value = mask.scanLine(p.y())[p.x()];
    if (value != 255) {
      value = 255;
      left = std::min(left, p.x()); right = std::max(right, p.x());
      top = std::min(top, p.y()); bottom = std::max(bottom, p.y());
    }
    const QPoint next[4] = {{p.x() + 1, p.y()}, {p.x() - 1, p.y()}, {p.x(), p.y() + 1}, {p.x(), p.y() - 1}};
    for (const QPoint& n : next) {
      if (n.x() < 0 || n.y() < 0 || n.x() >= w || n.y() >= h) continue;
      const size_t i = static_cast<size_t>(n.y()) * w + n.x();
      if (seen[i] || painted[i] != target) continue;
      seen[i] = 1;
      todo.push_back(n);
    }
  }
  if (right < 0) return {};
  return QRect(QPoint(left, top), QPoint(right, bottom));
}

}  // namespace semdraw::app
