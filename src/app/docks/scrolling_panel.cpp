#include "app/docks/scrolling_panel.h"

#include <QScrollArea>
#include <QScrollBar>
#include <QStyle>

namespace semdraw::app {

QScrollArea* make_scrolling_panel(QWidget* body, QWidget* parent) {
  auto* scroll = new QScrollArea(parent);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setWidget(body);
  // Room for the body's narrowest layout and a vertical scroll bar beside it.
  const int bar = scroll->style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, scroll);
  scroll->setMinimumWidth(body->minimumSizeHint().width() + bar);
  return scroll;
}

}  // namespace semdraw::app
