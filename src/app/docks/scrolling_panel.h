#pragma once
// The body of a side panel in a vertical scroll area, so the window can be
// short (a 1366x768 laptop) without the panel cutting its controls off; the
// panel never gets narrower than its body needs, so there is no sideways
// scrolling.
class QScrollArea;
class QWidget;

namespace semdraw::app {

QScrollArea* make_scrolling_panel(QWidget* body, QWidget* parent);

}  // namespace semdraw::app
