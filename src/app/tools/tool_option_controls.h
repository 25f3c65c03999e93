#pragma once
// The tool bar's controls for the tools' options (see ToolOption): a spin
// box in px or a 0-100 % slider, built from the option's description.
#include <functional>

#include "app/tools/canvas_tool.h"

class QToolBar;
class QWidget;

namespace semdraw::app {

class CanvasView;

struct OptionControl {
  QWidget* widget;
  std::function<void()> show_value;  // reads the option again (after a change from elsewhere)
};

// A control named and tipped as the option says, showing its value and
// setting it as the artist moves it.
OptionControl make_option_control(const ToolOption& option, QWidget* parent);

// One control per distinct option (by object name, first come) of the
// canvas's tools, added to `bar`; they show the values again whenever the
// canvas says its tool options changed ([ and ] size the brush).
void add_tool_option_controls(QToolBar* bar, CanvasView* canvas);

}  // namespace semdraw::app
