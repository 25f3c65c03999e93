#include "app/docks/palette_dock.h"

#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QListView>
#include <QScrollArea>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include "app/commands/edit_context.h"
#include "app/docks/palette_model.h"
#include "app/docks/region_editor.h"
#include "app/docks/scrolling_panel.h"

namespace semdraw::app {

PaletteDock::PaletteDock(EditContext* context, QWidget* parent)
    : QDockWidget(tr("Semantic palette"), parent), context_(context) {
  setObjectName("PaletteDock");
  auto* body = new QWidget(this);
  model_ = new PaletteModel(context_, this);
  list_ = new QListView(body);
  list_->setObjectName("PaletteList");
  list_->setModel(model_);
  list_->setSelectionMode(QAbstractItemView::SingleSelection);
  // Three regions in view however short the window: the editor gives way first.
  const int row = model_->rowCount() > 0 ? list_->sizeHintForRow(0) : 2 * list_->fontMetrics().lineSpacing();
  list_->setMinimumHeight(3 * row + 2 * list_->frameWidth());

  auto* buttons = new QHBoxLayout;
  const auto add_button = [&](const char* name, const QString& text, const QString& tip, auto slot) {
    auto* button = new QToolButton(body);
    button->setObjectName(name);
    button->setText(text);
    button->setToolTip(tip);
    connect(button, &QToolButton::clicked, this, slot);
    buttons->addWidget(button);
  };
  add_button("AddRegionButton", QStringLiteral("+"), tr("Add region"), [this] { model_->add_region(); });
  add_button("RemoveRegionButton", QStringLiteral("−"), tr("Remove region"),
             [this] { model_->remove_row(current_row()); });
  add_button("MoveRegionUpButton", QStringLiteral("▲"), tr("Move up"), [this] { model_->move_row_up(current_row()); });
  add_button("MoveRegionDownButton", QStringLiteral("▼"), tr("Move down"),
             [this] { model_->move_row_down(current_row()); });
  buttons->addStretch();

  // The list and the editor share the panel through a splitter the artist
  // can drag; the editor scrolls when the window is short, so the list keeps
  // room for several regions.
  auto* layout = new QVBoxLayout(body);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(list_, 1);
  layout->addLayout(buttons);
  editor_ = new RegionEditor(context_);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->setObjectName("PaletteSplitter");
  split->setChildrenCollapsible(false);
  split->addWidget(body);
  split->addWidget(make_scrolling_panel(editor_, split));
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 0);
  setWidget(split);

  connect(list_->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& index) {
    if (index.isValid()) context_->set_current_region(model_->region_of_row(index.row()));
  });
  // A model reset drops the selection; put it back on the current region.
  connect(model_, &QAbstractItemModel::modelReset, this, &PaletteDock::select_current);
  connect(context_, &EditContext::current_region_changed, this, &PaletteDock::select_current);
  select_current();
}

int PaletteDock::current_row() const {
  const int region = context_->current_region();
  return region < 0 ? -1 : model_->row_of_region(region);
}

void PaletteDock::select_current() {
  const int row = current_row();
  if (row < 0) return;
  const QModelIndex index = model_->index(row);
  if (list_->currentIndex() != index) list_->setCurrentIndex(index);
}

}  // namespace semdraw::app
