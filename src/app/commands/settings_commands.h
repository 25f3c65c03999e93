#pragma once
// Undoable document-wide edits: the generation settings, the background
// (image and prompts) and the canvas size.
#include <QImage>
#include <QSize>
#include <QString>
#include <QUndoCommand>
#include <vector>

#include "semdraw/engine/scene.h"

namespace semdraw::doc {
class Document;
}

namespace semdraw::app {

class EditContext;

bool same_settings(const GenerationSettings& a, const GenerationSettings& b);

// Replaces document()->settings(). With `merge_key` > 0, consecutive commands
// with the same key (one control: dragging a spin box, typing digits) merge
// into one undo step; a merge that ends where it started drops the step.
class SetSettingsCommand : public QUndoCommand {
 public:
  static constexpr int kId = 0x5d10;
  SetSettingsCommand(EditContext* context, GenerationSettings after, const QString& text, int merge_key = 0);
  void undo() override;
  void redo() override;
  int id() const override { return merge_key_ > 0 ? kId : -1; }
  bool mergeWith(const QUndoCommand* other) override;

 private:
  EditContext* context_;
  GenerationSettings before_, after_;
  int merge_key_;
};

// The background image (null = plain white) and its prompts.
struct BackgroundState {
  QImage image;
  QString prompt, negative_prompt;

  static BackgroundState of(const doc::Document& document);
  void apply_to(doc::Document& document) const;
};

// Replaces the background. With `burst` > 0 (the keystrokes of one typing
// burst in a prompt field, numbered by the dock), consecutive commands with
// the same burst merge into one undo step; a merge that ends where it started
// drops the step.
class SetBackgroundCommand : public QUndoCommand {
 public:
  static constexpr int kId = 0x5d11;
  SetBackgroundCommand(EditContext* context, BackgroundState after, const QString& text, QUndoCommand* parent = nullptr,
                       int burst = 0);
  void undo() override;
  void redo() override;
  int id() const override { return burst_ > 0 ? kId : -1; }
  bool mergeWith(const QUndoCommand* other) override;

 private:
  EditContext* context_;
  BackgroundState before_, after_;
  int burst_;
};

// Document::resize_canvas as an undo step. Cropping loses pixels, so undo puts
// back the masks, background and generated frame it kept (bitwise; QImage
// shares them, so keeping them costs nothing until something paints).
class ResizeCanvasCommand : public QUndoCommand {
 public:
  ResizeCanvasCommand(EditContext* context, QSize size, Qt::Alignment anchor, QUndoCommand* parent = nullptr);
  void undo() override;
  void redo() override;

 private:
  EditContext* context_;
  QSize before_size_, after_size_;
  Qt::Alignment anchor_;
  std::vector<QImage> masks_;
  QImage background_, generated_;
};

}  // namespace semdraw::app
