#include "app/docks/generation_dock.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QUndoStack>
#include <algorithm>

#include "app/commands/edit_context.h"
#include "app/commands/settings_commands.h"
#include "app/docks/generation_presets.h"
#include "app/docks/scrolling_panel.h"
#include "app/docks/seed_spin_box.h"

namespace semdraw::app {

namespace {
// Selects the item whose data is `value` without emitting anything.
void select_data(QComboBox* combo, int value) {
  const QSignalBlocker blocker(combo);
  combo->setCurrentIndex(std::max(0, combo->findData(value)));
}

QDoubleSpinBox* make_double_spin(double max, double step, QWidget* parent) {
  auto* spin = new QDoubleSpinBox(parent);
  spin->setRange(0.0, max);
  spin->setSingleStep(step);
  spin->setDecimals(2);
  return spin;
}

// Nearest multiple of 8 within what the engine takes.
int snap_side(int side) { return std::clamp((side + 4) / 8 * 8, 8, kMaxCanvasSide); }
}  // namespace

template <typename Value>
void GenerationDock::set(Control control, const QString& text, Value GenerationSettings::*field, Value value) {
  edit(control, text, [field, value](GenerationSettings& s) { s.*field = value; });
}

template <typename Enum>
QComboBox* GenerationDock::add_choice(QFormLayout* form, const char* name, const QString& label, const QString& tip,
                                      std::initializer_list<std::pair<QString, Enum>> items, const QString& text,
                                      Enum GenerationSettings::*field) {
  auto* combo = new QComboBox(form->parentWidget());
  combo->setObjectName(name);
  combo->setToolTip(tip);
  for (const auto& [item, value] : items) combo->addItem(item, static_cast<int>(value));
  form->addRow(label, combo);
  connect(combo, &QComboBox::activated, this,
          [=, this](int row) { set(Control::None, text, field, static_cast<Enum>(combo->itemData(row).toInt())); });
  return combo;
}

template <typename Spin, typename Value>
Spin* GenerationDock::add_spin(QFormLayout* form, Spin* spin, const char* name, const QString& label,
                               const QString& tip, Control control, const QString& text,
                               Value GenerationSettings::*field) {
  spin->setObjectName(name);
  spin->setToolTip(tip);
  form->addRow(label, spin);
  connect(spin, &Spin::valueChanged, this, [=, this](Value v) { set(control, text, field, v); });
  return spin;
}

GenerationDock::GenerationDock(EditContext* context, QWidget* parent)
    : QDockWidget(tr("Generation"), parent), context_(context), random_(std::random_device{}()) {
  setObjectName("GenerationDock");
  auto* body = new QWidget(this);
  auto* form = new QFormLayout(body);
  form->setContentsMargins(4, 4, 4, 4);
  // In a narrow panel a label goes above its field rather than squeezing it.
  form->setRowWrapPolicy(QFormLayout::WrapLongRows);

  form->addRow(tr("Seed"), build_seed_row());
  sampler_ = add_choice<SamplerChoice>(
      form, "Sampler", tr("Sampler"),
      tr("LCM for LCM-LoRA and LCM models; Euler (trailing) for SDXL-Lightning. The model's default is named in "
         "the status bar"),
      {{tr("Model default"), SamplerChoice::ModelDefault},
       {tr("LCM"), SamplerChoice::Lcm},
       {tr("Euler (trailing)"), SamplerChoice::EulerTrailing}},
      tr("Change sampler"), &GenerationSettings::sampler);

  step_preset_ = new QComboBox(body);
  step_preset_->setObjectName("StepPreset");
  for (const StepPreset& preset : step_presets())
    step_preset_->addItem(QStringLiteral("%1 (%2)").arg(tr(preset.label), format_step_indices(preset.indices)));
  step_preset_->addItem(tr("Custom"));
  step_preset_->setToolTip(tr("Which of the sampler's 50 steps to run: fewer is faster, more is cleaner"));
  step_indices_ = new QLineEdit(body);
  step_indices_->setObjectName("StepIndices");
  step_indices_->setToolTip(tr("Step indices 0..49, increasing (0 = most noise), e.g. 0, 4, 12, 25, 37"));
  step_error_ = new QLabel(body);
  step_error_->setObjectName("StepError");
  step_error_->setStyleSheet(QStringLiteral("color: #d04040"));
  step_error_->setWordWrap(true);
  step_error_->hide();
  form->addRow(tr("Steps"), step_preset_);
  form->addRow(QString(), step_indices_);
  form->addRow(QString(), step_error_);
  connect(step_preset_, &QComboBox::activated, this, &GenerationDock::apply_step_preset);
  connect(step_indices_, &QLineEdit::editingFinished, this, &GenerationDock::commit_step_text);

  form->addRow(tr("Canvas"), build_canvas_box());

  mask_mode_ = add_choice<MaskMode>(form, "MaskMode", tr("Mask mode"), tr("How soft mask edges grow over the steps"),
                                    {{tr("Continuous"), MaskMode::Continuous},
                                     {tr("Semi-continuous"), MaskMode::SemiContinuous},
                                     {tr("Discrete"), MaskMode::Discrete}},
                                    tr("Change mask mode"), &GenerationSettings::mask_mode);
  bootstrap_ = add_spin(form, new QSpinBox(body), "BootstrapSteps", tr("Bootstrap steps"),
                        tr("Steps in which each region is generated against a plain background"), Control::Bootstrap,
                        tr("Change bootstrap steps"), &GenerationSettings::bootstrap_steps);
  cover_alpha_ = add_spin(form, make_double_spin(1.0, 0.05, body), "CoverAlpha", tr("Cover alpha"),
                          tr("How much a region shows through the regions painted above it"), Control::CoverAlpha,
                          tr("Change cover alpha"), &GenerationSettings::cover_alpha);
  guidance_ = add_spin(form, make_double_spin(20.0, 0.1, body), "Guidance", tr("Guidance"),
                       tr("Classifier-free guidance; 1.0–1.2 suits LCM models, 1.0 = none"), Control::Guidance,
                       tr("Change guidance"), &GenerationSettings::guidance);
  cfg_type_ = add_choice<CfgType>(form, "CfgType", tr("Guidance type"), tr("How Live guides when guidance is above 1"),
                                  {{tr("None"), CfgType::None},
                                   {tr("Full"), CfgType::Full},
                                   {tr("Self (residual)"), CfgType::Self},
                                   {tr("Initialize"), CfgType::Initialize}},
                                  tr("Change guidance type"), &GenerationSettings::cfg_type);
  vae_ = add_choice<VaeChoice>(
      form, "Vae", tr("Live decoder"), tr("The decoder for Live frames; Generate always uses the full VAE"),
      {{tr("TAESD (fast live frames)"), VaeChoice::Taesd}, {tr("Full VAE (sharper, slower)"), VaeChoice::Full}},
      tr("Change live decoder"), &GenerationSettings::vae);
  live_noise_ = add_choice<LiveNoise>(
      form, "LiveNoise", tr("Live"),
      tr("Settle: an unchanged painting converges to one frame and the engine rests until the next edit. "
         "Explore: fresh noise every frame, so the picture keeps moving (the paper's stream)"),
      {{tr("Settle, then rest"), LiveNoise::Settle}, {tr("Explore (keeps moving)"), LiveNoise::Explore}},
      tr("Change live mode"), &GenerationSettings::live_noise);

  setWidget(make_scrolling_panel(body, this));

  connect(context_, &EditContext::pending_edits_requested, this, &GenerationDock::commit_pending_edits);
  connect(context_, &EditContext::settings_changed, this, &GenerationDock::reload);
  connect(context_, &EditContext::canvas_resized, this, &GenerationDock::reload_canvas);
  reload();
  reload_canvas();
}

QWidget* GenerationDock::build_seed_row() {
  auto* row = new QWidget(this);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  seed_ = new SeedSpinBox(row);
  seed_->setObjectName("SeedSpin");
  seed_->setToolTip(tr("The same seed, scene and model give the same picture"));
  // Wide enough for the 32-bit seeds Randomise makes; a longer one scrolls
  // in the box rather than pushing Randomise out of a narrow panel.
  seed_->setMinimumWidth(seed_->fontMetrics().horizontalAdvance(QStringLiteral("4294967295")) + 32);
  lock_ = new QToolButton(row);
  lock_->setObjectName("SeedLock");
  lock_->setText(tr("Lock"));
  lock_->setCheckable(true);
  lock_->setChecked(true);
  lock_->setToolTip(tr("Locked: Generate uses this seed. Unlocked: a new random seed for every Generate"));
  auto* randomise = new QToolButton(row);
  randomise->setObjectName("RandomiseSeed");
  randomise->setText(tr("Randomise"));
  randomise->setToolTip(tr("Pick a new random seed now"));
  layout->addWidget(seed_, 1);
  layout->addWidget(lock_);
  layout->addWidget(randomise);
  connect(seed_, &SeedSpinBox::value_committed, this, [this](quint64 seed) {
    set(Control::Seed, tr("Change seed"), &GenerationSettings::seed, static_cast<uint64_t>(seed));
  });
  connect(randomise, &QToolButton::clicked, this, &GenerationDock::randomise_seed);
  return row;
}

QWidget* GenerationDock::build_canvas_box() {
  auto* box = new QWidget(this);
  auto* grid = new QGridLayout(box);
  grid->setContentsMargins(0, 0, 0, 0);
  canvas_preset_ = new QComboBox(box);
  canvas_preset_->setObjectName("CanvasPreset");
  for (const CanvasPreset& preset : canvas_presets()) canvas_preset_->addItem(preset.label, preset.size);
  canvas_preset_->addItem(tr("Custom"));
  const auto make_side = [box](const char* name) {
    auto* spin = new QSpinBox(box);
    spin->setObjectName(name);
    spin->setRange(8, kMaxCanvasSide);
    spin->setSingleStep(8);
    spin->setSuffix(QStringLiteral(" px"));
    return spin;
  };
  width_ = make_side("CanvasWidth");
  height_ = make_side("CanvasHeight");
  anchor_ = new QComboBox(box);
  anchor_->setObjectName("CanvasAnchor");
  const std::pair<const char*, Qt::Alignment> anchors[] = {
      {QT_TR_NOOP("Centre"), Qt::AlignCenter},
      {QT_TR_NOOP("Top left"), Qt::AlignTop | Qt::AlignLeft},
      {QT_TR_NOOP("Top"), Qt::AlignTop | Qt::AlignHCenter},
      {QT_TR_NOOP("Top right"), Qt::AlignTop | Qt::AlignRight},
      {QT_TR_NOOP("Left"), Qt::AlignVCenter | Qt::AlignLeft},
      {QT_TR_NOOP("Right"), Qt::AlignVCenter | Qt::AlignRight},
      {QT_TR_NOOP("Bottom left"), Qt::AlignBottom | Qt::AlignLeft},
      {QT_TR_NOOP("Bottom"), Qt::AlignBottom | Qt::AlignHCenter},
      {QT_TR_NOOP("Bottom right"), Qt::AlignBottom | Qt::AlignRight}};
  for (const auto& [label, anchor] : anchors) anchor_->addItem(tr(label), static_cast<int>(anchor.toInt()));
  // Crop/extend rather than scale: as in Krita's and GIMP's "canvas size", the
  // paint stays at scale 1 where the artist put it and only the frame moves;
  // scaling would blur every mask and change the brush sizes' meaning.
  anchor_->setToolTip(tr("Where the existing paint stays when the canvas grows or shrinks (nothing is scaled)"));
  apply_canvas_ = new QPushButton(tr("Apply"), box);
  apply_canvas_->setObjectName("ApplyCanvasSize");
  apply_canvas_->setToolTip(tr("Crop or extend the canvas to this size; paint keeps its scale"));
  grid->addWidget(canvas_preset_, 0, 0, 1, 3);
  grid->addWidget(width_, 1, 0);
  grid->addWidget(new QLabel(QStringLiteral("×"), box), 1, 1);
  grid->addWidget(height_, 1, 2);
  grid->addWidget(anchor_, 2, 0);
  grid->addWidget(apply_canvas_, 2, 2);

  connect(canvas_preset_, &QComboBox::activated, this, [this](int row) {
    const QSize size = canvas_preset_->itemData(row).toSize();
    if (size.isValid())
      resize_canvas(size, Qt::Alignment::fromInt(anchor_->currentData().toInt()));
    else
      reload_canvas();  // "Custom": the spin boxes say what
  });
  connect(apply_canvas_, &QPushButton::clicked, this, [this] {
    const QSize size(snap_side(width_->value()), snap_side(height_->value()));
    if (!resize_canvas(size, Qt::Alignment::fromInt(anchor_->currentData().toInt()))) reload_canvas();
  });
  return box;
}

template <typename Change>
void GenerationDock::edit(Control control, const QString& text, Change change) {
  GenerationSettings settings = context_->document()->settings();
  change(settings);
  if (same_settings(settings, context_->document()->settings())) return;
  context_->stack()->push(new SetSettingsCommand(context_, std::move(settings), text, static_cast<int>(control)));
}

uint64_t GenerationDock::random_seed() {
  // 32-bit, as most SD tools write them: short to read and to type elsewhere.
  const uint64_t current = context_->document()->seed();
  uint64_t seed = current;
  while (seed == current) seed = random_() & 0xffffffffull;
  return seed;
}

void GenerationDock::randomise_seed() {
  GenerationSettings settings = context_->document()->settings();
  settings.seed = random_seed();
  // Not merged with typing in the box: each roll is its own step to go back to.
  context_->stack()->push(new SetSettingsCommand(context_, std::move(settings), tr("Randomise seed")));
}

uint64_t GenerationDock::seed_for_next_render() {
  if (!seed_locked()) randomise_seed();
  return context_->document()->seed();
}

bool GenerationDock::seed_locked() const { return lock_->isChecked(); }

void GenerationDock::set_seed_locked(bool locked) { lock_->setChecked(locked); }

bool GenerationDock::resize_canvas(QSize size, Qt::Alignment anchor) {
  if (!valid_canvas_size(size)) return false;
  if (size != context_->document()->canvas_size())
    context_->stack()->push(new ResizeCanvasCommand(context_, size, anchor));
  return true;
}

void GenerationDock::apply_step_preset(int row) {
  const auto& presets = step_presets();
  if (row < 0 || row >= static_cast<int>(presets.size())) {  // "Custom": type the list
    step_indices_->setFocus();
    step_indices_->selectAll();
    return;
  }
  set_steps(presets[static_cast<size_t>(row)].indices);
}

void GenerationDock::set_steps(const std::vector<int>& indices) {
  edit(Control::None, tr("Change steps"), [&indices](GenerationSettings& s) {
    s.step_indices = indices;
    // There is nothing to bootstrap past the last step.
    s.bootstrap_steps = std::min(s.bootstrap_steps, static_cast<int>(indices.size()));
  });
}

void GenerationDock::commit_step_text() {
  QString error;
  const auto indices = parse_step_indices(step_indices_->text(), &error);
  step_error_->setVisible(!indices);
  step_error_->setText(error);
  if (!indices) return;  // the document keeps its steps; the field shows the problem
  set_steps(*indices);
  step_indices_->setText(format_step_indices(*indices));  // normalised spelling
  reload();                                               // and the preset it matches
}

void GenerationDock::commit_pending_edits() {
  seed_->commit_pending();
  if (step_indices_->text() != format_step_indices(context_->document()->settings().step_indices)) commit_step_text();
}

void GenerationDock::reload() {
  const GenerationSettings& s = context_->document()->settings();
  const QSignalBlocker b1(bootstrap_), b2(guidance_), b3(cover_alpha_), b4(step_preset_);
  seed_->set_value(s.seed);
  const auto& presets = step_presets();
  const auto preset =
      std::find_if(presets.begin(), presets.end(), [&s](const StepPreset& p) { return p.indices == s.step_indices; });
  step_preset_->setCurrentIndex(static_cast<int>(preset - presets.begin()));  // past the presets = Custom
  // A list being typed stays (another control's change must not wipe it),
  // unless the document's own list changed (undo, a preset).
  const bool typing = step_indices_->text() != format_step_indices(shown_steps_);
  if (!typing || s.step_indices != shown_steps_) {
    step_indices_->setText(format_step_indices(s.step_indices));
    step_error_->hide();
  }
  shown_steps_ = s.step_indices;
  select_data(mask_mode_, static_cast<int>(s.mask_mode));
  bootstrap_->setRange(0, std::max(1, static_cast<int>(s.step_indices.size())));
  bootstrap_->setValue(s.bootstrap_steps);
  cover_alpha_->setValue(s.cover_alpha);
  guidance_->setValue(s.guidance);
  select_data(cfg_type_, static_cast<int>(s.cfg_type));
  cfg_type_->setEnabled(s.guidance > 1.0);
  select_data(vae_, static_cast<int>(s.vae));
  select_data(sampler_, static_cast<int>(s.sampler));
  select_data(live_noise_, static_cast<int>(s.live_noise));
}

void GenerationDock::reload_canvas() {
  const QSize size = context_->document()->canvas_size();
  const QSignalBlocker b1(width_), b2(height_), b3(canvas_preset_);
  width_->setValue(size.width());
  height_->setValue(size.height());
  const int preset = canvas_preset_->findData(size);
  canvas_preset_->setCurrentIndex(preset >= 0 ? preset : canvas_preset_->count() - 1);
}

}  // namespace semdraw::app
