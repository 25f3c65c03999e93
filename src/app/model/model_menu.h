#pragma once
// The Model menu: Load model… (the chooser), recent models, cancel loading.
// Remembers every successfully loaded model in QSettings.
#include <QObject>

class QMenu;
class QMenuBar;
class QWidget;

namespace semdraw::app {

class EngineControls;

class ModelMenu : public QObject {
  Q_OBJECT
 public:
  ModelMenu(EngineControls* controls, QMenuBar* bar, QWidget* dialog_parent);
  QMenu* menu() const { return menu_; }

 private:
  void choose();
  void rebuild_recent();

  EngineControls* controls_;
  QWidget* dialog_parent_;
  QMenu* menu_;
  QMenu* recent_;
};

}  // namespace semdraw::app
