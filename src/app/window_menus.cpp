#include "app/window_menus.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QToolBar>

#include "app/canvas/canvas_view.h"
#include "app/tools/tool_actions.h"

namespace semdraw::app {

namespace {

QMenu* add_menu(QMainWindow* window, const QString& title, const char* name) {
  QMenu* menu = window->menuBar()->addMenu(title);
  menu->setObjectName(name);
  return menu;
}

// The tool bar's action of that name (the menus share it: one shortcut,
// one checked state).
void add_existing(QMenu* menu, QMainWindow* window, const QString& name) {
  if (auto* action = window->findChild<QAction*>(name)) menu->addAction(action);
}

}  // namespace

void add_edit_menu(QMainWindow* window, const CanvasView* canvas) {
  QMenu* menu = add_menu(window, QMainWindow::tr("&Edit"), "EditMenu");
  add_existing(menu, window, "UndoAction");
  add_existing(menu, window, "RedoAction");
  menu->addSeparator();
  for (const auto& tool : canvas->tools()) add_existing(menu, window, tool_action_name(*tool));
  menu->addSeparator();
  add_existing(menu, window, "ClearRegionAction");
}

void add_view_menu(QMainWindow* window, CanvasView* canvas) {
  QMenu* menu = add_menu(window, QMainWindow::tr("&View"), "ViewMenu");
  QAction* zoom_in = menu->addAction(QMainWindow::tr("Zoom &In"), canvas, &CanvasView::zoom_in);
  zoom_in->setObjectName("ZoomInAction");
  zoom_in->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
  QAction* zoom_out = menu->addAction(QMainWindow::tr("Zoom &Out"), canvas, &CanvasView::zoom_out);
  zoom_out->setObjectName("ZoomOutAction");
  zoom_out->setShortcut(QKeySequence::ZoomOut);
  QAction* fit = menu->addAction(QMainWindow::tr("&Fit Canvas"), canvas, &CanvasView::fit_to_view);
  fit->setObjectName("FitCanvasAction");
  fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
  menu->addSeparator();
  add_existing(menu, window, "OverlayAction");
  add_existing(menu, window, "SideBySideAction");
  menu->addSeparator();
  QMenu* panels = menu->addMenu(QMainWindow::tr("&Panels"));
  panels->setObjectName("PanelsMenu");
  for (QDockWidget* dock : window->findChildren<QDockWidget*>()) panels->addAction(dock->toggleViewAction());
  for (QToolBar* bar : window->findChildren<QToolBar*>()) panels->addAction(bar->toggleViewAction());
}

}  // namespace semdraw::app
