#include "app/tools/tool_actions.h"

#include <QAction>
#include <QActionGroup>
#include <QToolBar>

#include "app/canvas/canvas_view.h"
#include "app/tools/canvas_tool.h"

namespace semdraw::app {

QString tool_action_name(const CanvasTool& tool) { return tool.id() + QStringLiteral("Action"); }

QList<QAction*> add_tool_actions(QToolBar* bar, CanvasView* canvas) {
  auto* group = new QActionGroup(bar);
  QList<QAction*> actions;
  for (const auto& owned : canvas->tools()) {
    CanvasTool* tool = owned.get();
    QAction* action = bar->addAction(tool->icon(), tool->name());
    action->setObjectName(tool_action_name(*tool));
    action->setShortcut(tool->shortcut());
    action->setCheckable(true);
    action->setChecked(tool == canvas->active_tool());
    group->addAction(action);
    QObject::connect(action, &QAction::triggered, canvas, [canvas, tool] { canvas->set_active_tool(tool); });
    QObject::connect(canvas, &CanvasView::active_tool_changed, action,
                     [action, tool](CanvasTool* active) { action->setChecked(active == tool); });
    actions << action;
  }
  return actions;
}

}  // namespace semdraw::app
