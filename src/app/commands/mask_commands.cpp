#include "app/commands/mask_commands.h"

#include <QObject>
#include <QPainter>
#include <algorithm>
#include <cstring>

#include "app/canvas/flood_fill.h"
#include "app/commands/edit_context.h"

namespace semdraw::app {

MaskPatchCommand::MaskPatchCommand(EditContext* context, int region, QRect rect, QImage before, QImage after,
                                   const QString& text, int stroke, bool already_applied)
    : QUndoCommand(text),
      context_(context),
      region_(region),
      rect_(rect),
      before_(std::move(before)),
      after_(std::move(after)),
      stroke_(stroke),
      skip_next_redo_(already_applied) {}

void MaskPatchCommand::apply(const QImage& patch) {
  QImage& mask = context_->document()->region(region_).mask;
  for (int y = 0; y < rect_.height(); ++y)
    std::memcpy(mask.scanLine(rect_.top() + y) + rect_.left(), patch.constScanLine(y),
                static_cast<size_t>(rect_.width()));
  context_->notify_mask_changed(region_, rect_);
}

void MaskPatchCommand::undo() { apply(before_); }
void MaskPatchCommand::redo() {
  if (skip_next_redo_) {
    skip_next_redo_ = false;
    return;
  }
  apply(after_);
}

bool MaskPatchCommand::mergeWith(const QUndoCommand* other) {
  const auto* next = dynamic_cast<const MaskPatchCommand*>(other);
  if (!next || next->stroke_ != stroke_ || next->region_ != region_) return false;
  // Later segments carry the rectangle of the whole stroke so far (a superset
  // of ours) with the pre-stroke pixels, so the later patch replaces ours.
  if (!next->rect_.contains(rect_)) return false;
  rect_ = next->rect_;
  before_ = next->before_;
  after_ = next->after_;
  return true;
}

MaskPatchCommand* make_patch(EditContext* context, int region, const QImage& before_mask, QRect rect,
                             const QString& text, int stroke) {
  const QImage& mask = context->document()->region(region).mask;
  rect = rect.intersected(mask.rect());
  return new MaskPatchCommand(context, region, rect, before_mask.copy(rect), mask.copy(rect), text, stroke,
                              /*already_applied=*/true);
}

MaskPatchCommand* make_fill(EditContext* context, int region, QPoint seed) {
  QImage filled = context->document()->region(region).mask.copy();
  const QRect changed = flood_fill(*context->document(), filled, seed);
  if (changed.isEmpty()) return nullptr;
  return new MaskPatchCommand(context, region, changed, context->document()->region(region).mask.copy(changed),
                              filled.copy(changed), QObject::tr("Fill"));
}

MaskPatchCommand* make_clear(EditContext* context, int region) {
  const QImage& mask = context->document()->region(region).mask;
  int left = mask.width(), top = mask.height(), right = -1, bottom = -1;
  for (int y = 0; y < mask.height(); ++y) {
    const uchar* row = mask.constScanLine(y);
    for (int x = 0; x < mask.width(); ++x)
      if (row[x]) {
        left = std::min(left, x);
        right = std::max(right, x);
        top = std::min(top, y);
        bottom = std::max(bottom, y);
      }
  }
  if (right < 0) return nullptr;
  const QRect rect(QPoint(left, top), QPoint(right, bottom));
  QImage empty(rect.size(), QImage::Format_Grayscale8);
  empty.fill(0);
  return new MaskPatchCommand(context, region, rect, mask.copy(rect), empty, QObject::tr("Clear region"));
}

}  // namespace semdraw::app
