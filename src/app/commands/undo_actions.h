#pragma once
// Undo and Redo actions with a fixed text, so the tool bar keeps its width
// after every edit (QUndoStack's own actions put the command name in the
// text); the command name goes to the tooltip and the status tip instead.
class QAction;
class QObject;
class QUndoStack;

namespace semdraw::app {

QAction* make_undo_action(QUndoStack* stack, QObject* parent);
QAction* make_redo_action(QUndoStack* stack, QObject* parent);

}  // namespace semdraw::app
