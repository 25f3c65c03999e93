#include "app/model/model_chooser.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "semdraw/engine/model_discovery.h"

namespace semdraw::app {

namespace {
constexpr int kPathRole = Qt::UserRole;
}

ModelChooser::ModelChooser(const QStringList& recent, const QString& models_dir, QWidget* parent) : QDialog(parent) {
  setObjectName("ModelChooser");
  setWindowTitle(tr("Load model"));
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(tr("Stable Diffusion 1.5 weights: a diffusers folder or a single .safetensors file. "
                                  "Nothing is downloaded; see README, \"Where weights go\"."),
                               this));
  models_ = new QListWidget(this);
  models_->setObjectName("ModelList");
  layout->addWidget(models_);
  for (const QString& path : recent) {
    auto* item = new QListWidgetItem(tr("%1  (recent)").arg(path), models_);
    item->setData(kPathRole, path);
  }
  for (const ModelCandidate& found : find_models(std::nullopt, models_dir.toStdString())) {
    const QString path = QString::fromStdString(found.path.string());
    if (recent.contains(path)) continue;
    auto* item = new QListWidgetItem(tr("%1  (%2)").arg(path, QString::fromStdString(found.source)), models_);
    item->setData(kPathRole, path);
  }
  if (models_->count() > 0) models_->setCurrentRow(0);

  auto* browse = new QHBoxLayout;
  auto* folder = new QPushButton(tr("Folder…"), this);
  auto* file = new QPushButton(tr("Single file…"), this);
  connect(folder, &QPushButton::clicked, this, [this] { browse_model(true); });
  connect(file, &QPushButton::clicked, this, [this] { browse_model(false); });
  browse->addWidget(folder);
  browse->addWidget(file);
  browse->addStretch();
  layout->addLayout(browse);

  auto* form = new QFormLayout;
  taesd_ = new QLineEdit(this);
  taesd_->setObjectName("TaesdPath");
  taesd_->setPlaceholderText(tr("<model>/taesd when present"));
  form->addRow(tr("TAESD folder"), taesd_);
  device_ = new QComboBox(this);
  device_->setObjectName("DeviceChoice");
  device_->addItem(tr("Automatic (GPU when present)"), static_cast<int>(DeviceChoice::Auto));
  device_->addItem(tr("CPU"), static_cast<int>(DeviceChoice::Cpu));
  device_->addItem(tr("CUDA GPU"), static_cast<int>(DeviceChoice::Cuda));
  form->addRow(tr("Device"), device_);
  precision_ = new QComboBox(this);
  precision_->setObjectName("PrecisionChoice");
  precision_->addItem(tr("Automatic (fp16 on a GPU; bf16 on CPUs that compute it, else fp32)"),
                      static_cast<int>(Precision::Auto));
  precision_->addItem(tr("fp32 (exact, slowest)"), static_cast<int>(Precision::Fp32));
  precision_->addItem(tr("bf16"), static_cast<int>(Precision::Bf16));
  precision_->addItem(tr("fp16 (GPU only)"), static_cast<int>(Precision::Fp16));
  form->addRow(tr("Precision"), precision_);
  layout->addLayout(form);

  layout->addWidget(new QLabel(tr("LoRAs, fused at load (e.g. LCM-LoRA at 1.0):"), this));
  loras_ = new QTableWidget(0, 2, this);
  loras_->setObjectName("LoraTable");
  loras_->setHorizontalHeaderLabels({tr("File"), tr("Scale")});
  loras_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  layout->addWidget(loras_);
  auto* lora_buttons = new QHBoxLayout;
  auto* add = new QPushButton(tr("Add LoRA…"), this);
  auto* remove = new QPushButton(tr("Remove"), this);
  connect(add, &QPushButton::clicked, this, &ModelChooser::browse_lora);
  connect(remove, &QPushButton::clicked, this, [this] {
    if (loras_->currentRow() >= 0) loras_->removeRow(loras_->currentRow());
  });
  lora_buttons->addWidget(add);
  lora_buttons->addWidget(remove);
  lora_buttons->addStretch();
  layout->addLayout(lora_buttons);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Load"));
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
  resize(640, 480);
}

void ModelChooser::add_model_path(const QString& path) {
  for (int i = 0; i < models_->count(); ++i) {
    if (models_->item(i)->data(kPathRole).toString() == path) {
      models_->setCurrentRow(i);
      return;
    }
  }
  auto* item = new QListWidgetItem(path, models_);
  item->setData(kPathRole, path);
  models_->setCurrentItem(item);
}

void ModelChooser::add_lora(const QString& file, double scale) {
  const int row = loras_->rowCount();
  loras_->insertRow(row);
  auto* name = new QTableWidgetItem(file);
  name->setFlags(name->flags() & ~Qt::ItemIsEditable);
  loras_->setItem(row, 0, name);
  auto* spin = new QDoubleSpinBox(loras_);
  spin->setRange(-4.0, 4.0);
  spin->setSingleStep(0.05);
  spin->setValue(scale);
  loras_->setCellWidget(row, 1, spin);
}

void ModelChooser::set_options(const EngineOptions& options) {
  if (!options.model.empty()) add_model_path(QString::fromStdString(options.model));
  taesd_->setText(QString::fromStdString(options.taesd));
  const int device = device_->findData(static_cast<int>(options.device));
  device_->setCurrentIndex(device >= 0 ? device : 0);
  const int precision = precision_->findData(static_cast<int>(options.precision));
  precision_->setCurrentIndex(precision >= 0 ? precision : 0);
  loras_->setRowCount(0);
  for (const auto& [file, scale] : options.loras) add_lora(QString::fromStdString(file), scale);
}

EngineOptions ModelChooser::options() const {
  EngineOptions options;
  if (const QListWidgetItem* item = models_->currentItem())
    options.model = item->data(kPathRole).toString().toStdString();
  options.taesd = taesd_->text().trimmed().toStdString();
  options.device = static_cast<DeviceChoice>(device_->currentData().toInt());
  options.precision = static_cast<Precision>(precision_->currentData().toInt());
  for (int row = 0; row < loras_->rowCount(); ++row) {
    const auto* spin = static_cast<const QDoubleSpinBox*>(loras_->cellWidget(row, 1));
    options.loras.emplace_back(loras_->item(row, 0)->text().toStdString(), spin->value());
  }
  return options;
}

void ModelChooser::browse_model(bool folder) {
  const QString path = folder ? QFileDialog::getExistingDirectory(this, tr("Diffusers model folder"))
                              : QFileDialog::getOpenFileName(this, tr("Single-file checkpoint"), QString(),
                                                             tr("Safetensors (*.safetensors)"));
  if (!path.isEmpty()) add_model_path(path);
}

void ModelChooser::browse_lora() {
  const QString path =
      QFileDialog::getOpenFileName(this, tr("LoRA weights"), QString(), tr("Safetensors (*.safetensors)"));
  if (!path.isEmpty()) add_lora(path, 1.0);
}

}  // namespace semdraw::app
