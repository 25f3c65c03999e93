#pragma once
// The widget that composites the canvas (white or the generated frame, region
// overlays on top, the placeholder message), chosen at run time: OpenGL when a
// context can be made, else QPainter. It covers the CanvasView and lets every
// input event through to it; it only draws what the view describes.
#include <QRect>
#include <QRectF>
#include <QRgb>
#include <QString>
#include <functional>
#include <memory>
#include <vector>

class QPainter;
class QWidget;

namespace semdraw::app {

class CanvasView;

enum class CanvasBackend { Auto, OpenGL, Painter };

// The widget around the canvas.
inline constexpr QRgb kCanvasSurround = 0xff303034;

// One view of the canvas: where it lies in the widget and what it shows.
struct CanvasPane {
  int index = 0;          // CanvasGeometry pane
  QRectF rect;            // the canvas rectangle, widget coordinates
  bool frame = false;     // the generated frame (or the placeholder) under the overlays
  bool overlays = false;  // region overlays
};
// Overlay: one pane with frame and overlays; side by side: the regions on
// white on the left, the generated frame on the right.
std::vector<CanvasPane> canvas_panes(const CanvasView& view);

class CanvasSurface {
 public:
  virtual ~CanvasSurface() = default;
  virtual QWidget* widget() = 0;
  virtual CanvasBackend backend() const = 0;
  // A new generated frame, one region's mask changed under canvas_rect, or
  // anything else (regions added/removed/recoloured, view, opacity) changed.
  virtual void frame_changed() = 0;
  virtual void mask_changed(int region, QRect canvas_rect) = 0;
  virtual void content_changed() = 0;
};

// Auto: QPainter if the SEMDRAW_CANVAS environment variable says "painter",
// else OpenGL. OpenGL (asked for or not) only where a context can be created;
// QPainter otherwise.
CanvasBackend resolve_canvas_backend(CanvasBackend requested);
// `on_gl_failure` is called (later, from the event loop) if the OpenGL surface
// cannot compile its shaders; the view then switches to QPainter.
std::unique_ptr<CanvasSurface> make_canvas_surface(CanvasBackend backend, CanvasView* view,
                                                   std::function<void(QString)> on_gl_failure);

// The border and, over a pane without a frame, the placeholder text: drawn
// with QPainter by both surfaces so they look alike.
void paint_pane_decorations(QPainter& painter, const CanvasPane& pane, const CanvasView& view);

}  // namespace semdraw::app
