#pragma once
#include <QMainWindow>

#include "doc/document.h"

class QLabel;
class QUndoStack;

namespace semdraw::app {

class BannerBar;
class CanvasView;
class EditContext;
class FileActions;
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
  QLabel* device_label() const { return device_label_; }
  QUndoStack* undo_stack() const { return undo_stack_; }
  EditContext* edit_context() const { return context_; }
  const doc::Document& document() const { return document_; }
  BannerBar* banner() const { return banner_; }
  FileActions* file_actions() const { return files_; }

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void build_tool_bar();
  void build_status_bar();

  doc::Document document_;
  QUndoStack* undo_stack_ = nullptr;
  EditContext* context_ = nullptr;
  CanvasView* canvas_ = nullptr;
  PaletteDock* palette_ = nullptr;
  QLabel* device_label_ = nullptr;
  BannerBar* banner_ = nullptr;
  FileActions* files_ = nullptr;
};

}  // namespace semdraw::app
