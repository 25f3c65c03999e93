#pragma once
#include <QMainWindow>

#include "doc/document.h"

class QLabel;

namespace semdraw::app {

class CanvasView;
class PaletteDock;

// The main window: canvas in the centre, semantic palette dock, tool bar and a
// status bar that names the compute device.
class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);

  CanvasView* canvas() const { return canvas_; }
  PaletteDock* palette() const { return palette_; }
  QLabel* device_label() const { return device_label_; }

 private:
  void build_tool_bar();
  void build_status_bar();

  doc::Document document_;
  CanvasView* canvas_ = nullptr;
  PaletteDock* palette_ = nullptr;
  QLabel* device_label_ = nullptr;
};

}  // namespace semdraw::app
