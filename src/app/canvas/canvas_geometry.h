#pragma once
// Where the canvas lies in the canvas widget: fitted to the widget (or to each
// half of it, side by side), then zoomed about the pane centre and panned.
// Both halves use the same mapping shifted by the pane width, so a point on
// either half names the same canvas pixel.
#include <QPointF>
#include <QRectF>
#include <QSizeF>

namespace semdraw::app {

struct CanvasGeometry {
  QSizeF canvas;  // canvas pixels
  QSizeF widget;  // widget pixels (logical)
  double zoom = 1.0;
  QPointF pan;  // widget pixels
  bool side_by_side = false;

  int pane_count() const { return side_by_side ? 2 : 1; }
  // The pane's share of the widget, and the pane a widget point falls in.
  QRectF pane(int index) const;
  int pane_at(QPointF widget_point) const;
  double scale() const;  // widget pixels per canvas pixel
  QPointF canvas_to_widget(QPointF canvas_point, int pane = 0) const;
  QPointF widget_to_canvas(QPointF widget_point, int pane) const;
  QPointF widget_to_canvas(QPointF widget_point) const { return widget_to_canvas(widget_point, pane_at(widget_point)); }
  // The canvas rectangle in widget coordinates.
  QRectF canvas_rect(int pane = 0) const;
};

}  // namespace semdraw::app
