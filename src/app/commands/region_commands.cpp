#include "app/commands/region_commands.h"

#include <QObject>

#include "app/commands/edit_context.h"

namespace semdraw::app {

AddRegionCommand::AddRegionCommand(EditContext* context, doc::Region region)
    : QUndoCommand(QObject::tr("Add region %1").arg(region.name)), context_(context), region_(std::move(region)) {
  if (region_.mask.isNull()) {
    region_.mask = QImage(context_->document()->canvas_size(), QImage::Format_Grayscale8);
    region_.mask.fill(0);
  }
}

void AddRegionCommand::redo() {
  auto* document = context_->document();
  index_ = static_cast<int>(document->regions().size());
  document->insert_region(index_, region_);
  context_->notify_regions_reset();
  context_->set_current_region(index_);
}

void AddRegionCommand::undo() {
  context_->document()->remove_region(index_);
  context_->notify_regions_reset();
  context_->set_current_region(std::min(context_->current_region(), index_ - 1));
}

RemoveRegionCommand::RemoveRegionCommand(EditContext* context, int index)
    : QUndoCommand(QObject::tr("Remove region %1").arg(context->document()->region(index).name)),
      context_(context),
      index_(index) {}

void RemoveRegionCommand::redo() {
  removed_ = context_->document()->region(index_);  // keeps the mask for undo
  context_->document()->remove_region(index_);
  context_->notify_regions_reset();
  const int count = static_cast<int>(context_->document()->regions().size());
  context_->set_current_region(std::min(index_, count - 1));
}

void RemoveRegionCommand::undo() {
  context_->document()->insert_region(index_, removed_);
  context_->notify_regions_reset();
  context_->set_current_region(index_);
}

MoveRegionCommand::MoveRegionCommand(EditContext* context, int from, int to)
    : QUndoCommand(QObject::tr("Move region")), context_(context), from_(from), to_(to) {}

void MoveRegionCommand::redo() {
  context_->document()->move_region(from_, to_);
  context_->notify_regions_reset();
  context_->set_current_region(to_);
}

void MoveRegionCommand::undo() {
  context_->document()->move_region(to_, from_);
  context_->notify_regions_reset();
  context_->set_current_region(from_);
}

RegionProperties RegionProperties::of(const doc::Region& r) {
  return {r.name, r.prompt, r.negative_prompt, r.colour, r.prompt_strength, r.mask_strength, r.blur_sigma, r.enabled};
}

void RegionProperties::apply_to(doc::Region& r) const {
  r.name = name;
  r.prompt = prompt;
  r.negative_prompt = negative_prompt;
  r.colour = colour;
  r.prompt_strength = prompt_strength;
  r.mask_strength = mask_strength;
  r.blur_sigma = blur_sigma;
  r.enabled = enabled;
}

SetRegionPropertiesCommand::SetRegionPropertiesCommand(EditContext* context, int index, RegionProperties after,
                                                       const QString& text, int burst)
    : QUndoCommand(text),
      context_(context),
      index_(index),
      before_(RegionProperties::of(context->document()->region(index))),
      after_(std::move(after)),
      burst_(burst) {}

void SetRegionPropertiesCommand::redo() {
  after_.apply_to(context_->document()->region(index_));
  context_->notify_region_changed(index_);
}

void SetRegionPropertiesCommand::undo() {
  before_.apply_to(context_->document()->region(index_));
  context_->notify_region_changed(index_);
}

bool SetRegionPropertiesCommand::mergeWith(const QUndoCommand* other) {
  const auto* next = dynamic_cast<const SetRegionPropertiesCommand*>(other);
  if (!next || next->index_ != index_ || next->text() != text() || next->burst_ != burst_) return false;
  after_ = next->after_;
  setObsolete(after_ == before_);  // typed and deleted again: nothing to undo
  return true;
}

}  // namespace semdraw::app
