#include "app/main_window.h"

#include <QAction>
#include <QCloseEvent>
#include <QFileDialog>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QScreen>
#include <QStatusBar>
#include <QToolBar>
#include <QUndoStack>

#include "app/canvas/canvas_key_router.h"
#include "app/canvas/canvas_view.h"
#include "app/commands/edit_context.h"
#include "app/commands/mask_commands.h"
#include "app/commands/undo_actions.h"
#include "app/docks/background_dock.h"
#include "app/docks/banner_bar.h"
#include "app/docks/generation_dock.h"
#include "app/docks/history_strip.h"
#include "app/docks/palette_dock.h"
#include "app/engine_bridge/engine_controls.h"
#include "app/engine_bridge/engine_host.h"
#include "app/engine_bridge/engine_status.h"
#include "app/files/file_actions.h"
#include "app/help_menu.h"
#include "app/live_preview_menu.h"
#include "app/model/model_menu.h"
#include "app/tools/tool_actions.h"
#include "app/tools/tool_option_controls.h"
#include "app/window_menus.h"
#include "doc/png_export.h"
#include "semdraw/engine/device.h"

namespace semdraw::app {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setObjectName("MainWindow");
  setWindowTitle(tr("SemanticDraw"));
  setWindowIcon(QIcon(":/icons/semdraw.svg"));
  // 1200x800 where it fits; on a laptop (1366x768) the screen less room for
  // the window manager's title bar.
  const QSize room = screen() ? screen()->availableSize() - QSize(16, 48) : QSize(1200, 800);
  resize(QSize(1200, 800).boundedTo(room).expandedTo(minimumSizeHint()));

  // A fresh document starts with the two regions of the paper's first demo,
  // so the palette is never an empty box.
  document_.add_region(tr("Sky"), "a photo of a blue sky with clouds");
  document_.add_region(tr("Eagle"), "a red eagle, wings spread");

  undo_stack_ = new QUndoStack(this);
  context_ = new EditContext(&document_, undo_stack_, this);
  context_->set_current_region(static_cast<int>(document_.regions().size()) - 1);
  canvas_ = new CanvasView(context_, this);
  setCentralWidget(canvas_);
  palette_ = new PaletteDock(context_, this);
  addDockWidget(Qt::RightDockWidgetArea, palette_);
  addDockWidget(Qt::RightDockWidgetArea, background_ = new BackgroundDock(context_, this));
  addDockWidget(Qt::RightDockWidgetArea, generation_ = new GenerationDock(context_, this));
  // Background and generation settings share one place under the palette
  // (tabs), so the canvas keeps the width of the window.
  tabifyDockWidget(background_, generation_);
  background_->raise();

  build_tool_bar();
  build_status_bar();
  banner_ = BannerBar::install(this);
  files_ = new FileActions(this, context_, banner_);
  files_->set_background_dock(background_);
  connect(background_, &BackgroundDock::error, this,
          [this](const QString& text) { banner_->show_message(Severity::Error, text); });
  connect(background_, &BackgroundDock::notice, this,
          [this](const QString& text) { banner_->show_message(Severity::Info, text); });
  connect(files_, &FileActions::document_replaced, this, [this] {
    // Every panel reloads from the new document; the canvas shows the
    // project's last generated frame until a new one comes.
    context_->notify_settings_changed();
    context_->notify_canvas_resized();
    canvas_->set_generated(document_.generated());
    // A file dialog hands focus back to whatever had it; painting resumes on
    // the canvas (Space pans, [ ] size the brush).
    canvas_->setFocus(Qt::OtherFocusReason);
  });
  engine_controls_ = new EngineControls(context_, canvas_, engine_status_, live_action_, generate_action_, this);
  engine_controls_->set_seed_source([this] { return generation_->seed_for_next_render(); });
  build_history();
  add_edit_menu(this, canvas_);
  add_view_menu(this, canvas_);
  add_live_preview_menu(findChild<QMenu*>("ViewMenu"), engine_controls_);
  new ModelMenu(engine_controls_, menuBar(), this);
  new HelpMenu(this, engine_controls_->host(), menuBar());
  connect(engine_controls_, &EngineControls::message, this, &MainWindow::show_message);
  new CanvasKeyRouter(canvas_, this);
  canvas_->setFocus(Qt::OtherFocusReason);
}

// The file actions go first: they watch the undo stack and the document,
// which the QObject teardown would otherwise take away under them.
MainWindow::~MainWindow() { delete files_; }

void MainWindow::closeEvent(QCloseEvent* event) {
  if (files_->close_requested())
    event->accept();
  else
    event->ignore();
}

void MainWindow::build_history() {
  history_ = new HistoryStrip(this);
  addDockWidget(Qt::BottomDockWidgetArea, history_);
  files_->set_history_strip(history_);
  connect(engine_controls_, &EngineControls::frame_shown, history_, &HistoryStrip::add_frame);
  connect(history_, &HistoryStrip::frame_chosen, engine_controls_, &EngineControls::show_still);
  connect(history_, &HistoryStrip::save_requested, this, [this](const QImage& frame) {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save frame"), QString(), tr("PNG image (*.png)"));
    if (path.isEmpty()) return;
    context_->commit_pending_edits();
    doc::Document with_frame = document_;  // the frame's parameters are the document's
    with_frame.set_generated(frame);
    QString error;
    if (!doc::export_png(with_frame, path, false, &error)) show_message(error, true);
  });
}

void MainWindow::show_message(const QString& text, bool is_error) {
  if (!is_error) {  // progress and results: the status bar, gone after a while
    statusBar()->showMessage(text, 8000);
    return;
  }
  // Errors stay in the banner until dismissed, never a modal box. Without a
  // model, the useful next step is choosing one.
  std::vector<BannerAction> actions;
  if (engine_controls_ && !engine_controls_->host()->has_model() && !engine_controls_->host()->loading()) {
    if (auto* load = findChild<QAction*>("LoadModelAction"))
      actions.push_back({tr("Load model…"), [load] { load->trigger(); }});
  }
  banner_->show_message(Severity::Error, text, std::move(actions));
}

QLabel* MainWindow::device_label() const { return engine_status_->device_label(); }

void MainWindow::build_tool_bar() {
  auto* tools = addToolBar(tr("Tools"));
  tools->setObjectName("ToolBar");
  // The tools, then their options, from the tool registry (tools/).
  add_tool_actions(tools, canvas_);
  add_tool_option_controls(tools, canvas_);
  tools->addSeparator();

  tools->addAction(make_undo_action(undo_stack_, this));
  tools->addAction(make_redo_action(undo_stack_, this));
  QAction* clear = tools->addAction(tr("Clear region"));
  clear->setObjectName("ClearRegionAction");
  clear->setToolTip(tr("Erase the selected region's whole mask"));
  connect(clear, &QAction::triggered, this, [this] {
    const int region = context_->current_region();
    if (region < 0) return;
    if (auto* command = make_clear(context_, region)) undo_stack_->push(command);
  });
  tools->addSeparator();

  QAction* overlays = tools->addAction(tr("Overlays"));
  overlays->setObjectName("OverlayAction");
  overlays->setCheckable(true);
  overlays->setChecked(canvas_->overlays_visible());
  overlays->setToolTip(tr("Show the region colours over the image"));
  connect(overlays, &QAction::toggled, canvas_, &CanvasView::set_overlays_visible);
  // A view setting, not a tool's, made like the tools' sliders.
  const ToolOption overlay_opacity{"OverlayOpacity",
                                   tr("Overlay opacity"),
                                   ToolOption::Control::Percent,
                                   0.0,
                                   1.0,
                                   [this] { return canvas_->overlay_opacity(); },
                                   [this](double v) { canvas_->set_overlay_opacity(v); }};
  tools->addWidget(make_option_control(overlay_opacity, tools).widget);
  QAction* side_by_side = tools->addAction(tr("Side by side"));
  side_by_side->setObjectName("SideBySideAction");
  side_by_side->setCheckable(true);
  side_by_side->setShortcut(QKeySequence("V"));
  side_by_side->setToolTip(tr("Regions on the left, the generated image on the right (V)"));
  connect(side_by_side, &QAction::toggled, canvas_, [this](bool on) {
    canvas_->set_view_mode(on ? CanvasView::ViewMode::SideBySide : CanvasView::ViewMode::Overlay);
  });
  tools->addSeparator();
  QAction* live = live_action_ = tools->addAction(tr("Live"));
  live->setObjectName("LiveAction");
  live->setCheckable(true);
  live->setShortcut(QKeySequence("L"));
  QAction* generate = generate_action_ = tools->addAction(tr("Generate"));
  generate->setObjectName("GenerateAction");
  // Both need a model; without one they say so (EngineControls).
  generate->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
  live->setToolTip(tr("Needs a model: see README, \"Where weights go\""));
  generate->setToolTip(live->toolTip());
}

void MainWindow::build_status_bar() {
  const ComputeDevice device = probe_compute_device();
  engine_status_ = new EngineStatus(this);
  engine_status_->show_device(device.cuda ? tr("GPU: %1").arg(QString::fromStdString(device.name)) : tr("CPU"),
                              QString::fromStdString(device.note));
  statusBar()->addPermanentWidget(engine_status_);
  statusBar()->showMessage(device.cuda ? tr("Ready") : tr("Ready — %1").arg(QString::fromStdString(device.note)));
}

}  // namespace semdraw::app
