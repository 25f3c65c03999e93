#pragma once
// The stroke both the brush and the eraser draw: dabs along the pointer's
// path into the selected region's mask, shown as they land, and one undo step
// per stroke.
#include <QImage>
#include <QRect>

#include "app/canvas/brush.h"
#include "app/tools/canvas_tool.h"

namespace semdraw::app {

class StrokeTool : public CanvasTool {
 public:
  void press(const ToolInput& input) override;
  void move(const ToolInput& input) override;
  void release(const ToolInput& input) override;
  // Size, hardness and opacity of the shared brush.
  std::vector<ToolOption> options() const override;

 protected:
  // `undo_text` names the step in the Edit menu ("Brush stroke", "Erase").
  StrokeTool(const ToolEnvironment& environment, BrushMode mode, QString undo_text);

 private:
  EditContext* context_;
  BrushSettings* brush_;
  BrushMode mode_;
  QString undo_text_;

  bool stroking_ = false;
  int region_ = -1;
  int serial_ = 0;  // merges this stroke's segments, and only them, into one step
  QImage before_;   // the region's mask as it was when the stroke began
  QRect rect_;      // canvas pixels the stroke has touched so far
  QPointF last_point_;
  double last_pressure_ = 1.0;
};

}  // namespace semdraw::app
