#include "app/tools/stroke_tool.h"

#include <QObject>
#include <QUndoStack>
#include <utility>

#include "app/commands/edit_context.h"
#include "app/commands/mask_commands.h"

namespace semdraw::app {

namespace {
// Stroke serials are counted across every stroke tool: a brush stroke and
// the eraser stroke after it must never share one, or the undo stack would
// merge them into a single step.
int next_stroke_serial() {
  static int serial = 0;
  return ++serial;
}
}  // namespace

StrokeTool::StrokeTool(const ToolEnvironment& environment, BrushMode mode, QString undo_text)
    : context_(environment.context), brush_(environment.brush), mode_(mode), undo_text_(std::move(undo_text)) {}

void StrokeTool::press(const ToolInput& input) {
  const int region = context_->current_region();
  if (region < 0) return;
  stroking_ = true;
  region_ = region;
  serial_ = next_stroke_serial();
  before_ = context_->document()->region(region).mask.copy();
  rect_ = QRect();
  last_point_ = input.canvas_point;
  last_pressure_ = input.pressure;
  move(input);  // the first dab
}

void StrokeTool::move(const ToolInput& input) {
  if (!stroking_) return;
  QImage& mask = context_->document()->region(region_).mask;
  const QRect changed =
      stroke_segment(mask, last_point_, last_pressure_, input.canvas_point, input.pressure, *brush_, mode_);
  last_point_ = input.canvas_point;
  last_pressure_ = input.pressure;
  if (changed.isEmpty()) return;
  rect_ |= changed;
  context_->notify_mask_changed(region_, changed);  // repaint just this segment
  // One command per segment, all covering the stroke so far; the stack merges
  // them into a single undo step.
  context_->stack()->push(make_patch(context_, region_, before_, rect_, undo_text_, serial_));
}

void StrokeTool::release(const ToolInput&) {
  stroking_ = false;
  before_ = QImage();
}

std::vector<ToolOption> StrokeTool::options() const {
  BrushSettings* brush = brush_;
  return {
      {"BrushSize", QObject::tr("Brush size ([ and ])"), ToolOption::Control::Pixels, BrushSettings::kMinSize,
       BrushSettings::kMaxSize, [brush] { return brush->size; }, [brush](double v) { brush->size = v; }},
      {"BrushHardness", QObject::tr("Brush hardness"), ToolOption::Control::Percent, 0.0, 1.0,
       [brush] { return brush->hardness; }, [brush](double v) { brush->hardness = v; }},
      {"BrushOpacity", QObject::tr("Brush opacity"), ToolOption::Control::Percent, 0.0, 1.0,
       [brush] { return brush->opacity; }, [brush](double v) { brush->opacity = v; }},
  };
}

}  // namespace semdraw::app
