#pragma once
// Undoable document-wide edits that are not about one region: the background
// picture and the background prompts (palette import changes those).
#include <QImage>
#include <QString>
#include <QUndoCommand>
#include <cstdint>

namespace semdraw::app {

class EditContext;

// Replaces the background picture; a null image means plain white.
class SetBackgroundCommand : public QUndoCommand {
 public:
  SetBackgroundCommand(EditContext* context, QImage after, const QString& text);
  void undo() override;
  void redo() override;

 private:
  EditContext* context_;
  QImage before_, after_;
};

struct BackgroundPrompts {
  QString prompt, negative_prompt;
  uint64_t seed = 0;
};

class SetBackgroundPromptsCommand : public QUndoCommand {
 public:
  SetBackgroundPromptsCommand(EditContext* context, BackgroundPrompts after, const QString& text);
  void undo() override;
  void redo() override;

 private:
  void apply(const BackgroundPrompts& prompts);
  EditContext* context_;
  BackgroundPrompts before_, after_;
};

// The picture scaled to cover `canvas` and centre-cropped to it (the aspect
// ratio is kept), as RGB888.
QImage fit_background(const QImage& picture, QSize canvas);

}  // namespace semdraw::app
