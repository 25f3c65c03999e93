#pragma once
// The eraser (E): takes paint out of the selected region's mask, with the
// brush's size, hardness and opacity.
#include <QObject>

#include "app/tools/stroke_tool.h"

namespace semdraw::app {

class EraserTool : public StrokeTool {
 public:
  explicit EraserTool(const ToolEnvironment& environment)
      : StrokeTool(environment, BrushMode::Erase, QObject::tr("Erase")) {}
  QString id() const override { return QStringLiteral("Eraser"); }
  QString name() const override { return QObject::tr("Eraser"); }
  QKeySequence shortcut() const override { return QKeySequence(Qt::Key_E); }
};

}  // namespace semdraw::app
