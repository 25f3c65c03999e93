#include "app/document_commands.h"

#include "app/edit_context.h"

namespace semdraw::app {

SetBackgroundCommand::SetBackgroundCommand(EditContext* context, QImage after, const QString& text)
    : QUndoCommand(text), context_(context), before_(context->document()->background()), after_(std::move(after)) {}

void SetBackgroundCommand::redo() {
  context_->document()->set_background(after_);
  context_->notify_background_changed();
}

void SetBackgroundCommand::undo() {
  context_->document()->set_background(before_);
  context_->notify_background_changed();
}

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

QImage fit_background(const QImage& picture, QSize canvas) {
  QImage rgb = picture.convertToFormat(QImage::Format_RGB888);
  if (rgb.size() == canvas) return rgb;
  const QImage scaled = rgb.scaled(canvas, Qt::KeepAspectRatioByExpanding, Qt::SmoothTransformation);
  const QRect crop(QPoint((scaled.width() - canvas.width()) / 2, (scaled.height() - canvas.height()) / 2), canvas);
  return scaled.copy(crop);
}

}  // namespace semdraw::app
