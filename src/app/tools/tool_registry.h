#pragma once
// The one list of canvas tools. The canvas makes them from it, and the tool
// bar, the Edit menu and the option controls iterate over the canvas's tools,
// so a new tool is its class file and one line in tool_registry.cpp.
#include <memory>
#include <vector>

#include "app/tools/canvas_tool.h"

namespace semdraw::app {

// Every tool, in the tool bar's and the Edit menu's order; the first is the
// one a new canvas starts with.
std::vector<std::unique_ptr<CanvasTool>> make_canvas_tools(const ToolEnvironment& environment);

}  // namespace semdraw::app
