#pragma once
// The QPainter compositor: the fallback where OpenGL is unavailable (and what
// the offscreen tests see). Repaints only the widget area that changed, so a
// brush dab costs a dab-sized repaint.
#include <QWidget>

#include "app/canvas/canvas_surface.h"

namespace semdraw::app {

class CanvasPainterSurface : public QWidget, public CanvasSurface {
 public:
  explicit CanvasPainterSurface(CanvasView* view);

  QWidget* widget() override { return this; }
  CanvasBackend backend() const override { return CanvasBackend::Painter; }
  void frame_changed() override;
  void mask_changed(int region, QRect canvas_rect) override;
  void content_changed() override { update(); }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  void paint_pane(QPainter& painter, const CanvasPane& pane, QRect dirty_widget);

  CanvasView* view_;
};

}  // namespace semdraw::app
