#pragma once
// The Edit and View menus of the main window, made of the actions the tool
// bar already has (found by object name) plus the view's own: zoom, fit, and
// showing or hiding each panel and the tool bar.
class QMainWindow;

namespace semdraw::app {

class CanvasView;

// Edit: Undo, Redo, the canvas's tools (the tool registry's order), Clear region.
void add_edit_menu(QMainWindow* window, const CanvasView* canvas);
// View: Zoom in/out, Fit canvas, Overlays, Side by side, then the panels.
void add_view_menu(QMainWindow* window, CanvasView* canvas);

}  // namespace semdraw::app
