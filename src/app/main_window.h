#pragma once
#include <QMainWindow>

#include "doc/document.h"

class QLabel;
class QUndoStack;

namespace semdraw::app {

class BackgroundDock;
class CanvasView;
class EditContext;
class GenerationDock;
class PaletteDock;

// The main window: canvas in the centre, semantic palette dock, tool bar and a
// status bar that names the compute device. It owns the document and the
// undo stack every edit goes through.
class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);

  CanvasView* canvas() const { return canvas_; }
  PaletteDock* palette() const { return palette_; }
  BackgroundDock* background_dock() const { return background_; }
  GenerationDock* generation() const { return generation_; }
  QLabel* device_label() const { return device_label_; }
  QUndoStack* undo_stack() const { return undo_stack_; }
  EditContext* edit_context() const { return context_; }
  const doc::Document& document() const { return document_; }

 private:
  void build_tool_bar();
  void build_status_bar();

  doc::Document document_;
  QUndoStack* undo_stack_ = nullptr;
  EditContext* context_ = nullptr;
  CanvasView* canvas_ = nullptr;
  PaletteDock* palette_ = nullptr;
  BackgroundDock* background_ = nullptr;
  GenerationDock* generation_ = nullptr;
  QLabel* device_label_ = nullptr;
};

}  // namespace semdraw::app
