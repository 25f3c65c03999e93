#include "app/live_preview_menu.h"

#include <QActionGroup>
#include <QMenu>

#include "app/engine_bridge/engine_controls.h"
#include "app/engine_bridge/live_preview.h"

namespace semdraw::app {

QMenu* add_live_preview_menu(QMenu* parent, EngineControls* controls) {
  QMenu* menu = parent->addMenu(QMenu::tr("&Live Preview Size"));
  menu->setObjectName("LivePreviewMenu");
  menu->setToolTipsVisible(true);
  auto* group = new QActionGroup(menu);
  const struct {
    LivePreview choice;
    const char* name;
  } entries[] = {{LivePreview::Auto, "LivePreviewAuto"},
                 {LivePreview::Full, "LivePreviewFull"},
                 {LivePreview::Half, "LivePreviewHalf"},
                 {LivePreview::Quarter, "LivePreviewQuarter"}};
  for (const auto& entry : entries) {
    QAction* action = menu->addAction(live_preview_name(entry.choice));
    action->setObjectName(entry.name);
    action->setCheckable(true);
    action->setChecked(controls->live_preview() == entry.choice);
    action->setToolTip(QMenu::tr("The size Live streams at; Generate always renders the full canvas"));
    group->addAction(action);
    QObject::connect(action, &QAction::triggered, controls, [controls, choice = entry.choice] {
      store_live_preview(choice);
      controls->set_live_preview(choice);
    });
  }
  return menu;
}

}  // namespace semdraw::app
