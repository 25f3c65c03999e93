#pragma once
#include <QImage>
#include <QPointF>
#include <QString>
#include <QWidget>
#include <memory>
#include <vector>

#include "app/canvas/brush.h"
#include "app/canvas/canvas_geometry.h"
#include "app/canvas/canvas_surface.h"
#include "app/tools/canvas_tool.h"
#include "doc/document.h"

class QTabletEvent;

namespace semdraw::app {

class EditContext;

// The canvas: the generated frame (white until there is one) with the
// document's regions as coloured overlays on top, or side by side (regions on
// white left, frame right), and the tools on either half: the canvas forwards
// the pointer to the active tool (tools/, made from the tool registry). Every
// edit goes through the undo stack. View: fitted to the widget, then zoomed
// (wheel, around the cursor) and panned (Space+drag or middle button).
// Compositing is done by a child CanvasSurface: OpenGL (GLSL from shaders/)
// when a context can be made, else QPainter.
class CanvasView : public QWidget {
  Q_OBJECT
 public:
  enum class ViewMode { Overlay, SideBySide };

  explicit CanvasView(EditContext* context, QWidget* parent = nullptr, CanvasBackend backend = CanvasBackend::Auto);
  ~CanvasView() override;

  // Where the canvas rectangle lies in widget coordinates: the one the
  // regions are shown on (the left half side by side) ...
  QRect canvas_rect() const;
  // ... and the one that shows the generated frame (the same in Overlay).
  QRect frame_rect() const;
  // A point on either half maps to the same canvas coordinates; canvas to
  // widget gives the point on canvas_rect().
  QPointF widget_to_canvas(QPointF widget_point) const;
  QPointF canvas_to_widget(QPointF canvas_point) const;
  CanvasGeometry view_geometry() const;

  // The latest generated frame, converted to RGB888 (a null image: none
  // yet); one of another size than the canvas (made before a resize) is shown
  // at scale 1, centred on white, never stretched. After a canvas resize the
  // canvas shows the document's frame, which the resize cropped or extended
  // at scale 1. Cheap: one texture upload and a repaint.
  void set_generated(const QImage& frame);
  const QImage& generated() const { return generated_; }
  // What the frame panes show: the generated frame, or before there is one
  // the background picture (the artist paints over their photo), or null.
  const QImage& shown_image() const { return generated_.isNull() ? picture_ : generated_; }
  void set_view_mode(ViewMode mode);
  ViewMode view_mode() const { return view_mode_; }
  // The message drawn on the canvas while there is no frame.
  void set_placeholder(const QString& text);
  const QString& placeholder() const { return placeholder_; }
  // A small badge in the frame's corner while Live runs ("Live · updating…",
  // "Live · settled"), so the artist sees on the picture itself whether the
  // engine is still working; empty hides it.
  void set_live_badge(const QString& text);
  const QString& live_badge() const { return live_badge_; }
  // Which compositor is drawing (OpenGL, or Painter as the fallback).
  CanvasBackend backend() const;
  QWidget* surface_widget() const;
  const doc::Document& document() const;

  // The canvas's tools, in the registry's order, and the one the pointer
  // drives (the first until another is chosen).
  const std::vector<std::unique_ptr<CanvasTool>>& tools() const { return tools_; }
  CanvasTool* active_tool() const { return active_tool_; }
  // One of tools(); a stroke under way ends first.
  void set_active_tool(CanvasTool* tool);
  BrushSettings& brush() { return brush_; }
  const BrushSettings& brush() const { return brush_; }
  double zoom() const { return zoom_; }
  double overlay_opacity() const { return overlay_opacity_; }
  bool overlays_visible() const { return overlays_visible_; }

  // The keys keyPressEvent takes ([ ] Space), which the window routes here
  // while the pointer is over the canvas (CanvasKeyRouter).
  static bool is_canvas_key(int key);

  static constexpr double kMinBrushSize = BrushSettings::kMinSize;
  static constexpr double kMaxBrushSize = BrushSettings::kMaxSize;

 public slots:
  // View menu: zoom about the centre of the view, and back to the whole
  // canvas fitted to the widget.
  void zoom_in();
  void zoom_out();
  void fit_to_view();
  void set_overlay_opacity(double opacity);
  void set_overlays_visible(bool visible);
  void set_brush_size(double size);

 signals:
  void active_tool_changed(CanvasTool* tool);
  // A tool option changed other than through its control ([ and ] size the
  // brush): the tool bar shows the values again.
  void tool_options_changed();

 protected:
  void resizeEvent(QResizeEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void tabletEvent(QTabletEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void keyReleaseEvent(QKeyEvent* event) override;

 private:
  void use_surface(CanvasBackend backend);
  void press(QPointF widget_point, double pressure, bool pan);
  void move(QPointF widget_point, double pressure);
  void release(QPointF widget_point, double pressure);
  ToolInput tool_input(QPointF widget_point, double pressure) const;
  void content_changed();
  void zoom_about(QPointF widget_point, double factor);

  EditContext* context_;
  BrushSettings brush_;  // shared by the stroke tools; declared before them, which keep its address
  std::vector<std::unique_ptr<CanvasTool>> tools_;
  CanvasTool* active_tool_ = nullptr;
  double overlay_opacity_ = 0.6;
  bool overlays_visible_ = true;
  double zoom_ = 1.0;
  QPointF pan_;  // widget pixels
  ViewMode view_mode_ = ViewMode::Overlay;
  void refresh_picture();

  QImage generated_;  // RGB888, canvas size
  QImage picture_;    // the document's background picture, RGB888, canvas size
  QString placeholder_;
  QString live_badge_;
  std::unique_ptr<CanvasSurface> surface_;

  // Pointer state: a pan, or a press the active tool is handling.
  bool space_down_ = false;
  bool panning_ = false;
  bool tool_down_ = false;
  QPointF last_widget_;
  int press_pane_ = 0;  // the half a press began on: the tool's points stay on it
};

}  // namespace semdraw::app
