#pragma once
#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QLineEdit;
class QPushButton;

namespace semdraw::app {

class EditContext;
struct RegionProperties;

// Edits the current region's properties; every change is an undo command.
class RegionEditor : public QWidget {
  Q_OBJECT
 public:
  explicit RegionEditor(EditContext* context, QWidget* parent = nullptr);

  QLineEdit* name_edit() const { return name_; }
  QLineEdit* prompt_edit() const { return prompt_; }
  QDoubleSpinBox* sigma_spin() const { return sigma_; }

 private:
  void reload();
  template <typename Change>
  void edit(const QString& text, Change change);

  EditContext* context_;
  QLineEdit* name_;
  QLineEdit* prompt_;
  QLineEdit* negative_;
  QDoubleSpinBox* prompt_strength_;
  QDoubleSpinBox* mask_strength_;
  QDoubleSpinBox* sigma_;
  QCheckBox* enabled_;
  QPushButton* colour_;
};

}  // namespace semdraw::app
