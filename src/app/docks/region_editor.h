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
// The text fields (name, prompt, negative prompt) commit as they are typed
// in, so the document (title, autosave, Live) always has what the field
// shows; the keystrokes of one typing burst (until Enter or focus loss) merge
// into one undo step.
class RegionEditor : public QWidget {
  Q_OBJECT
 public:
  explicit RegionEditor(EditContext* context, QWidget* parent = nullptr);

  QLineEdit* name_edit() const { return name_; }
  QLineEdit* prompt_edit() const { return prompt_; }
  QLineEdit* negative_edit() const { return negative_; }
  QDoubleSpinBox* sigma_spin() const { return sigma_; }

 private:
  void reload();
  template <typename Change>
  void edit(const QString& text, Change change, int burst = 0);
  // Wires one text field: every keystroke commits (merged per burst), Enter
  // or focus loss commits too and ends the burst.
  void connect_text(QLineEdit* field, const QString& text, QString RegionProperties::*property);

  EditContext* context_;
  QLineEdit* name_;
  QLineEdit* prompt_;
  QLineEdit* negative_;
  QDoubleSpinBox* prompt_strength_;
  QDoubleSpinBox* mask_strength_;
  QDoubleSpinBox* sigma_;
  QCheckBox* enabled_;
  QPushButton* colour_;
  int burst_ = 1;  // numbers the typing bursts; 0 is "not typed" (spin boxes, buttons)
};

}  // namespace semdraw::app
