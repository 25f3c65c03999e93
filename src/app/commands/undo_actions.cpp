#include "app/commands/undo_actions.h"

#include <QAction>
#include <QCoreApplication>
#include <QUndoStack>

namespace semdraw::app {

namespace {

// One of the two directions: its label, what it does to the stack, and the
// stack's signals that say whether it can and what it would undo or redo.
template <typename Act, typename CanChanged, typename TextChanged, typename Can, typename Text>
QAction* make_history_action(QUndoStack* stack, QObject* parent, const QString& label, const char* name, Act act,
                             CanChanged can_changed, TextChanged text_changed, Can can, Text text) {
  auto* action = new QAction(label, parent);
  action->setObjectName(name);
  const auto describe = [action, label](const QString& command) {
    const QString tip = command.isEmpty() ? label : QStringLiteral("%1: %2").arg(label, command);
    action->setToolTip(tip);
    action->setStatusTip(tip);
  };
  QObject::connect(action, &QAction::triggered, stack, act);
  QObject::connect(stack, can_changed, action, &QAction::setEnabled);
  QObject::connect(stack, text_changed, action, describe);
  action->setEnabled((stack->*can)());
  describe((stack->*text)());
  return action;
}

}  // namespace

QAction* make_undo_action(QUndoStack* stack, QObject* parent) {
  QAction* action = make_history_action(stack, parent, QCoreApplication::translate("UndoActions", "Undo"), "UndoAction",
                                        &QUndoStack::undo, &QUndoStack::canUndoChanged, &QUndoStack::undoTextChanged,
                                        &QUndoStack::canUndo, &QUndoStack::undoText);
  action->setShortcut(QKeySequence::Undo);
  return action;
}

QAction* make_redo_action(QUndoStack* stack, QObject* parent) {
  QAction* action = make_history_action(stack, parent, QCoreApplication::translate("UndoActions", "Redo"), "RedoAction",
                                        &QUndoStack::redo, &QUndoStack::canRedoChanged, &QUndoStack::redoTextChanged,
                                        &QUndoStack::canRedo, &QUndoStack::redoText);
  action->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
  return action;
}

}  // namespace semdraw::app
