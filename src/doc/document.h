#pragma once
// The artist's document: canvas size, background and the ordered regions
// (index 0 is the bottom region). Independent of how it is shown.
#include <QImage>
#include <QSize>
#include <QString>
#include <vector>

#include "doc/kept_frame.h"
#include "doc/region.h"
#include "semdraw/engine/scene.h"

namespace semdraw::doc {

// The settings of a new painting, and of a project saved before a field
// existed: the engine's defaults, except that Live settles (an unchanged
// scene converges to one frame and the engine rests; LiveNoise::Settle).
GenerationSettings default_settings();

class Document {
 public:
  explicit Document(QSize canvas_size = QSize(512, 512));

  QSize canvas_size() const { return canvas_size_; }
  const std::vector<Region>& regions() const { return regions_; }
  const QImage& background() const { return background_; }
  const QString& background_prompt() const { return background_prompt_; }
  const QString& background_negative_prompt() const { return background_negative_prompt_; }
  // The engine settings saved with the project; settings().seed is the seed.
  const GenerationSettings& settings() const { return settings_; }
  uint64_t seed() const { return settings_.seed; }
  // Which model the project was made with (a path or name; informational).
  const QString& model_reference() const { return model_reference_; }
  // The last generated frame (null until something was generated).
  const QImage& generated() const { return generated_; }
  // Frames kept in the History strip, newest first (kept through save/open).
  const std::vector<KeptFrame>& kept_frames() const { return kept_frames_; }

  void set_background(const QImage& image) { background_ = image; }
  void set_background_prompt(const QString& prompt) { background_prompt_ = prompt; }
  void set_background_negative_prompt(const QString& p) { background_negative_prompt_ = p; }
  GenerationSettings& settings() { return settings_; }
  void set_seed(uint64_t seed) { settings_.seed = seed; }
  void set_model_reference(const QString& ref) { model_reference_ = ref; }
  void set_generated(const QImage& image) { generated_ = image; }
  void set_kept_frames(std::vector<KeptFrame> frames) { kept_frames_ = std::move(frames); }
  // A paint program's "canvas size" (Krita, GIMP, Photoshop): the masks, the
  // background and the last generated frame keep their pixels at scale 1 and
  // are cropped or extended (masks with 0, pictures with white), placed in the
  // new canvas by `anchor` (Qt::AlignLeft/HCenter/Right | AlignTop/VCenter/Bottom;
  // no flag on an axis = centre). A background of another size is first scaled to
  // the old canvas, as the scene snapshot shows it. Any positive size is accepted
  // here (files from other programs may have odd sizes); the engine's multiple-of-8
  // rule is the UI's to enforce. Throws std::invalid_argument otherwise.
  void resize_canvas(QSize size, Qt::Alignment anchor = Qt::AlignCenter);
  // Adds a fully described region on top (readers use it); its mask must be
  // Grayscale8 of the canvas size, else std::invalid_argument.
  Region& add_region(Region region);

  // Adds a region on top with an empty mask of the canvas size and a colour
  // picked from a fixed, well-separated sequence.
  Region& add_region(const QString& name, const QString& prompt);
  void remove_region(int index);
  Region& region(int index) { return regions_.at(static_cast<size_t>(index)); }
  // Editing helpers for undoable edits: put a removed region back where it
  // was, and move one region to another place in the stacking order.
  void insert_region(int index, Region region);
  void move_region(int from, int to);

 private:
  QSize canvas_size_;
  QImage background_;  // null = plain white background
  QString background_prompt_ = QStringLiteral("simple white background");
  QString background_negative_prompt_;
  GenerationSettings settings_ = default_settings();
  QString model_reference_;
  QImage generated_;
  std::vector<KeptFrame> kept_frames_;  // kept at their own size through canvas resizes
  std::vector<Region> regions_;
};

}  // namespace semdraw::doc
