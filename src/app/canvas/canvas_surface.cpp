#include "app/canvas/canvas_surface.h"

#include <QFontMetrics>
#include <QGuiApplication>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QPainter>

#include "app/canvas/canvas_gl_surface.h"
#include "app/canvas/canvas_painter_surface.h"
#include "app/canvas/canvas_view.h"

namespace semdraw::app {
namespace {

// Whether this platform can give the canvas an OpenGL context at all. Qt's
// offscreen and minimal platforms composite widgets without one, so the
// canvas paints there with QPainter.
bool opengl_available() {
  static const bool available = [] {
    const QString platform = QGuiApplication::platformName();
    if (platform == "offscreen" || platform == "minimal" || platform == "vnc" || platform == "linuxfb") return false;
    QOpenGLContext context;
    if (!context.create()) return false;
    QOffscreenSurface surface;
    surface.setFormat(context.format());
    surface.create();
    if (!surface.isValid() || !context.makeCurrent(&surface)) return false;
    context.doneCurrent();
    return true;
  }();
  return available;
}

}  // namespace

std::vector<CanvasPane> canvas_panes(const CanvasView& view) {
  const CanvasGeometry g = view.view_geometry();
  if (!g.side_by_side) return {{0, g.canvas_rect(0), true, view.overlays_visible()}};
  return {{0, g.canvas_rect(0), false, view.overlays_visible()}, {1, g.canvas_rect(1), true, false}};
}

CanvasBackend resolve_canvas_backend(CanvasBackend requested) {
  if (requested == CanvasBackend::Auto) {
    const QByteArray forced = qgetenv("SEMDRAW_CANVAS");
    requested = forced == "painter" ? CanvasBackend::Painter : CanvasBackend::OpenGL;
  }
  // Even when asked for, OpenGL only where a context can be made: a
  // QOpenGLWidget without one takes the whole window down.
  if (requested == CanvasBackend::OpenGL && !opengl_available()) return CanvasBackend::Painter;
  return requested;
}

std::unique_ptr<CanvasSurface> make_canvas_surface(CanvasBackend backend, CanvasView* view,
                                                   std::function<void(QString)> on_gl_failure) {
  if (resolve_canvas_backend(backend) == CanvasBackend::OpenGL)
    return std::make_unique<CanvasGlSurface>(view, std::move(on_gl_failure));
  return std::make_unique<CanvasPainterSurface>(view);
}

namespace {
// Top-left inside the frame, dark and translucent so it reads over any picture.
void paint_live_badge(QPainter& painter, const QRect& canvas, const QString& text) {
  const QFontMetrics metrics(painter.font());
  const QRect box(canvas.left() + 8, canvas.top() + 8, metrics.horizontalAdvance(text) + 16, metrics.height() + 8);
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(Qt::NoPen);
  painter.setBrush(QColor(20, 20, 24, 170));
  painter.drawRoundedRect(box, 6, 6);
  painter.setPen(QColor(235, 235, 240));
  painter.drawText(box, Qt::AlignCenter, text);
  painter.restore();
}
}  // namespace

void paint_pane_decorations(QPainter& painter, const CanvasPane& pane, const CanvasView& view) {
  const QRect canvas = pane.rect.toAlignedRect();
  const QColor grey(90, 90, 96);
  // The border as four filled rectangles: aliased lines land half a pixel
  // apart in the raster and OpenGL paint engines, filled pixels do not.
  painter.fillRect(QRect(canvas.left(), canvas.top(), canvas.width(), 1), grey);
  painter.fillRect(QRect(canvas.left(), canvas.bottom(), canvas.width(), 1), grey);
  painter.fillRect(QRect(canvas.left(), canvas.top(), 1, canvas.height()), grey);
  painter.fillRect(QRect(canvas.right(), canvas.top(), 1, canvas.height()), grey);
  painter.setPen(grey);
  if (pane.frame && view.generated().isNull())
    painter.drawText(canvas.adjusted(16, 16, -16, -16), Qt::AlignBottom | Qt::AlignHCenter | Qt::TextWordWrap,
                     view.placeholder());
  if (pane.frame && !view.live_badge().isEmpty()) paint_live_badge(painter, canvas, view.live_badge());
}

}  // namespace semdraw::app
