#include "app/docks/region_editor.h"

#include <QCheckBox>
#include <QColorDialog>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QUndoStack>

#include "app/commands/edit_context.h"
#include "app/commands/region_commands.h"
#include "app/commands/typed_text.h"

namespace semdraw::app {

namespace {
QDoubleSpinBox* make_spin(double min, double max, double step, QWidget* parent) {
  auto* spin = new QDoubleSpinBox(parent);
  spin->setRange(min, max);
  spin->setSingleStep(step);
  spin->setDecimals(2);
  return spin;
}
}  // namespace

RegionEditor::RegionEditor(EditContext* context, QWidget* parent) : QWidget(parent), context_(context) {
  setObjectName("RegionEditor");
  name_ = new QLineEdit(this);
  name_->setObjectName("RegionName");
  prompt_ = new QLineEdit(this);
  prompt_->setObjectName("RegionPrompt");
  negative_ = new QLineEdit(this);
  negative_->setObjectName("RegionNegativePrompt");
  prompt_strength_ = make_spin(0.0, 1.0, 0.05, this);
  mask_strength_ = make_spin(0.0, 1.0, 0.05, this);
  sigma_ = make_spin(0.0, 64.0, 1.0, this);
  sigma_->setObjectName("RegionSigma");
  enabled_ = new QCheckBox(tr("Enabled"), this);
  colour_ = new QPushButton(this);
  colour_->setObjectName("RegionColour");

  auto* form = new QFormLayout(this);
  form->setContentsMargins(4, 4, 4, 4);
  form->addRow(tr("Name"), name_);
  form->addRow(tr("Prompt"), prompt_);
  form->addRow(tr("Negative"), negative_);
  form->addRow(tr("Prompt strength"), prompt_strength_);
  form->addRow(tr("Mask strength"), mask_strength_);
  form->addRow(tr("Blur σ"), sigma_);
  form->addRow(tr("Colour"), colour_);
  form->addRow(enabled_);

  connect_text(name_, tr("Rename region"), &RegionProperties::name);
  connect_text(prompt_, tr("Change prompt"), &RegionProperties::prompt);
  connect_text(negative_, tr("Change negative prompt"), &RegionProperties::negative_prompt);
  connect(prompt_strength_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
    edit(tr("Change prompt strength"), [v](RegionProperties& p) { p.prompt_strength = v; });
  });
  connect(mask_strength_, &QDoubleSpinBox::valueChanged, this,
          [this](double v) { edit(tr("Change mask strength"), [v](RegionProperties& p) { p.mask_strength = v; }); });
  connect(sigma_, &QDoubleSpinBox::valueChanged, this,
          [this](double v) { edit(tr("Change blur σ"), [v](RegionProperties& p) { p.blur_sigma = v; }); });
  connect(enabled_, &QCheckBox::toggled, this, [this](bool on) {
    edit(on ? tr("Enable region") : tr("Disable region"), [on](RegionProperties& p) { p.enabled = on; });
  });
  connect(colour_, &QPushButton::clicked, this, [this] {
    const int index = context_->current_region();
    if (index < 0) return;
    const QColor chosen = QColorDialog::getColor(context_->document()->region(index).colour, this, tr("Region colour"));
    if (chosen.isValid()) edit(tr("Change colour"), [chosen](RegionProperties& p) { p.colour = chosen; });
  });

  connect(context_, &EditContext::current_region_changed, this, [this](int) { reload(); });
  connect(context_, &EditContext::region_changed, this, [this](int) { reload(); });
  connect(context_, &EditContext::regions_reset, this, [this] { reload(); });
  reload();
}

void RegionEditor::connect_text(QLineEdit* field, const QString& text, QString RegionProperties::*property) {
  commit_as_typed(
      field, this,
      [this, field, text, property] {
        edit(
            text, [field, property](RegionProperties& p) { p.*property = field->text(); }, burst_);
      },
      &burst_);
}

template <typename Change>
void RegionEditor::edit(const QString& text, Change change, int burst) {
  const int index = context_->current_region();
  if (index < 0) return;
  RegionProperties properties = RegionProperties::of(context_->document()->region(index));
  const RegionProperties before = properties;
  change(properties);
  if (properties == before) return;  // editingFinished also fires on focus loss without a change
  context_->stack()->push(new SetRegionPropertiesCommand(context_, index, properties, text, burst));
}

void RegionEditor::reload() {
  const int index = context_->current_region();
  const bool valid = index >= 0 && index < static_cast<int>(context_->document()->regions().size());
  setEnabled(valid);
  if (!valid) return;
  const doc::Region& region = context_->document()->region(index);
  const QSignalBlocker b1(name_), b2(prompt_), b3(negative_), b4(prompt_strength_), b5(mask_strength_), b6(sigma_),
      b7(enabled_);
  show_text(name_, region.name);
  show_text(prompt_, region.prompt);
  show_text(negative_, region.negative_prompt);
  prompt_strength_->setValue(region.prompt_strength);
  mask_strength_->setValue(region.mask_strength);
  sigma_->setValue(region.blur_sigma);
  enabled_->setChecked(region.enabled);
  colour_->setText(region.colour.name());
  colour_->setStyleSheet(QStringLiteral("background-color: %1").arg(region.colour.name()));
}

}  // namespace semdraw::app
