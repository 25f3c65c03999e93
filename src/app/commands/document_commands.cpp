#include "app/commands/document_commands.h"

#include "app/commands/edit_context.h"

namespace semdraw::app {

namespace {
BackgroundPrompts prompts_of(const doc::Document& document) {
  return {document.background_prompt(), document.background_negative_prompt(), document.seed()};
}
}  // namespace

SetBackgroundPromptsCommand::SetBackgroundPromptsCommand(EditContext* context, BackgroundPrompts after,
                                                         const QString& text)
    : QUndoCommand(text), context_(context), before_(prompts_of(*context->document())), after_(std::move(after)) {}

void SetBackgroundPromptsCommand::redo() { apply(after_); }
void SetBackgroundPromptsCommand::undo() { apply(before_); }

void SetBackgroundPromptsCommand::apply(const BackgroundPrompts& prompts) {
  doc::Document* document = context_->document();
  document->set_background_prompt(prompts.prompt);
  document->set_background_negative_prompt(prompts.negative_prompt);
  document->set_seed(prompts.seed);
  context_->notify_background_changed();
}

}  // namespace semdraw::app
