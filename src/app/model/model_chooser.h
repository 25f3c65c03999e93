#pragma once
// Choose which model to load: what discovery finds (models/ folder, Hugging
// Face cache, SEMDRAW_MODEL), recent models, or any folder/file; optional
// TAESD folder, LoRAs with scales, the device and the precision.
#include <QDialog>

#include "semdraw/engine/engine.h"

class QComboBox;
class QLineEdit;
class QListWidget;
class QTableWidget;

namespace semdraw::app {

class ModelChooser : public QDialog {
  Q_OBJECT
 public:
  // recent: most recent first; models_dir: where discovery looks.
  ModelChooser(const QStringList& recent, const QString& models_dir, QWidget* parent = nullptr);

  // Pre-fills the dialog (the current or remembered choice).
  void set_options(const EngineOptions& options);
  // The choice; model is empty when nothing is selected.
  EngineOptions options() const;

  // What the browse buttons do after their file dialogs (tests call these).
  void add_model_path(const QString& path);
  void add_lora(const QString& file, double scale);

  QListWidget* model_list() const { return models_; }
  QTableWidget* lora_table() const { return loras_; }

 private:
  void browse_model(bool folder);
  void browse_lora();

  QListWidget* models_;
  QLineEdit* taesd_;
  QTableWidget* loras_;
  QComboBox* device_;
  QComboBox* precision_;
};

}  // namespace semdraw::app
