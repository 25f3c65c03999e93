#pragma once
// The tools' buttons: one checkable action per tool of the canvas, in the
// registry's order, which the Edit menu shares (one shortcut, one checked
// state).
#include <QList>
#include <QString>

class QAction;
class QToolBar;

namespace semdraw::app {

class CanvasTool;
class CanvasView;

// "<id>Action": how the menus, the tests and the key router find a tool's action.
QString tool_action_name(const CanvasTool& tool);

// Adds the tools' actions to `bar` (the tool's name, shortcut and icon;
// exactly one checked), each making its tool the canvas's active one; the
// check follows the canvas when its tool changes otherwise.
QList<QAction*> add_tool_actions(QToolBar* bar, CanvasView* canvas);

}  // namespace semdraw::app
