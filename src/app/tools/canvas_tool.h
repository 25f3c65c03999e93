#pragma once
// What a canvas tool is: the canvas forwards the pointer to the active tool
// (in canvas pixels, with the pen's pressure), and the window builds the
// tool's tool-bar button, Edit-menu entry and option controls from what the
// tool says about itself. Every tool is listed once, in tool_registry.cpp.
//
// The interface holds what the tools need and no more. No hover: no tool
// draws a cursor outline yet (when one does, add `hover` with an empty
// default). No keys: [ and ] size the brush the brush and the eraser share,
// and Space pans; those are the canvas's keys, whatever tool is active.
#include <QIcon>
#include <QKeySequence>
#include <QPointF>
#include <QString>
#include <functional>
#include <vector>

namespace semdraw::app {

class EditContext;
struct BrushSettings;

// One pointer event as a tool sees it. The canvas has already mapped it to
// canvas pixels on the half (side by side) where the press began, so a
// stroke stays on its half when it crosses the middle; panning (Space or the
// middle button) never reaches the tool.
struct ToolInput {
  QPointF canvas_point;
  double pressure = 1.0;  // 0..1; 1 for a mouse
};

// One setting a tool offers in the tool bar, described rather than built.
// A description, not an options widget, because the brush and the eraser
// share one set of brush settings (the [ and ] keys size both): tools that
// describe the same setting under the same object name get one control,
// which stays in the tool bar whatever tool is active, as the artist knows
// it, and the tools themselves stay free of widget code. The controls are
// made in tool_option_controls.cpp.
struct ToolOption {
  enum class Control { Pixels, Percent };  // a spin box in px; a 0-100 % slider for 0..1
  QString object_name;                     // the control's name, and what makes two options one
  QString tool_tip;
  Control control = Control::Percent;
  double minimum = 0.0, maximum = 1.0;  // the range of a Pixels control
  std::function<double()> value;
  std::function<void(double)> set_value;
};

// What the canvas hands every tool when it makes them.
struct ToolEnvironment {
  EditContext* context;  // the document, the undo stack, the selected region
  BrushSettings* brush;  // the canvas's brush: size, hardness, opacity
};

class CanvasTool {
 public:
  virtual ~CanvasTool() = default;

  // Untranslated and stable: names the tool's action ("<id>Action") for the
  // menus, tests and the key router.
  virtual QString id() const = 0;
  // The artist's name for it (translated): the button's and the menu's text.
  virtual QString name() const = 0;
  virtual QKeySequence shortcut() const = 0;
  // A null icon (every tool today) leaves the tool-bar button showing the name.
  virtual QIcon icon() const { return QIcon(); }
  virtual std::vector<ToolOption> options() const { return {}; }

  // A press, the moves while the button or pen is down, and the release.
  // Every edit goes through the undo stack; one press to release is at most
  // one undo step.
  virtual void press(const ToolInput& input) = 0;
  virtual void move(const ToolInput& input) = 0;
  virtual void release(const ToolInput& input) = 0;
};

}  // namespace semdraw::app
