#pragma once
#include <QWidget>

#include "doc/document.h"

namespace semdraw::app {

// The canvas: the document's regions as coloured overlays on the generated
// image (none yet), centred on a neutral checkerboard.
class CanvasView : public QWidget {
  Q_OBJECT
 public:
  explicit CanvasView(const doc::Document* document, QWidget* parent = nullptr);

  // Where the canvas rectangle lies in widget coordinates.
  QRect canvas_rect() const;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  const doc::Document* document_;
};

}  // namespace semdraw::app
