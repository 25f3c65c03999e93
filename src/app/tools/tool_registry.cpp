#include "app/tools/tool_registry.h"

#include "app/tools/brush_tool.h"
#include "app/tools/eraser_tool.h"
#include "app/tools/fill_tool.h"

namespace semdraw::app {

// An explicit list rather than tools registering themselves from static
// initialisers: those would be dropped by the linker from the static app
// library when nothing else refers to their object file, and the order here
// is the tool bar's.
std::vector<std::unique_ptr<CanvasTool>> make_canvas_tools(const ToolEnvironment& environment) {
  std::vector<std::unique_ptr<CanvasTool>> tools;
  tools.push_back(std::make_unique<BrushTool>(environment));
  tools.push_back(std::make_unique<EraserTool>(environment));
  tools.push_back(std::make_unique<FillTool>(environment));
  return tools;
}

}  // namespace semdraw::app
