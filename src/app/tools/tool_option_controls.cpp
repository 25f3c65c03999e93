#include "app/tools/tool_option_controls.h"

#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QStringList>
#include <QToolBar>

#include "app/canvas/canvas_view.h"

namespace semdraw::app {

namespace {

OptionControl make_pixel_spin(const ToolOption& option, QWidget* parent) {
  auto* spin = new QSpinBox(parent);
  spin->setRange(static_cast<int>(option.minimum), static_cast<int>(option.maximum));
  spin->setSuffix(QObject::tr(" px"));
  const auto show_value = [spin, value = option.value] {
    const QSignalBlocker quiet(spin);
    spin->setValue(static_cast<int>(value()));
  };
  show_value();
  QObject::connect(spin, &QSpinBox::valueChanged, spin, [set = option.set_value](int v) { set(v); });
  return {spin, show_value};
}

OptionControl make_percent_slider(const ToolOption& option, QWidget* parent) {
  auto* slider = new QSlider(Qt::Horizontal, parent);
  slider->setRange(0, 100);
  slider->setMaximumWidth(90);
  const auto show_value = [slider, value = option.value] {
    const QSignalBlocker quiet(slider);
    slider->setValue(static_cast<int>(value() * 100));
  };
  show_value();
  QObject::connect(slider, &QSlider::valueChanged, slider, [set = option.set_value](int v) { set(v / 100.0); });
  return {slider, show_value};
}

}  // namespace

OptionControl make_option_control(const ToolOption& option, QWidget* parent) {
  OptionControl made = option.control == ToolOption::Control::Pixels ? make_pixel_spin(option, parent)
                                                                     : make_percent_slider(option, parent);
  made.widget->setObjectName(option.object_name);
  made.widget->setToolTip(option.tool_tip);
  return made;
}

void add_tool_option_controls(QToolBar* bar, CanvasView* canvas) {
  QStringList made;
  for (const auto& tool : canvas->tools()) {
    for (const ToolOption& option : tool->options()) {
      if (made.contains(option.object_name)) continue;  // a setting tools share: one control
      made << option.object_name;
      const OptionControl control = make_option_control(option, bar);
      bar->addWidget(control.widget);
      QObject::connect(canvas, &CanvasView::tool_options_changed, control.widget, control.show_value);
    }
  }
}

}  // namespace semdraw::app
