#include "app/canvas/canvas_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QTabletEvent>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "app/commands/edit_context.h"
#include "app/tools/tool_registry.h"

namespace semdraw::app {

CanvasView::CanvasView(EditContext* context, QWidget* parent, CanvasBackend backend)
    : QWidget(parent),
      context_(context),
      tools_(make_canvas_tools({context, &brush_})),
      active_tool_(tools_.front().get()),
      placeholder_(tr("No model loaded. Paint regions now; point SemanticDraw at Stable Diffusion 1.5 "
                      "weights (README: \"Where weights go\") to see them come alive.")) {
  setObjectName("CanvasView");
  setMinimumSize(320, 240);
  setAutoFillBackground(false);
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(false);
  setAttribute(Qt::WA_TabletTracking, false);
  use_surface(resolve_canvas_backend(backend));
  connect(context_, &EditContext::mask_changed, this,
          [this](int region, QRect rect) { surface_->mask_changed(region, rect); });
  connect(context_, &EditContext::region_changed, this, [this](int) { content_changed(); });
  connect(context_, &EditContext::regions_reset, this, [this] { content_changed(); });
  connect(context_, &EditContext::background_changed, this, &CanvasView::refresh_picture);
  // The frame was made for the old size: stretched to the new one it would
  // show the picture distorted until the next frame comes. The document has
  // it cropped or extended at scale 1, like the paint: show that.
  connect(context_, &EditContext::canvas_resized, this, [this] { set_generated(context_->document()->generated()); });
  refresh_picture();
}

namespace {
// What the frame textures take: RGB888 at the canvas size (null stays null).
QImage canvas_rgb(const QImage& image, QSize canvas) {
  if (image.isNull()) return QImage();
  const QImage sized =
      image.size() == canvas ? image : image.scaled(canvas, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
  return sized.convertToFormat(QImage::Format_RGB888);
}

// A frame of another size (one made before a resize, still on its way or
// picked from the history) at scale 1, centred on white: never stretched.
QImage unstretched_rgb(const QImage& frame, QSize canvas) {
  if (frame.isNull() || frame.size() == canvas) return canvas_rgb(frame, canvas);
  QImage out(canvas, QImage::Format_RGB888);
  out.fill(Qt::white);
  QPainter painter(&out);
  painter.drawImage(QPoint((canvas.width() - frame.width()) / 2, (canvas.height() - frame.height()) / 2), frame);
  return out;
}
}  // namespace

void CanvasView::refresh_picture() {
  picture_ = canvas_rgb(context_->document()->background(), context_->document()->canvas_size());
  if (generated_.isNull()) surface_->frame_changed();
}

CanvasView::~CanvasView() = default;

void CanvasView::use_surface(CanvasBackend backend) {
  surface_ = make_canvas_surface(backend, this, [this](const QString& reason) {
    qWarning("canvas: OpenGL compositing failed (%s); using QPainter", qPrintable(reason));
    // The failing surface may be on the stack (its own paint): delete it later.
    surface_.release()->widget()->deleteLater();
    use_surface(CanvasBackend::Painter);
  });
  QWidget* widget = surface_->widget();
  widget->setParent(this);
  // Input goes to the view underneath: the surface only draws.
  widget->setAttribute(Qt::WA_TransparentForMouseEvents);
  widget->setFocusPolicy(Qt::NoFocus);
  widget->setGeometry(rect());
  widget->show();
}

CanvasBackend CanvasView::backend() const { return surface_->backend(); }

QWidget* CanvasView::surface_widget() const { return surface_->widget(); }

const doc::Document& CanvasView::document() const { return *context_->document(); }

void CanvasView::resizeEvent(QResizeEvent*) { surface_->widget()->setGeometry(rect()); }

void CanvasView::content_changed() { surface_->content_changed(); }

CanvasGeometry CanvasView::view_geometry() const {
  CanvasGeometry g;
  g.canvas = context_->document()->canvas_size();
  g.widget = size();
  g.zoom = zoom_;
  g.pan = pan_;
  g.side_by_side = view_mode_ == ViewMode::SideBySide;
  return g;
}

QPointF CanvasView::canvas_to_widget(QPointF p) const { return view_geometry().canvas_to_widget(p); }

QPointF CanvasView::widget_to_canvas(QPointF w) const { return view_geometry().widget_to_canvas(w); }

QRect CanvasView::canvas_rect() const { return view_geometry().canvas_rect(0).toAlignedRect(); }

QRect CanvasView::frame_rect() const {
  const CanvasGeometry g = view_geometry();
  return g.canvas_rect(g.pane_count() - 1).toAlignedRect();
}

void CanvasView::set_generated(const QImage& frame) {
  generated_ = unstretched_rgb(frame, context_->document()->canvas_size());
  surface_->frame_changed();
}

void CanvasView::set_view_mode(ViewMode mode) {
  if (mode == view_mode_) return;
  view_mode_ = mode;
  content_changed();
}

void CanvasView::set_placeholder(const QString& text) {
  if (text == placeholder_) return;
  placeholder_ = text;
  if (generated_.isNull()) content_changed();
}

void CanvasView::set_live_badge(const QString& text) {
  if (text == live_badge_) return;
  live_badge_ = text;
  content_changed();
}

void CanvasView::set_overlay_opacity(double opacity) {
  overlay_opacity_ = std::clamp(opacity, 0.0, 1.0);
  content_changed();
}

void CanvasView::set_overlays_visible(bool visible) {
  overlays_visible_ = visible;
  content_changed();
}

void CanvasView::set_brush_size(double size) {
  size = std::clamp(size, kMinBrushSize, kMaxBrushSize);
  if (size == brush_.size) return;
  brush_.size = size;
  emit tool_options_changed();
}

void CanvasView::set_active_tool(CanvasTool* tool) {
  if (tool == active_tool_) return;
  if (tool_down_) {  // the old tool ends its stroke where the pointer last was
    tool_down_ = false;
    active_tool_->release(tool_input(last_widget_, 1.0));
  }
  active_tool_ = tool;
  emit active_tool_changed(tool);
}

ToolInput CanvasView::tool_input(QPointF widget_point, double pressure) const {
  return {view_geometry().widget_to_canvas(widget_point, press_pane_), pressure};
}

void CanvasView::press(QPointF widget_point, double pressure, bool pan) {
  last_widget_ = widget_point;
  if (pan || space_down_) {
    panning_ = true;
    setCursor(Qt::ClosedHandCursor);
    return;
  }
  // A stroke stays on the half it began on, even when it crosses the middle.
  press_pane_ = view_geometry().pane_at(widget_point);
  tool_down_ = true;
  active_tool_->press(tool_input(widget_point, pressure));
}

void CanvasView::move(QPointF widget_point, double pressure) {
  if (panning_) {
    pan_ += widget_point - last_widget_;
    last_widget_ = widget_point;
    content_changed();
    return;
  }
  if (!tool_down_) return;
  last_widget_ = widget_point;
  active_tool_->move(tool_input(widget_point, pressure));
}

void CanvasView::release(QPointF widget_point, double pressure) {
  if (panning_) {
    panning_ = false;
    setCursor(space_down_ ? Qt::OpenHandCursor : Qt::ArrowCursor);
  }
  if (!tool_down_) return;
  tool_down_ = false;
  active_tool_->release(tool_input(widget_point, pressure));
}

void CanvasView::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton || event->button() == Qt::MiddleButton)
    press(event->position(), 1.0, event->button() == Qt::MiddleButton);
}

void CanvasView::mouseMoveEvent(QMouseEvent* event) { move(event->position(), 1.0); }

void CanvasView::mouseReleaseEvent(QMouseEvent* event) { release(event->position(), 1.0); }

void CanvasView::tabletEvent(QTabletEvent* event) {
  // Accepting stops Qt from also synthesising mouse events for the pen.
  const double pressure = std::clamp(static_cast<double>(event->pressure()), 0.0, 1.0);
  switch (event->type()) {
    case QEvent::TabletPress: press(event->position(), pressure, false); break;
    case QEvent::TabletMove: move(event->position(), pressure); break;
    case QEvent::TabletRelease: release(event->position(), pressure); break;
    default: return;
  }
  event->accept();
}

void CanvasView::zoom_about(QPointF widget_point, double factor) {
  const QPointF anchor = widget_to_canvas(widget_point);
  zoom_ = std::clamp(zoom_ * factor, 0.1, 32.0);
  // Keep the canvas point under widget_point where it was.
  const CanvasGeometry g = view_geometry();
  const int pane = g.pane_at(widget_point);
  pan_ += widget_point - g.canvas_to_widget(anchor, pane);
  content_changed();
}

void CanvasView::wheelEvent(QWheelEvent* event) {
  zoom_about(event->position(), std::pow(1.25, event->angleDelta().y() / 120.0));
  event->accept();
}

void CanvasView::zoom_in() { zoom_about(QRectF(rect()).center(), 1.25); }

void CanvasView::zoom_out() { zoom_about(QRectF(rect()).center(), 1 / 1.25); }

void CanvasView::fit_to_view() {
  zoom_ = 1.0;
  pan_ = QPointF();
  content_changed();
}

bool CanvasView::is_canvas_key(int key) {
  return key == Qt::Key_BracketLeft || key == Qt::Key_BracketRight || key == Qt::Key_Space;
}

void CanvasView::keyPressEvent(QKeyEvent* event) {
  switch (event->key()) {
    // Steps of 20% feel even at every size; at least one pixel so small
    // brushes do not get stuck by rounding.
    case Qt::Key_BracketLeft: set_brush_size(std::min(brush_.size - 1.0, std::round(brush_.size / 1.2))); break;
    case Qt::Key_BracketRight: set_brush_size(std::max(brush_.size + 1.0, std::round(brush_.size * 1.2))); break;
    case Qt::Key_Space:
      if (!event->isAutoRepeat()) {
        space_down_ = true;
        setCursor(Qt::OpenHandCursor);
      }
      break;
    default: QWidget::keyPressEvent(event); return;
  }
  event->accept();
}

void CanvasView::keyReleaseEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
    space_down_ = false;
    if (!panning_) setCursor(Qt::ArrowCursor);
    event->accept();
    return;
  }
  QWidget::keyReleaseEvent(event);
}

}  // namespace semdraw::app
