#pragma once
// Undoable document-wide edits that are not about one region: the background
// background prompts and seed together (palette import changes those; the
// picture and the prompts alone are SetBackgroundCommand in settings_commands.h).
#include <QString>
#include <QUndoCommand>
#include <cstdint>

namespace semdraw::app {

class EditContext;

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

}  // namespace semdraw::app
