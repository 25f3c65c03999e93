#include "app/palette_dock.h"

#include <QListWidget>
#include <QPainter>
#include <QPixmap>

namespace semdraw::app {

PaletteDock::PaletteDock(doc::Document* document, QWidget* parent)
    : QDockWidget(tr("Semantic palette"), parent), document_(document) {
  setObjectName("PaletteDock");
  list_ = new QListWidget(this);
  list_->setObjectName("PaletteList");
  setWidget(list_);
  refresh();
}

void PaletteDock::refresh() {
  list_->clear();
  const auto& regions = document_->regions();
  // Top region first, as layer panels show them.
  for (auto it = regions.rbegin(); it != regions.rend(); ++it) {
    QPixmap swatch(16, 16);
    swatch.fill(it->colour);
    auto* item = new QListWidgetItem(QIcon(swatch), QStringLiteral("%1\n%2").arg(it->name, it->prompt));
    list_->addItem(item);
  }
}

}  // namespace semdraw::app
