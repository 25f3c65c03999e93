#include "app/canvas_view.h"

#include <QPainter>

namespace semdraw::app {

CanvasView::CanvasView(const doc::Document* document, QWidget* parent)
    : QWidget(parent), document_(document) {
  setObjectName("CanvasView");
  setMinimumSize(320, 240);
  setAutoFillBackground(false);
}

QRect CanvasView::canvas_rect() const {
  QSize size = document_->canvas_size();
  size.scale(this->size() - QSize(32, 32), Qt::KeepAspectRatio);
  QRect rect(QPoint(0, 0), size);
  rect.moveCenter(this->rect().center());
  return rect;
}

void CanvasView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), QColor(48, 48, 52));
  const QRect canvas = canvas_rect();
  painter.fillRect(canvas, Qt::white);
  painter.setRenderHint(QPainter::SmoothPixmapTransform);
  for (const auto& region : document_->regions()) {
    if (!region.enabled) continue;
    // Tint the region's colour by its mask: mask as alpha channel.
    QImage overlay(region.mask.size(), QImage::Format_ARGB32_Premultiplied);
    overlay.fill(region.colour);
    QPainter tint(&overlay);
    tint.setCompositionMode(QPainter::CompositionMode_DestinationIn);
    // Reinterpret the grey levels as alpha (a format conversion would make
    // every pixel opaque, since grey images have no alpha).
    const QImage alpha(region.mask.constBits(), region.mask.width(), region.mask.height(),
                       region.mask.bytesPerLine(), QImage::Format_Alpha8);
    tint.drawImage(0, 0, alpha);
    tint.end();
    painter.setOpacity(0.6);
    painter.drawImage(canvas, overlay);
    painter.setOpacity(1.0);
  }
  painter.setPen(QColor(90, 90, 96));
  painter.drawRect(canvas.adjusted(0, 0, -1, -1));
  painter.drawText(canvas.adjusted(16, 16, -16, -16), Qt::AlignBottom | Qt::AlignHCenter | Qt::TextWordWrap,
                   tr("No model loaded. Paint regions now; point SemanticDraw at Stable Diffusion 1.5 "
                      "weights (README: \"Where weights go\") to see them come alive."));
}

}  // namespace semdraw::app
