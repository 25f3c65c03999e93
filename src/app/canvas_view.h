#pragma once
#include <QImage>
#include <QPointF>
#include <QWidget>

#include "app/brush.h"
#include "doc/document.h"

class QTabletEvent;

namespace semdraw::app {

class EditContext;

enum class Tool { Brush, Eraser, Fill };

// The canvas: the document's regions as coloured overlays on white, with the
// brush, eraser and fill tools. Every edit goes through the undo stack.
// View: fitted to the widget, then zoomed (wheel, around the cursor) and
// panned (Space+drag or middle button).
class CanvasView : public QWidget {
  Q_OBJECT
 public:
  explicit CanvasView(EditContext* context, QWidget* parent = nullptr);

  // Where the canvas rectangle lies in widget coordinates.
  QRect canvas_rect() const;
  QPointF widget_to_canvas(QPointF widget_point) const;
  QPointF canvas_to_widget(QPointF canvas_point) const;

  Tool tool() const { return tool_; }
  void set_tool(Tool tool) { tool_ = tool; }
  BrushSettings& brush() { return brush_; }
  const BrushSettings& brush() const { return brush_; }
  double zoom() const { return zoom_; }
  double overlay_opacity() const { return overlay_opacity_; }
  bool overlays_visible() const { return overlays_visible_; }

  const QImage& generated() const { return generated_; }
  const QString& placeholder() const { return placeholder_; }

  static constexpr double kMinBrushSize = 1.0;
  static constexpr double kMaxBrushSize = 512.0;

 public slots:
  void set_overlay_opacity(double opacity);
  void set_overlays_visible(bool visible);
  void set_brush_size(double size);
  // The latest generated frame, drawn under the overlays; null = none yet.
  void set_generated(const QImage& frame);
  // What the canvas says while it has no frame (how to load a model, loading progress).
  void set_placeholder(const QString& text);

 signals:
  void brush_size_changed(double size);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void tabletEvent(QTabletEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void keyReleaseEvent(QKeyEvent* event) override;

 private:
  QRectF fitted_rect() const;
  double scale() const;  // widget pixels per canvas pixel
  void press(QPointF widget_point, double pressure, bool pan);
  void move(QPointF widget_point, double pressure);
  void release();
  void repaint_canvas_rect(QRect canvas_rect);

  EditContext* context_;
  QImage generated_;
  QString placeholder_;
  Tool tool_ = Tool::Brush;
  BrushSettings brush_;
  double overlay_opacity_ = 0.6;
  bool overlays_visible_ = true;
  double zoom_ = 1.0;
  QPointF pan_;  // widget pixels

  // Stroke and pan state.
  bool space_down_ = false;
  bool panning_ = false;
  bool stroking_ = false;
  QPointF last_widget_;
  QPointF last_canvas_;
  double last_pressure_ = 1.0;
  QImage stroke_before_;  // the region's mask as it was when the stroke began
  QRect stroke_rect_;     // canvas pixels the stroke has touched so far
  int stroke_region_ = -1;
  int stroke_serial_ = 0;
};

}  // namespace semdraw::app
