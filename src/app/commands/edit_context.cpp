#include "app/commands/edit_context.h"

namespace semdraw::app {

void EditContext::set_current_region(int index) {
  const int count = static_cast<int>(document_->regions().size());
  if (index >= count) index = count - 1;
  if (index == current_) return;
  current_ = index;
  emit current_region_changed(current_);
}

void EditContext::notify_regions_reset() {
  // A removal may leave the current index past the end: clamp it before
  // anyone asks for the current region.
  const int count = static_cast<int>(document_->regions().size());
  const bool clamped = current_ >= count;
  if (clamped) current_ = count - 1;
  emit regions_reset();
  if (clamped) emit current_region_changed(current_);
}

void EditContext::notify_canvas_resized() {
  emit canvas_resized(document_->canvas_size());
  emit regions_reset();
  emit background_changed();
}

}  // namespace semdraw::app
