#pragma once
#include <QDockWidget>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <utility>
#include <vector>

#include "semdraw/engine/scene.h"

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace semdraw::app {

class EditContext;
class SeedSpinBox;

// The engine settings of the document: seed (lock / randomise), steps, canvas
// size, mask mode, bootstrapping, guidance, cover alpha, live decoder. Every
// change is an undo command; consecutive changes of one spin box (or of the
// seed) merge into one undo step, so a drag is undone at once.
class GenerationDock : public QDockWidget {
  Q_OBJECT
 public:
  explicit GenerationDock(EditContext* context, QWidget* parent = nullptr);

  // The seed "Generate" uses. Locked (the default): the document's seed, so a
  // render matches what Live shows and the same scene gives the same picture.
  // Unlocked: a new random seed each call, written to the document as an undo
  // step, so the project and the exported PNG name the seed that made it.
  uint64_t seed_for_next_render();
  bool seed_locked() const;
  void set_seed_locked(bool locked);
  // A new random seed for the document (the Randomise button).
  void randomise_seed();
  // Resizes the canvas (crop/extend, see Document::resize_canvas) as one undo
  // step; false (and nothing changes) unless both sides are multiples of 8 in
  // 8..kMaxCanvasSide.
  bool resize_canvas(QSize size, Qt::Alignment anchor);
  // Commits what the seed box and the step list show but the document does
  // not have yet (typed without Enter). The step list commits only here and
  // on Enter or focus loss, as a half-typed list is no list; a bad one shows
  // its error and the document keeps its steps. EditContext::commit_pending_edits
  // calls this before saves, exports, renders and quitting.
  void commit_pending_edits();

  SeedSpinBox* seed_spin() const { return seed_; }
  QToolButton* seed_lock_button() const { return lock_; }
  QComboBox* step_preset_combo() const { return step_preset_; }
  QLineEdit* step_indices_edit() const { return step_indices_; }
  QLabel* step_error_label() const { return step_error_; }
  QComboBox* canvas_preset_combo() const { return canvas_preset_; }
  QSpinBox* canvas_width_spin() const { return width_; }
  QSpinBox* canvas_height_spin() const { return height_; }
  QComboBox* anchor_combo() const { return anchor_; }
  QPushButton* apply_canvas_button() const { return apply_canvas_; }
  QComboBox* mask_mode_combo() const { return mask_mode_; }
  QSpinBox* bootstrap_spin() const { return bootstrap_; }
  QDoubleSpinBox* guidance_spin() const { return guidance_; }
  QComboBox* cfg_type_combo() const { return cfg_type_; }
  QDoubleSpinBox* cover_alpha_spin() const { return cover_alpha_; }
  QComboBox* vae_combo() const { return vae_; }
  QComboBox* sampler_combo() const { return sampler_; }
  QComboBox* live_noise_combo() const { return live_noise_; }

 private:
  // Which continuous control (spin box, seed) an edit came from: consecutive
  // edits with the same key merge. Choices (combo boxes, step lists) are each
  // their own step to go back to: Control::None.
  enum class Control { None = 0, Seed, Bootstrap, Guidance, CoverAlpha };
  template <typename Change>
  void edit(Control control, const QString& text, Change change);
  template <typename Value>
  void set(Control control, const QString& text, Value GenerationSettings::*field, Value value);
  // A combo box over one enum field / a spin box over one number field, added to `form`.
  template <typename Enum>
  QComboBox* add_choice(QFormLayout* form, const char* name, const QString& label, const QString& tip,
                        std::initializer_list<std::pair<QString, Enum>> items, const QString& text,
                        Enum GenerationSettings::*field);
  template <typename Spin, typename Value>
  Spin* add_spin(QFormLayout* form, Spin* spin, const char* name, const QString& label, const QString& tip,
                 Control control, const QString& text, Value GenerationSettings::*field);
  uint64_t random_seed();
  void commit_step_text();
  void apply_step_preset(int row);
  void set_steps(const std::vector<int>& indices);
  void reload();
  void reload_canvas();
  // The step list the field was last loaded from: typing there is kept
  // across reloads until the document's own list changes.
  std::vector<int> shown_steps_;
  QWidget* build_seed_row();
  QWidget* build_canvas_box();

  EditContext* context_;
  std::mt19937_64 random_;
  SeedSpinBox* seed_ = nullptr;
  QToolButton* lock_ = nullptr;
  QComboBox* step_preset_ = nullptr;
  QLineEdit* step_indices_ = nullptr;
  QLabel* step_error_ = nullptr;
  QComboBox* canvas_preset_ = nullptr;
  QSpinBox* width_ = nullptr;
  QSpinBox* height_ = nullptr;
  QComboBox* anchor_ = nullptr;
  QPushButton* apply_canvas_ = nullptr;
  QComboBox* mask_mode_ = nullptr;
  QSpinBox* bootstrap_ = nullptr;
  QDoubleSpinBox* guidance_ = nullptr;
  QComboBox* cfg_type_ = nullptr;
  QDoubleSpinBox* cover_alpha_ = nullptr;
  QComboBox* vae_ = nullptr;
  QComboBox* sampler_ = nullptr;
  QComboBox* live_noise_ = nullptr;
};

}  // namespace semdraw::app
