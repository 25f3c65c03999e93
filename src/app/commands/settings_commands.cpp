#include "app/commands/settings_commands.h"

#include <QObject>

#include "app/commands/edit_context.h"

namespace semdraw::app {

bool same_settings(const GenerationSettings& a, const GenerationSettings& b) { return a == b; }

SetSettingsCommand::SetSettingsCommand(EditContext* context, GenerationSettings after, const QString& text,
                                       int merge_key)
    : QUndoCommand(text),
      context_(context),
      before_(context->document()->settings()),
      after_(std::move(after)),
      merge_key_(merge_key) {}

void SetSettingsCommand::redo() {
  context_->document()->settings() = after_;
  context_->notify_settings_changed();
}

void SetSettingsCommand::undo() {
  context_->document()->settings() = before_;
  context_->notify_settings_changed();
}

bool SetSettingsCommand::mergeWith(const QUndoCommand* other) {
  const auto* next = dynamic_cast<const SetSettingsCommand*>(other);
  if (!next || next->merge_key_ != merge_key_) return false;
  after_ = next->after_;
  setObsolete(same_settings(before_, after_));
  return true;
}

BackgroundState BackgroundState::of(const doc::Document& document) {
  return {document.background(), document.background_prompt(), document.background_negative_prompt()};
}

void BackgroundState::apply_to(doc::Document& document) const {
  document.set_background(image);
  document.set_background_prompt(prompt);
  document.set_background_negative_prompt(negative_prompt);
}

SetBackgroundCommand::SetBackgroundCommand(EditContext* context, BackgroundState after, const QString& text,
                                           QUndoCommand* parent, int burst)
    : QUndoCommand(text, parent), context_(context), after_(std::move(after)), burst_(burst) {}

void SetBackgroundCommand::redo() {
  // Taken here, not in the constructor: as a child of a macro that resizes the
  // canvas first, the "before" is the resized background.
  before_ = BackgroundState::of(*context_->document());
  after_.apply_to(*context_->document());
  context_->notify_background_changed();
}

void SetBackgroundCommand::undo() {
  before_.apply_to(*context_->document());
  context_->notify_background_changed();
}

bool SetBackgroundCommand::mergeWith(const QUndoCommand* other) {
  const auto* next = dynamic_cast<const SetBackgroundCommand*>(other);
  if (!next || next->burst_ != burst_ || next->text() != text()) return false;
  after_ = next->after_;
  setObsolete(after_.prompt == before_.prompt && after_.negative_prompt == before_.negative_prompt &&
              after_.image.cacheKey() == before_.image.cacheKey());
  return true;
}

ResizeCanvasCommand::ResizeCanvasCommand(EditContext* context, QSize size, Qt::Alignment anchor, QUndoCommand* parent)
    : QUndoCommand(QObject::tr("Canvas size %1×%2").arg(size.width()).arg(size.height()), parent),
      context_(context),
      after_size_(size),
      anchor_(anchor) {}

void ResizeCanvasCommand::redo() {
  doc::Document& document = *context_->document();
  before_size_ = document.canvas_size();
  masks_.clear();
  for (const auto& region : document.regions()) masks_.push_back(region.mask);
  background_ = document.background();
  generated_ = document.generated();
  document.resize_canvas(after_size_, anchor_);
  context_->notify_canvas_resized();
}

void ResizeCanvasCommand::undo() {
  doc::Document& document = *context_->document();
  document.resize_canvas(before_size_, anchor_);  // the size; the pixels come back from what was kept
  for (size_t i = 0; i < masks_.size(); ++i) document.region(static_cast<int>(i)).mask = masks_[i];
  document.set_background(background_);
  document.set_generated(generated_);
  context_->notify_canvas_resized();
}

}  // namespace semdraw::app
