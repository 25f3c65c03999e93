#pragma once
#include <QMainWindow>

#include "doc/document.h"

class QAction;
class QLabel;
class QUndoStack;

namespace semdraw::app {

class BannerBar;
class CanvasView;
class EditContext;
class EngineControls;
class EngineStatus;
class HistoryStrip;
class FileActions;
class BackgroundDock;
class GenerationDock;
class PaletteDock;

// The main window: canvas in the centre, semantic palette dock, tool bar and a
// status bar that names the compute device. It owns the document and the
// undo stack every edit goes through.
class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  CanvasView* canvas() const { return canvas_; }
  PaletteDock* palette() const { return palette_; }
  QLabel* device_label() const;
  EngineControls* engine_controls() const { return engine_controls_; }
  EngineStatus* engine_status() const { return engine_status_; }
  HistoryStrip* history() const { return history_; }
  BackgroundDock* background_dock() const { return background_; }
  GenerationDock* generation() const { return generation_; }
  QUndoStack* undo_stack() const { return undo_stack_; }
  EditContext* edit_context() const { return context_; }
  const doc::Document& document() const { return document_; }
  // A non-blocking message for the artist (errors stay until dismissed).
  void show_message(const QString& text, bool is_error);
  BannerBar* banner() const { return banner_; }
  FileActions* file_actions() const { return files_; }

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void build_tool_bar();
  void build_status_bar();
  void build_history();

  doc::Document document_;
  QUndoStack* undo_stack_ = nullptr;
  EditContext* context_ = nullptr;
  CanvasView* canvas_ = nullptr;
  PaletteDock* palette_ = nullptr;
  EngineStatus* engine_status_ = nullptr;
  EngineControls* engine_controls_ = nullptr;
  HistoryStrip* history_ = nullptr;
  QAction* live_action_ = nullptr;
  QAction* generate_action_ = nullptr;
  BannerBar* banner_ = nullptr;
  FileActions* files_ = nullptr;
  BackgroundDock* background_ = nullptr;
  GenerationDock* generation_ = nullptr;
};

}  // namespace semdraw::app
