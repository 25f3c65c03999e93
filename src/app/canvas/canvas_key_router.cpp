#include "app/canvas/canvas_key_router.h"

#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QCursor>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTextEdit>

#include "app/canvas/canvas_view.h"

namespace semdraw::app {

namespace {

// Fields where a key is text: Esc leaves them for the canvas.
bool is_text_entry(const QWidget* widget) {
  if (qobject_cast<const QLineEdit*>(widget) || qobject_cast<const QAbstractSpinBox*>(widget) ||
      qobject_cast<const QTextEdit*>(widget) || qobject_cast<const QPlainTextEdit*>(widget))
    return true;
  const auto* combo = qobject_cast<const QComboBox*>(widget);
  return combo && combo->isEditable();
}

}  // namespace

CanvasKeyRouter::CanvasKeyRouter(CanvasView* canvas, QWidget* window)
    : QObject(window), canvas_(canvas), window_(window) {
  qApp->installEventFilter(this);
}

CanvasKeyRouter::~CanvasKeyRouter() { qApp->removeEventFilter(this); }

bool CanvasKeyRouter::pointer_over_canvas() const {
  if (!canvas_->isVisible() || !window_->isActiveWindow()) return false;
  const QWidget* under = QApplication::widgetAt(QCursor::pos());
  return under && (under == canvas_ || canvas_->isAncestorOf(under));
}

bool CanvasKeyRouter::is_canvas_key(const QKeyEvent* event) const {
  // Ctrl, Alt and Meta combinations are window shortcuts already, which
  // text fields leave alone except for their own editing keys.
  const Qt::KeyboardModifiers modifiers = event->modifiers() & ~Qt::KeypadModifier;
  if (modifiers & ~Qt::ShiftModifier) return false;
  if (modifiers == Qt::NoModifier && CanvasView::is_canvas_key(event->key())) return true;
  // The window's one-key shortcuts (tools, Live, side by side ...), read
  // from its actions so a new one needs no second list here.
  const QKeySequence pressed(QKeyCombination(modifiers, Qt::Key(event->key())));
  for (const QAction* action : window_->findChildren<QAction*>()) {
    if (!action->isEnabled()) continue;
    for (const QKeySequence& shortcut : action->shortcuts())
      if (shortcut == pressed) return true;
  }
  return false;
}

bool CanvasKeyRouter::eventFilter(QObject* watched, QEvent* event) {
  const QEvent::Type type = event->type();
  if (type != QEvent::ShortcutOverride && type != QEvent::KeyPress && type != QEvent::KeyRelease) return false;
  auto* widget = qobject_cast<QWidget*>(watched);
  // The canvas's own keys, and those it ignored on their way up to its
  // parents, are not routed again.
  if (!widget || widget == canvas_ || canvas_->isAncestorOf(widget) || widget->isAncestorOf(canvas_)) return false;
  // Only this window's own widgets (docks too, floating or not); never a
  // dialog, a menu or a popup, whose keys are theirs.
  if (QApplication::activePopupWidget() || QApplication::activeModalWidget()) return false;
  if (widget->window() != window_ && widget->window()->parentWidget() != window_) return false;
  if (widget->window()->windowType() == Qt::Dialog) return false;
  auto* key = static_cast<QKeyEvent*>(event);

  if (type == QEvent::KeyPress && key->key() == Qt::Key_Escape && key->modifiers() == Qt::NoModifier &&
      is_text_entry(widget)) {
    canvas_->setFocus(Qt::OtherFocusReason);
    return true;
  }
  if (type == QEvent::KeyRelease && key->key() != Qt::Key_Space) return false;  // only Space holds a state
  if (!pointer_over_canvas() || !is_canvas_key(key)) return false;
  // Focus moves first: the field commits its text on focus loss, and the
  // window's shortcuts (checked after this override) then fire instead of
  // the field swallowing the letter.
  if (!canvas_->hasFocus()) canvas_->setFocus(Qt::OtherFocusReason);
  if (type == QEvent::ShortcutOverride) return true;  // left unaccepted: the shortcut may fire
  // A key already on its way to the old focus widget goes to the canvas.
  QCoreApplication::sendEvent(canvas_, event);
  return true;
}

}  // namespace semdraw::app
