#pragma once
// The Help menu: the keyboard shortcuts (read from the window's actions, so
// the list never drifts from what the keys do) and About, which names the
// app version, the model loaded and the engine (device, LibTorch version).
#include <QObject>
#include <QString>
#include <utility>
#include <vector>

class QMenuBar;
class QWidget;

namespace semdraw::app {

class EngineHost;

// (keys, what they do), the window's actions with a shortcut first, then the
// canvas's own keys and mouse gestures.
std::vector<std::pair<QString, QString>> shortcut_list(const QWidget* window);
// The About text: app and Qt versions, the model and device the engine has
// (or that none is loaded), LibTorch's version. Plain text, one fact a line.
QString about_text(const EngineHost* host);

class HelpMenu : public QObject {
  Q_OBJECT
 public:
  HelpMenu(QWidget* window, const EngineHost* host, QMenuBar* bar);

  // Non-modal, so the canvas stays usable; object names "ShortcutsDialog"
  // and "AboutDialog".
  void show_shortcuts();
  void show_about();

 private:
  QWidget* window_;
  const EngineHost* host_;
};

}  // namespace semdraw::app
