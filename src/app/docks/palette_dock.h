#pragma once
#include <QDockWidget>

class QListView;
class QToolButton;

namespace semdraw::app {

class EditContext;
class PaletteModel;
class RegionEditor;

// The semantic palette: the regions (top first) with add/remove/reorder
// buttons and an editor for the selected region, which is the one the brush
// paints.
class PaletteDock : public QDockWidget {
  Q_OBJECT
 public:
  explicit PaletteDock(EditContext* context, QWidget* parent = nullptr);
  QListView* list() const { return list_; }
  PaletteModel* model() const { return model_; }
  RegionEditor* editor() const { return editor_; }

 private:
  void select_current();
  int current_row() const;

  EditContext* context_;
  PaletteModel* model_ = nullptr;
  QListView* list_ = nullptr;
  RegionEditor* editor_ = nullptr;
};

}  // namespace semdraw::app
