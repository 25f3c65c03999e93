#pragma once
// The "Live preview size" submenu: Auto / Full / Half / Quarter, one checked.
// A choice is remembered for this machine (QSettings) and applies at once,
// also to a running Live.
class QMenu;

namespace semdraw::app {

class EngineControls;

QMenu* add_live_preview_menu(QMenu* parent, EngineControls* controls);

}  // namespace semdraw::app
