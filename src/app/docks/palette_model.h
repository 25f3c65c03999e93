#pragma once
#include <QAbstractListModel>

namespace semdraw::app {

class EditContext;

// The document's regions as a list, top region first (as layer panels show
// them): row 0 is the last region in the document. Changes go through the
// undo stack; the model follows the document through EditContext's signals.
class PaletteModel : public QAbstractListModel {
  Q_OBJECT
 public:
  explicit PaletteModel(EditContext* context, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role) const override;

  int region_of_row(int row) const;
  int row_of_region(int region) const { return region_of_row(region); }  // the mapping is its own inverse

  // Undoable edits by row.
  void add_region();
  void remove_row(int row);
  void move_row_up(int row);  // towards the top of the stack (row 0)
  void move_row_down(int row);

 private:
  EditContext* context_;
};

}  // namespace semdraw::app
