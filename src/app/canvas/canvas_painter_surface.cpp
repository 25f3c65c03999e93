#include "app/canvas/canvas_painter_surface.h"

#include <QPaintEvent>
#include <QPainter>

#include "app/canvas/canvas_view.h"

namespace semdraw::app {

CanvasPainterSurface::CanvasPainterSurface(CanvasView* view) : view_(view) {
  setObjectName("CanvasPainterSurface");
  setAutoFillBackground(false);
}

void CanvasPainterSurface::frame_changed() {
  for (const CanvasPane& pane : canvas_panes(*view_))
    if (pane.frame) update(pane.rect.toAlignedRect().adjusted(-1, -1, 1, 1));
}

void CanvasPainterSurface::mask_changed(int, QRect rect) {
  if (rect.isEmpty()) return;
  const CanvasGeometry g = view_->view_geometry();
  for (const CanvasPane& pane : canvas_panes(*view_)) {
    if (!pane.overlays) continue;
    const QRectF widget(g.canvas_to_widget(rect.topLeft(), pane.index),
                        g.canvas_to_widget(rect.bottomRight() + QPoint(1, 1), pane.index));
    update(widget.toAlignedRect().adjusted(-2, -2, 2, 2));
  }
}

void CanvasPainterSurface::paintEvent(QPaintEvent* event) {
  QPainter painter(this);
  painter.setClipRect(event->rect());
  painter.fillRect(event->rect(), QColor::fromRgb(kCanvasSurround));
  for (const CanvasPane& pane : canvas_panes(*view_)) paint_pane(painter, pane, event->rect());
}

void CanvasPainterSurface::paint_pane(QPainter& painter, const CanvasPane& pane, QRect dirty_widget) {
  const CanvasGeometry g = view_->view_geometry();
  const QSize size = view_->document().canvas_size();
  // Only the part of the canvas under the dirty rectangle is recomposited.
  const QRect dirty = QRectF(g.widget_to_canvas(dirty_widget.topLeft(), pane.index),
                             g.widget_to_canvas(dirty_widget.bottomRight() + QPoint(1, 1), pane.index))
                          .toAlignedRect()
                          .adjusted(-1, -1, 1, 1)
                          .intersected(QRect(QPoint(0, 0), size));
  const QRectF target(g.canvas_to_widget(dirty.topLeft(), pane.index),
                      g.canvas_to_widget(dirty.bottomRight() + QPoint(1, 1), pane.index));
  painter.setRenderHint(QPainter::SmoothPixmapTransform, g.scale() < 1.0);
  const QImage& frame = view_->shown_image();
  if (!pane.frame || frame.isNull()) {
    painter.fillRect(pane.rect.toAlignedRect(), Qt::white);
  } else if (frame.size() == size) {
    if (!dirty.isEmpty()) painter.drawImage(target, frame, dirty);
  } else {
    painter.drawImage(pane.rect, frame);  // the canvas was resized since the frame came
  }
  if (pane.overlays && !dirty.isEmpty()) {
    for (const auto& region : view_->document().regions()) {
      if (!region.enabled) continue;
      QImage overlay(dirty.size(), QImage::Format_ARGB32_Premultiplied);
      overlay.fill(region.colour);
      QPainter tint(&overlay);
      tint.setCompositionMode(QPainter::CompositionMode_DestinationIn);
      // Reinterpret the grey levels as alpha (a format conversion would make
      // every pixel opaque, since grey images have no alpha).
      const QImage alpha(region.mask.constBits() + dirty.top() * region.mask.bytesPerLine() + dirty.left(),
                         dirty.width(), dirty.height(), region.mask.bytesPerLine(), QImage::Format_Alpha8);
      tint.drawImage(0, 0, alpha);
      tint.end();
      painter.setOpacity(view_->overlay_opacity());
      painter.drawImage(target, overlay);
      painter.setOpacity(1.0);
    }
  }
  paint_pane_decorations(painter, pane, *view_);
}

}  // namespace semdraw::app
