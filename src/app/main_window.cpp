#include "app/main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QLabel>
#include <QStatusBar>
#include <QToolBar>

#include "app/canvas_view.h"
#include "app/palette_dock.h"
#include "semdraw/engine/device.h"

namespace semdraw::app {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setObjectName("MainWindow");
  setWindowTitle(tr("SemanticDraw"));
  setWindowIcon(QIcon(":/icons/semdraw.svg"));
  resize(1200, 800);

  // A fresh document starts with the two regions of the paper's first demo,
  // so the palette is never an empty box.
  document_.add_region(tr("Sky"), "a photo of a blue sky with clouds");
  document_.add_region(tr("Eagle"), "a red eagle, wings spread");

  canvas_ = new CanvasView(&document_, this);
  setCentralWidget(canvas_);
  palette_ = new PaletteDock(&document_, this);
  addDockWidget(Qt::RightDockWidgetArea, palette_);

  build_tool_bar();
  build_status_bar();
}

void MainWindow::build_tool_bar() {
  auto* tools = addToolBar(tr("Tools"));
  tools->setObjectName("ToolBar");
  auto* group = new QActionGroup(this);
  const struct { const char* name; const char* shortcut; } kTools[] = {
      {QT_TR_NOOP("Brush"), "B"}, {QT_TR_NOOP("Eraser"), "E"}, {QT_TR_NOOP("Fill"), "F"}};
  for (const auto& tool : kTools) {
    QAction* action = tools->addAction(tr(tool.name));
    action->setShortcut(QKeySequence(tool.shortcut));
    action->setCheckable(true);
    group->addAction(action);
  }
  group->actions().first()->setChecked(true);
  tools->addSeparator();
  QAction* live = tools->addAction(tr("Live"));
  live->setObjectName("LiveAction");
  live->setCheckable(true);
  live->setShortcut(QKeySequence("L"));
  QAction* generate = tools->addAction(tr("Generate"));
  generate->setObjectName("GenerateAction");
  // Both need a model; model loading arrives with the engine worker.
  live->setEnabled(false);
  generate->setEnabled(false);
  live->setToolTip(tr("Needs a model: see README, \"Where weights go\""));
  generate->setToolTip(live->toolTip());
}

void MainWindow::build_status_bar() {
  const ComputeDevice device = probe_compute_device();
  device_label_ = new QLabel(this);
  device_label_->setObjectName("DeviceLabel");
  device_label_->setText(device.cuda ? tr("GPU: %1").arg(QString::fromStdString(device.name))
                                     : tr("CPU"));
  device_label_->setToolTip(QString::fromStdString(device.note));
  statusBar()->addPermanentWidget(device_label_);
  statusBar()->showMessage(device.cuda ? tr("Ready") : tr("Ready — %1").arg(QString::fromStdString(device.note)));
}

}  // namespace semdraw::app
