#include "app/docks/palette_model.h"

#include <QPixmap>
#include <QUndoStack>

#include "app/commands/edit_context.h"
#include "app/commands/region_commands.h"

namespace semdraw::app {

PaletteModel::PaletteModel(EditContext* context, QObject* parent) : QAbstractListModel(parent), context_(context) {
  // The commands have already changed the document when they notify, so a
  // reset (rather than row inserts/moves) is the honest signal here.
  connect(context_, &EditContext::regions_reset, this, [this] {
    beginResetModel();
    endResetModel();
  });
  connect(context_, &EditContext::region_changed, this, [this](int region) {
    const QModelIndex changed = index(row_of_region(region));
    emit dataChanged(changed, changed);
  });
}

int PaletteModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(context_->document()->regions().size());
}

int PaletteModel::region_of_row(int row) const { return rowCount() - 1 - row; }

QVariant PaletteModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const doc::Region& region = context_->document()->regions().at(static_cast<size_t>(region_of_row(index.row())));
  switch (role) {
    case Qt::DisplayRole: return QStringLiteral("%1\n%2").arg(region.name, region.prompt);
    case Qt::ToolTipRole: return region.prompt;
    case Qt::DecorationRole: {
      QPixmap swatch(16, 16);
      swatch.fill(region.enabled ? region.colour : region.colour.lighter(170));
      return swatch;
    }
    default: return {};
  }
}

void PaletteModel::add_region() {
  doc::Region region;
  const int n = rowCount();
  region.name = tr("Region %1").arg(n + 1);
  // Same well-separated colour sequence the document uses for new regions.
  region.colour = QColor::fromHsv(static_cast<int>((n * 137.508) + 20) % 360, 200, 230);
  context_->stack()->push(new AddRegionCommand(context_, std::move(region)));
}

void PaletteModel::remove_row(int row) {
  if (row < 0 || row >= rowCount()) return;
  context_->stack()->push(new RemoveRegionCommand(context_, region_of_row(row)));
}

void PaletteModel::move_row_up(int row) {
  if (row <= 0 || row >= rowCount()) return;
  context_->stack()->push(new MoveRegionCommand(context_, region_of_row(row), region_of_row(row - 1)));
}

void PaletteModel::move_row_down(int row) {
  if (row < 0 || row + 1 >= rowCount()) return;
  context_->stack()->push(new MoveRegionCommand(context_, region_of_row(row), region_of_row(row + 1)));
}

}  // namespace semdraw::app
