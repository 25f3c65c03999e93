#pragma once
// Canvas keys follow the pointer, not the keyboard focus. With the pointer
// over the canvas, the canvas's keys ([ ] Space) and the window's one-key
// shortcuts (B, E, F, L, V ...) act on the canvas even when a prompt field,
// a spin box or a button still has focus from the last edit or a dialog;
// focus moves to the canvas, so the field's typed text commits as it does on
// any focus loss. Esc in a text field hands focus back to the canvas. With
// the pointer anywhere else, keys go where Qt sends them: typing in a field
// is never taken away.
#include <QObject>

class QKeyEvent;
class QWidget;

namespace semdraw::app {

class CanvasView;

class CanvasKeyRouter : public QObject {
  Q_OBJECT
 public:
  // Watches the key events of `window`'s widgets (an application-wide event
  // filter, as key events go to whichever widget has focus).
  CanvasKeyRouter(CanvasView* canvas, QWidget* window);
  ~CanvasKeyRouter() override;

  // True when the pointer is over the canvas and nothing (a popup, a
  // floating panel) lies between it and the canvas.
  bool pointer_over_canvas() const;

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  bool is_canvas_key(const QKeyEvent* event) const;

  CanvasView* canvas_;
  QWidget* window_;
};

}  // namespace semdraw::app
