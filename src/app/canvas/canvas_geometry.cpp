#include "app/canvas/canvas_geometry.h"

#include <cmath>

namespace semdraw::app {
namespace {
constexpr double kMargin = 32.0;  // the surround left around a fitted canvas
}

QRectF CanvasGeometry::pane(int index) const {
  if (!side_by_side) return QRectF(QPointF(0, 0), widget);
  // Whole pixels, so both halves are the same grid shifted by `half`.
  const double half = std::floor(widget.width() / 2);
  return QRectF(index * half, 0, half, widget.height());
}

int CanvasGeometry::pane_at(QPointF widget_point) const {
  return side_by_side && widget_point.x() >= pane(1).left() ? 1 : 0;
}

double CanvasGeometry::scale() const {
  QSizeF fitted = canvas;
  fitted.scale(pane(0).size() - QSizeF(kMargin, kMargin), Qt::KeepAspectRatio);
  return fitted.width() * zoom / canvas.width();
}

QPointF CanvasGeometry::canvas_to_widget(QPointF p, int index) const {
  // Zoom about the pane centre, then pan.
  return pane(index).center() + pan + (p - QPointF(canvas.width() / 2, canvas.height() / 2)) * scale();
}

QPointF CanvasGeometry::widget_to_canvas(QPointF w, int index) const {
  return (w - pane(index).center() - pan) / scale() + QPointF(canvas.width() / 2, canvas.height() / 2);
}

QRectF CanvasGeometry::canvas_rect(int index) const {
  return QRectF(canvas_to_widget({0, 0}, index), canvas_to_widget({canvas.width(), canvas.height()}, index));
}

}  // namespace semdraw::app
