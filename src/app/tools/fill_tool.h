#pragma once
// Fill (F): a click floods the selected region's mask from that pixel,
// bounded by what is painted in any region (make_fill); one undo step.
#include <QObject>
#include <QUndoStack>
#include <cmath>

#include "app/commands/edit_context.h"
#include "app/commands/mask_commands.h"
#include "app/tools/canvas_tool.h"

namespace semdraw::app {

class FillTool : public CanvasTool {
 public:
  explicit FillTool(const ToolEnvironment& environment) : context_(environment.context) {}
  QString id() const override { return QStringLiteral("Fill"); }
  QString name() const override { return QObject::tr("Fill"); }
  QKeySequence shortcut() const override { return QKeySequence(Qt::Key_F); }

  void press(const ToolInput& input) override {
    const int region = context_->current_region();
    if (region < 0) return;
    const QPoint seed(static_cast<int>(std::floor(input.canvas_point.x())),
                      static_cast<int>(std::floor(input.canvas_point.y())));
    if (auto* command = make_fill(context_, region, seed)) context_->stack()->push(command);
  }
  void move(const ToolInput&) override {}
  void release(const ToolInput&) override {}

 private:
  EditContext* context_;
};

}  // namespace semdraw::app
