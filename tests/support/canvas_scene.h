#pragma once
// A document, undo stack and edit context for canvas tests, with helpers to
// paint masks and frames with known colours and to compare grabbed images.
#include <QImage>
#include <QPainter>
#include <QUndoStack>
#include <algorithm>
#include <cstdlib>

#include "app/commands/edit_context.h"
#include "doc/document.h"

namespace semdraw::test {

struct CanvasScene {
  // 512×512 in a 544×544 widget: fitted at exactly one widget pixel per canvas
  // pixel, with the canvas at (16, 16).
  static constexpr int kSize = 512;
  static constexpr int kWidget = kSize + 32;

  doc::Document document{QSize(kSize, kSize)};
  QUndoStack stack;
  app::EditContext context{&document, &stack};

  doc::Region& add_region(QColor colour) {
    doc::Region& region = document.add_region("r", "r");
    region.colour = colour;
    context.notify_regions_reset();
    context.set_current_region(static_cast<int>(document.regions().size()) - 1);
    return region;
  }
  void fill_mask(int region, QRect rect, int value) {
    QImage& mask = document.region(region).mask;
    for (int y = rect.top(); y <= rect.bottom(); ++y) std::fill_n(mask.scanLine(y) + rect.left(), rect.width(), value);
    context.notify_mask_changed(region, rect);
  }
};

// Left half one colour, right half another.
inline QImage two_tone_frame(QColor left, QColor right, int size = CanvasScene::kSize) {
  QImage frame(size, size, QImage::Format_RGB888);
  QPainter painter(&frame);
  painter.fillRect(0, 0, size / 2, size, left);
  painter.fillRect(size / 2, 0, size - size / 2, size, right);
  return frame;
}

// Pixels in the bottom 60 rows of a canvas rectangle (inset by the 16-pixel
// text margin) that are not white: where the placeholder message is drawn.
inline int placeholder_pixels(const QImage& shot, QRect canvas) {
  const QRect strip = canvas.adjusted(16, 0, -16, -16);
  int count = 0;
  for (int y = strip.bottom() - 60; y <= strip.bottom(); ++y)
    for (int x = strip.left(); x <= strip.right(); ++x) count += (shot.pixel(x, y) & 0xffffff) != 0xffffff;
  return count;
}

// The largest difference of any channel between two images of one size, and
// where it is.
inline int max_channel_difference(const QImage& a, const QImage& b, QPoint* where = nullptr) {
  const QImage x = a.convertToFormat(QImage::Format_RGB32), y = b.convertToFormat(QImage::Format_RGB32);
  if (x.size() != y.size()) return 256;
  int worst = 0;
  for (int row = 0; row < x.height(); ++row)
    for (int col = 0; col < x.width(); ++col) {
      const QRgb p = x.pixel(col, row), q = y.pixel(col, row);
      const int d =
          std::max({std::abs(qRed(p) - qRed(q)), std::abs(qGreen(p) - qGreen(q)), std::abs(qBlue(p) - qBlue(q))});
      if (d > worst) {
        worst = d;
        if (where) *where = QPoint(col, row);
      }
    }
  return worst;
}

// Like max_channel_difference, but each pixel of `a` is compared with the
// closest of `b`'s pixel and its eight neighbours: for resampled images whose
// nearest-texel choice may differ by one pixel at texel boundaries.
inline int max_difference_within_one_pixel(const QImage& a, const QImage& b, QPoint* where = nullptr) {
  const QImage x = a.convertToFormat(QImage::Format_RGB32), y = b.convertToFormat(QImage::Format_RGB32);
  if (x.size() != y.size()) return 256;
  int worst = 0;
  for (int row = 0; row < x.height(); ++row)
    for (int col = 0; col < x.width(); ++col) {
      const QRgb p = x.pixel(col, row);
      int best = 256;
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          if (!y.rect().contains(col + dx, row + dy)) continue;
          const QRgb q = y.pixel(col + dx, row + dy);
          best = std::min(best, std::max({std::abs(qRed(p) - qRed(q)), std::abs(qGreen(p) - qGreen(q)),
                                          std::abs(qBlue(p) - qBlue(q))}));
        }
      if (best > worst) {
        worst = best;
        if (where) *where = QPoint(col, row);
      }
    }
  return worst;
}

}  // namespace semdraw::test
