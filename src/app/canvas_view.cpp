#include "app/canvas_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPaintEvent>
#include <QTabletEvent>
#include <QUndoStack>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "app/edit_context.h"
#include "app/mask_commands.h"

namespace semdraw::app {

CanvasView::CanvasView(EditContext* context, QWidget* parent) : QWidget(parent), context_(context) {
  setObjectName("CanvasView");
  placeholder_ = tr("No model loaded. Paint regions now; point SemanticDraw at Stable Diffusion 1.5 "
                    "weights (README: \"Where weights go\") to see them come alive.");
  setMinimumSize(320, 240);
  setAutoFillBackground(false);
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(false);
  setAttribute(Qt::WA_TabletTracking, false);
  connect(context_, &EditContext::mask_changed, this,
          [this](int, QRect rect) { repaint_canvas_rect(rect); });
  connect(context_, &EditContext::region_changed, this, [this](int) { update(); });
  connect(context_, &EditContext::regions_reset, this, [this] { update(); });
}

QRectF CanvasView::fitted_rect() const {
  QSizeF size = context_->document()->canvas_size();
  size.scale(QSizeF(this->size() - QSize(32, 32)), Qt::KeepAspectRatio);
  QRectF rect(QPointF(0, 0), size);
  rect.moveCenter(QRectF(this->rect()).center());
  return rect;
}

double CanvasView::scale() const {
  return fitted_rect().width() * zoom_ / context_->document()->canvas_size().width();
}

QPointF CanvasView::canvas_to_widget(QPointF p) const {
  const QRectF fit = fitted_rect();
  // Zoom about the widget centre, then pan.
  const QPointF centre = fit.center();
  const double s = scale();
  const QSizeF canvas = context_->document()->canvas_size();
  return centre + pan_ + (p - QPointF(canvas.width() / 2, canvas.height() / 2)) * s;
}

QPointF CanvasView::widget_to_canvas(QPointF w) const {
  const QRectF fit = fitted_rect();
  const double s = scale();
  const QSizeF canvas = context_->document()->canvas_size();
  return (w - fit.center() - pan_) / s + QPointF(canvas.width() / 2, canvas.height() / 2);
}

QRect CanvasView::canvas_rect() const {
  const QSizeF canvas = context_->document()->canvas_size();
  return QRectF(canvas_to_widget({0, 0}), canvas_to_widget({canvas.width(), canvas.height()})).toAlignedRect();
}

void CanvasView::set_overlay_opacity(double opacity) {
  overlay_opacity_ = std::clamp(opacity, 0.0, 1.0);
  update();
}

void CanvasView::set_overlays_visible(bool visible) {
  overlays_visible_ = visible;
  update();
}

void CanvasView::set_brush_size(double size) {
  size = std::clamp(size, kMinBrushSize, kMaxBrushSize);
  if (size == brush_.size) return;
  brush_.size = size;
  emit brush_size_changed(size);
}

void CanvasView::repaint_canvas_rect(QRect rect) {
  if (rect.isEmpty()) return;
  const QRectF widget(canvas_to_widget(rect.topLeft()), canvas_to_widget(rect.bottomRight() + QPoint(1, 1)));
  update(widget.toAlignedRect().adjusted(-2, -2, 2, 2));
}

void CanvasView::paintEvent(QPaintEvent* event) {
  QPainter painter(this);
  painter.setClipRect(event->rect());
  painter.fillRect(event->rect(), QColor(48, 48, 52));
  const QRect canvas = canvas_rect();
  if (generated_.isNull()) {
    painter.fillRect(canvas, Qt::white);
  } else {
    painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
    painter.drawImage(QRectF(canvas), generated_);
  }
  // Only the part of the canvas under the dirty rectangle is recomposited,
  // so a brush dab costs a dab-sized repaint.
  const QSize size = context_->document()->canvas_size();
  const QRect dirty =
      QRectF(widget_to_canvas(event->rect().topLeft()), widget_to_canvas(event->rect().bottomRight() + QPoint(1, 1)))
          .toAlignedRect()
          .adjusted(-1, -1, 1, 1)
          .intersected(QRect(QPoint(0, 0), size));
  if (overlays_visible_ && !dirty.isEmpty()) {
    const QRectF target(canvas_to_widget(dirty.topLeft()), canvas_to_widget(dirty.bottomRight() + QPoint(1, 1)));
    painter.setRenderHint(QPainter::SmoothPixmapTransform, scale() < 1.0);
    for (const auto& region : context_->document()->regions()) {
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
      painter.setOpacity(overlay_opacity_);
      painter.drawImage(target, overlay);
      painter.setOpacity(1.0);
    }
  }
  painter.setPen(QColor(90, 90, 96));
  painter.drawRect(canvas.adjusted(0, 0, -1, -1));
  if (generated_.isNull() && !placeholder_.isEmpty())
    painter.drawText(canvas.adjusted(16, 16, -16, -16), Qt::AlignBottom | Qt::AlignHCenter | Qt::TextWordWrap,
                     placeholder_);
}

void CanvasView::set_generated(const QImage& frame) {
  generated_ = frame;
  update();
}

void CanvasView::set_placeholder(const QString& text) {
  placeholder_ = text;
  update();
}

void CanvasView::press(QPointF widget_point, double pressure, bool pan) {
  last_widget_ = widget_point;
  if (pan || space_down_) {
    panning_ = true;
    setCursor(Qt::ClosedHandCursor);
    return;
  }
  const int region = context_->current_region();
  if (region < 0) return;
  const QPointF canvas_point = widget_to_canvas(widget_point);
  if (tool_ == Tool::Fill) {
    const QPoint seed(static_cast<int>(std::floor(canvas_point.x())), static_cast<int>(std::floor(canvas_point.y())));
    if (auto* command = make_fill(context_, region, seed)) context_->stack()->push(command);
    return;
  }
  stroking_ = true;
  stroke_region_ = region;
  ++stroke_serial_;
  stroke_before_ = context_->document()->region(region).mask.copy();
  stroke_rect_ = QRect();
  last_canvas_ = canvas_point;
  last_pressure_ = pressure;
  move(widget_point, pressure);  // the first dab
}

void CanvasView::move(QPointF widget_point, double pressure) {
  if (panning_) {
    pan_ += widget_point - last_widget_;
    last_widget_ = widget_point;
    update();
    return;
  }
  if (!stroking_) return;
  const QPointF canvas_point = widget_to_canvas(widget_point);
  QImage& mask = context_->document()->region(stroke_region_).mask;
  const QRect changed = stroke_segment(mask, last_canvas_, last_pressure_, canvas_point, pressure, brush_,
                                       tool_ == Tool::Eraser ? BrushMode::Erase : BrushMode::Paint);
  last_canvas_ = canvas_point;
  last_pressure_ = pressure;
  last_widget_ = widget_point;
  if (changed.isEmpty()) return;
  stroke_rect_ |= changed;
  context_->notify_mask_changed(stroke_region_, changed);  // repaint just this segment
  // One command per segment, all covering the stroke so far; the stack merges
  // them into a single undo step.
  context_->stack()->push(make_patch(context_, stroke_region_, stroke_before_, stroke_rect_,
                                     tool_ == Tool::Eraser ? tr("Erase") : tr("Brush stroke"), stroke_serial_));
}

void CanvasView::release() {
  if (panning_) {
    panning_ = false;
    setCursor(space_down_ ? Qt::OpenHandCursor : Qt::ArrowCursor);
  }
  stroking_ = false;
  stroke_before_ = QImage();
}

void CanvasView::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton || event->button() == Qt::MiddleButton)
    press(event->position(), 1.0, event->button() == Qt::MiddleButton);
}

void CanvasView::mouseMoveEvent(QMouseEvent* event) { move(event->position(), 1.0); }

void CanvasView::mouseReleaseEvent(QMouseEvent*) { release(); }

void CanvasView::tabletEvent(QTabletEvent* event) {
  // Accepting stops Qt from also synthesising mouse events for the pen.
  const double pressure = std::clamp(static_cast<double>(event->pressure()), 0.0, 1.0);
  switch (event->type()) {
    case QEvent::TabletPress: press(event->position(), pressure, false); break;
    case QEvent::TabletMove: move(event->position(), pressure); break;
    case QEvent::TabletRelease: release(); break;
    default: return;
  }
  event->accept();
}

void CanvasView::wheelEvent(QWheelEvent* event) {
  const QPointF cursor = event->position();
  const QPointF anchor = widget_to_canvas(cursor);
  const double steps = event->angleDelta().y() / 120.0;
  zoom_ = std::clamp(zoom_ * std::pow(1.25, steps), 0.1, 32.0);
  // Keep the canvas point under the cursor where it was.
  pan_ += cursor - canvas_to_widget(anchor);
  update();
  event->accept();
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
