#pragma once
// The brush (B): paints the selected region's mask.
#include <QObject>

#include "app/tools/stroke_tool.h"

namespace semdraw::app {

class BrushTool : public StrokeTool {
 public:
  explicit BrushTool(const ToolEnvironment& environment)
      : StrokeTool(environment, BrushMode::Paint, QObject::tr("Brush stroke")) {}
  QString id() const override { return QStringLiteral("Brush"); }
  QString name() const override { return QObject::tr("Brush"); }
  QKeySequence shortcut() const override { return QKeySequence(Qt::Key_B); }
};

}  // namespace semdraw::app
